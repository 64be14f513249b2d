import {z} from 'zod';
import {compareVersions, readFact} from '../knowledge/conditions.js';
import {dependencyKey, findDependencies, versionEntry} from './cargo-dependency.js';
import {openToml} from './toml-file.js';
import {applySplices, arrayItems, findEntry, tomlString, type Splice} from './toml-text.js';
import {changed, manual, type EditKind} from './types.js';

const envRemoveParams = z
	.object({
		/** The variable to take out of [env], e.g. PYO3_BUILD_EXTENSION_MODULE. */
		variable: z.string().regex(/^[A-Z_][A-Z\d_]*$/),
		/** Why it must go, for the note; the entry's own words. */
		why: z.string().min(1),
	})
	.strict();

/**
Deletes a variable from `[env]` of .cargo/config.toml: cargo passes `[env]` to every build
script of every cargo command, so a value meant for one build (the wheel's) breaks the others.
*/
export const cargoConfigEnvRemove: EditKind<typeof envRemoveParams> = {
	kind: 'cargo-config-env-remove',
	description: 'delete a variable from [env] of .cargo/config.toml',
	params: envRemoveParams,
	apply(given, params, context) {
		const file = openToml(given, context.path, `There is no ${context.path}; ${params.variable} is not set there.`);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const entry = findEntry(layout, ['env'], [params.variable]);
		if (!entry) {
			// Gone or never there look the same: "not set here", not "already applied", which would rank it first.
			return manual(`${context.path} does not set ${params.variable} under [env]: unset it where it is exported (the shell, a dev shell, CI).`);
		}

		return changed(text, applySplices(text, [{start: entry.lineStart, end: entry.lineEnd, text: ''}]), [params.why]);
	},
};

const abi3Pattern = /^abi3-py(\d)(\d+)$/;

function abi3Python(feature: string): string | undefined {
	const match = abi3Pattern.exec(feature);
	return match ? `${match[1]}.${match[2]}` : undefined;
}

function abi3Feature(python: string): string {
	return `abi3-py${python.replace('.', '')}`;
}

/**
The abi3 minimum that builds: no older than the oldest Python the locked pyo3 supports (older
`abi3-pyXY` features are gone from it) and no newer than the interpreter that builds (pyo3
refuses a minimum above it). `undefined` when the facts leave no such version.
*/
function fittingMinimum(current: string, facts: Record<string, unknown>): string | undefined {
	const oldest = readFact(facts, 'project.pyo3.minPython');
	const interpreter = readFact(facts, 'python.selected.version');
	let minimum = current;
	if (typeof oldest === 'string' && compareVersions(minimum, oldest) < 0) {
		minimum = oldest;
	}

	if (typeof interpreter === 'string' && /^\d+\.\d+/.test(interpreter)) {
		const minor = /^\d+\.\d+/.exec(interpreter)![0];
		if (compareVersions(minimum, minor) > 0) {
			minimum = minor;
		}
	}

	if (typeof oldest === 'string' && compareVersions(minimum, oldest) < 0) {
		return undefined;
	}

	return minimum;
}

const abi3Params = z.object({dependency: z.string().min(1).default('pyo3')}).strict();

/**
Moves pyo3's `abi3-pyXY` feature to a minimum that builds here: up to the oldest Python the
locked pyo3 still has a feature for (pyo3 0.30 dropped `abi3-py38`), or down to the interpreter
the build uses (pyo3 stops when the minimum is above it). Both pyo3's own `features` and crate
features that name `pyo3/abi3-pyXY` are rewritten.
*/
export const cargoAbi3Minimum: EditKind<typeof abi3Params> = {
	kind: 'cargo-abi3-minimum',
	description: "move pyo3's abi3-pyXY feature in Cargo.toml between the oldest Python the locked pyo3 supports and the interpreter that builds",
	params: abi3Params,
	apply(given, params, context) {
		const file = openToml(given, context.path);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const arrays = findDependencies(text, params.dependency, layout).flatMap(declaration => {
			const features = dependencyKey(declaration, 'features');
			return features ? [{entry: features, prefix: ''}] : [];
		});
		for (const entry of layout.entries.filter(item => item.table.length === 1 && item.table[0] === 'features' && text[item.valueStart] === '[')) {
			arrays.push({entry, prefix: `${params.dependency}/`});
		}

		const splices: Splice[] = [];
		let seen: string | undefined;
		for (const {entry, prefix} of arrays) {
			for (const item of arrayItems(text, entry.valueStart, entry.valueEnd)) {
				const feature = item.value?.startsWith(prefix) ? item.value.slice(prefix.length) : undefined;
				const current = feature ? abi3Python(feature) : undefined;
				if (!current) {
					continue;
				}

				seen = feature;
				const minimum = fittingMinimum(current, context.facts);
				if (!minimum) {
					return manual(`No abi3 minimum fits both this ${params.dependency} and the interpreter that builds: build with a Python of at least ${String(readFact(context.facts, 'project.pyo3.minPython'))}.`);
				}

				if (minimum !== current) {
					splices.push({start: item.start, end: item.end, text: tomlString(`${prefix}${abi3Feature(minimum)}`)});
				}
			}
		}

		if (!seen) {
			return manual(`${context.path} asks for no abi3-pyXY feature of ${params.dependency}: the minimum comes from another crate (\`cargo tree -e features -i ${params.dependency}\` names it).`);
		}

		return changed(text, applySplices(text, splices));
	},
};

const companionParams = z
	.object({
		dependency: z.string().min(1).default('pyo3'),
		/** Crates whose releases share the dependency's minor version (numpy 0.30 is built on pyo3 0.30). */
		companions: z.array(z.string().min(1)).min(1),
		/** `nothing-to-do`: a crate without companions needs no change (when pyo3 itself moves); else it says who brings the other pyo3. */
		withoutCompanions: z.enum(['explain', 'nothing-to-do']).default('explain'),
	})
	.strict();

/** `0.30` of `0.30`, `^0.30.1`, `=0.22.6`; `undefined` for anything else. */
function zeroMinor(requirement: string): string | undefined {
	return /^\s*[\^=~]?\s*(0\.\d+)(?:\.\d+)?\s*$/.exec(requirement)?.[1];
}

/**
Puts the companion crates on the release line of the dependency they are built on, so that the
graph holds one pyo3: pyo3 before 1.0 is a new "major" version to cargo at every minor, and
each pyo3 (pyo3-ffi up to 0.29) declares a `links` value that only one crate may have.
*/
export const cargoAlignCompanions: EditKind<typeof companionParams> = {
	kind: 'cargo-align-companions',
	description: 'set companion crates (numpy) in Cargo.toml to the release line of the pyo3 the crate asks for',
	params: companionParams,
	apply(given, params, context) {
		const file = openToml(given, context.path);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const literalOf = (name: string) => {
			// Dev- and build-dependencies are in the same graph as soon as cargo test or a build script runs.
			const declarations = findDependencies(text, name, layout).filter(declaration => declaration.section[0] !== 'workspace');
			return declarations.map(declaration => ({declaration, entry: versionEntry(declaration)}));
		};

		const main = literalOf(params.dependency).find(found => found.entry);
		const mainLiteral = main?.entry ? text.slice(main.entry.valueStart, main.entry.valueEnd) : undefined;
		const line = mainLiteral ? zeroMinor(mainLiteral.slice(1, -1)) : undefined;
		if (!line) {
			return manual(`${context.path} gives ${params.dependency} no plain 0.x version here: put ${params.companions.join(', ')} on the release made for the ${params.dependency} you use.`);
		}

		const splices: Splice[] = [];
		let companionFound = false;
		for (const companion of params.companions) {
			for (const {entry} of literalOf(companion)) {
				const literal = entry ? text.slice(entry.valueStart, entry.valueEnd) : undefined;
				const quote = literal?.[0];
				if (!entry || !literal || (quote !== '"' && quote !== "'")) {
					return manual(`${companion} in ${context.path} has no plain version string: point it at its ${line} release, made for ${params.dependency} ${line}.`);
				}

				companionFound = true;
				const current = zeroMinor(literal.slice(1, -1));
				if (current !== line) {
					splices.push({start: entry.valueStart, end: entry.valueEnd, text: `${quote}${line}${quote}`});
				}
			}
		}

		if (!companionFound) {
			if (params.withoutCompanions === 'nothing-to-do') {
				return {kind: 'unchanged'};
			}

			return manual(`${context.path} declares none of ${params.companions.join(', ')}: \`cargo tree -i ${params.dependency}\` shows which crate brings the other ${params.dependency}; update it, or change your ${params.dependency} to the version it supports.`);
		}

		return changed(text, applySplices(text, splices), splices.length > 0 ? [`Each companion now asks for its ${line} release, made for ${params.dependency} ${line}; its API may have changed with it.`] : []);
	},
};

export const cargoFixKinds = [cargoConfigEnvRemove, cargoAbi3Minimum, cargoAlignCompanions] as const;
