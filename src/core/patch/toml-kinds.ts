import {z} from 'zod';
import {compareVersions, readFact} from '../knowledge/conditions.js';
import {
	findDependencies,
	hasTable,
	removeFeatureSplices,
	usesWorkspace,
	versionEntry,
	type DependencyDeclaration,
} from './cargo-dependency.js';
import {
	appendArrayItem,
	appendTableText,
	applySplices,
	arrayItems,
	endOfTableEntries,
	findEntry,
	removeArrayItem,
	scanToml,
	tomlString,
	type Splice,
	type TomlLayout,
} from './toml-text.js';
import {openToml} from './toml-file.js';
import {changed, manual, type EditContext, type EditKind, type EditOutcome} from './types.js';

/** Sections where a feature of a runtime dependency can be switched on. */
function runtimeDeclarations(text: string, name: string, layout: TomlLayout): DependencyDeclaration[] {
	return findDependencies(text, name, layout).filter(declaration => declaration.section.at(-1) === 'dependencies');
}

const removeFeatureParams = z.object({dependency: z.string().min(1), feature: z.string().min(1)}).strict();

/** Removes a feature from a dependency's `features`, wherever and however the dependency is declared. */
export const cargoRemoveDependencyFeature: EditKind<typeof removeFeatureParams> = {
	kind: 'cargo-remove-dependency-feature',
	description: 'remove a feature from a dependency in Cargo.toml (every shape: string, inline table, [dependencies.x], dotted keys)',
	params: removeFeatureParams,
	apply(given, params, context) {
		const file = openToml(given, context.path);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const declarations = runtimeDeclarations(text, params.dependency, layout);
		if (declarations.length === 0) {
			return manual(`${context.path} does not declare ${params.dependency} under [dependencies]: remove "${params.feature}" from ${params.dependency}'s features where it is declared (a workspace member's Cargo.toml, or the crate that turns it on).`);
		}

		const splices = declarations.flatMap(declaration => removeFeatureSplices(text, declaration, params.feature));
		const crateFeatureSplices = removeFromCrateFeatures(text, layout, [`${params.dependency}/${params.feature}`]);
		return changed(text, applySplices(text, [...splices, ...crateFeatureSplices]));
	},
};

/** Splices that drop the given items from every `[features]` list. */
function removeFromCrateFeatures(text: string, layout: TomlLayout, values: string[]): Splice[] {
	const splices: Splice[] = [];
	for (const entry of layout.entries) {
		if (entry.table.length !== 1 || entry.table[0] !== 'features' || entry.key.length !== 1) {
			continue;
		}

		const items = arrayItems(text, entry.valueStart, entry.valueEnd);
		const index = items.findIndex(item => item.value !== undefined && values.includes(item.value));
		if (index !== -1) {
			splices.push(removeArrayItem(text, items, index));
		}
	}

	return splices;
}

const behindFeatureParams = z
	.object({
		dependency: z.string().min(1),
		feature: z.string().min(1),
		/** The crate feature that turns the dependency's feature on; defaults to the same name. */
		crateFeature: z.string().min(1).optional(),
	})
	.strict();

/**
Moves a dependency feature behind a crate feature that is off by default
(`extension-module = ["pyo3/extension-module"]`), the way the PyO3 guide recommends.
*/
export const cargoFeatureBehindCrateFeature: EditKind<typeof behindFeatureParams> = {
	kind: 'cargo-feature-behind-crate-feature',
	description: 'turn a dependency feature off for plain cargo builds and put it behind an off-by-default crate feature',
	params: behindFeatureParams,
	apply(given, params, context) {
		const file = openToml(given, context.path);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const crateFeature = params.crateFeature ?? params.feature;
		const target = `${params.dependency}/${params.feature}`;
		const declarations = runtimeDeclarations(text, params.dependency, layout);
		if (declarations.length === 0) {
			return manual(`${context.path} does not declare ${params.dependency} under [dependencies]: in the crate that does, remove "${params.feature}" from its features and add \`${crateFeature} = ["${target}"]\` under [features].`);
		}

		const splices: Splice[] = declarations.flatMap(declaration => removeFeatureSplices(text, declaration, params.feature));

		// `default = ["extension-module"]` would turn it back on for every plain cargo build.
		const defaults = findEntry(layout, ['features'], ['default']);
		if (defaults) {
			const items = arrayItems(text, defaults.valueStart, defaults.valueEnd);
			const index = items.findIndex(item => item.value === crateFeature || item.value === target);
			if (index !== -1) {
				splices.push(removeArrayItem(text, items, index));
			}
		}

		const existing = findEntry(layout, ['features'], [crateFeature]);
		if (existing) {
			const items = arrayItems(text, existing.valueStart, existing.valueEnd);
			if (text[existing.valueStart] !== '[') {
				return manual(`[features] ${crateFeature} in ${context.path} is not a list: make it \`${crateFeature} = ["${target}"]\`.`);
			}

			if (!items.some(item => item.value === target)) {
				splices.push(appendArrayItem(text, existing.valueStart, existing.valueEnd, tomlString(target)));
			}
		} else {
			const line = `${crateFeature} = [${tomlString(target)}]\n`;
			const table = hasTable(layout, ['features']);
			if (table) {
				const at = endOfTableEntries(layout, table);
				splices.push({start: at, end: at, text: line});
			} else {
				splices.push(appendTableText(text, `[features]\n${line}`));
			}
		}

		return changed(text, applySplices(text, splices));
	},
};

/** Parses `^0.20.3`, `0.20`, `~0.20`, `>=0.20, <0.21` into operator and numbers (the first comparator). */
function parseRequirement(requirement: string): {operator: string; version: string; parts: number} | undefined {
	const match = /^\s*(\^|~|=|>=)?\s*(\d+(?:\.\d+){0,2})\s*$/.exec(requirement);
	if (!match) {
		return undefined;
	}

	return {operator: match[1] ?? '', version: match[2]!, parts: match[2]!.split('.').length};
}

function formatRequirement(operator: string, version: string, parts: number): string {
	const numbers = version.split('.');
	while (numbers.length < parts) {
		numbers.push('0');
	}

	return `${operator}${numbers.slice(0, Math.max(parts, 2)).join('.')}`;
}

/** Crates that depend on pyo3 themselves and must move with it. */
const pyo3Companions = ['numpy', 'pyo3-log', 'pythonize', 'pyo3-asyncio', 'pyo3-async-runtimes', 'pyo3-polars', 'pyo3-arrow', 'pyo3-stub-gen', 'pyo3-file', 'serde-pyobject', 'pyo3-pylogger'];

const raiseParams = z
	.object({
		/** The dependencies to raise together (the first one must be declared); e.g. pyo3, pyo3-ffi, pyo3-build-config. */
		dependencies: z.array(z.string().min(1)).min(1),
		/** A fixed minimum version. */
		version: z.string().optional(),
		/** Or: the minimum version per Python minor version, e.g. {"3.13": "0.22"}. */
		minimumByPython: z.record(z.string(), z.string()).optional(),
		/** Fact paths to read the Python version from, first found wins (log captures are under `captures.`). */
		pythonVersionFrom: z.array(z.string()).default(['python.selected.version']),
	})
	.strict()
	.refine(params => params.version !== undefined || params.minimumByPython !== undefined, 'needs version or minimumByPython');

function targetVersion(params: z.infer<typeof raiseParams>, context: EditContext): {version: string} | {reason: string} {
	if (params.version) {
		return {version: params.version};
	}

	const python = params.pythonVersionFrom.map(path => readFact(context.facts, path)).find(value => typeof value === 'string' && /^\d+\.\d+/.test(value)) as string | undefined;
	if (!python) {
		return {reason: `the Python version is not known, so the ${params.dependencies[0]} release that supports it cannot be chosen`};
	}

	const minor = /^\d+\.\d+/.exec(python)![0];
	const table = params.minimumByPython!;
	const version = table[minor];
	if (version) {
		return {version};
	}

	const newest = Object.keys(table).sort(compareVersions).at(-1);
	if (newest && compareVersions(minor, newest) > 0) {
		return {reason: `no ${params.dependencies[0]} release known here supports Python ${minor} yet (the newest known supports ${newest})`};
	}

	// Older than every listed Python: any release in the table works; the oldest is enough.
	return {version: Object.values(table).sort(compareVersions)[0]!};
}

/** Raises the version requirement of a dependency (and its family) to at least a minimum. */
export const cargoRaiseDependency: EditKind<typeof raiseParams> = {
	kind: 'cargo-raise-dependency',
	description: 'raise a dependency version requirement in Cargo.toml to a minimum, fixed or chosen by the Python version',
	params: raiseParams,
	apply(given, params, context) {
		const file = openToml(given, context.path);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const target = targetVersion(params, context);
		const main = params.dependencies[0]!;
		if ('reason' in target) {
			return manual(`Raise ${main} in ${context.path} to a release that supports your Python: ${target.reason}. See https://github.com/PyO3/pyo3/blob/main/CHANGELOG.md.`);
		}

		const splices: Splice[] = [];
		let mainFound = false;
		const notes: string[] = [];
		for (const name of params.dependencies) {
			for (const declaration of findDependencies(text, name, layout)) {
				if (name === main) {
					mainFound = true;
				}

				const entry = versionEntry(declaration);
				if (!entry) {
					if (usesWorkspace(text, declaration)) {
						if (!findDependencies(text, name, layout).some(other => other.section[0] === 'workspace')) {
							return manual(`${name} comes from the workspace: raise it to ${target.version} under [workspace.dependencies] in the workspace's Cargo.toml.`);
						}

						continue;
					}

					return manual(`${name} in ${context.path} has no version requirement (a path or git dependency?): point it at ${name} ${target.version} or newer.`);
				}

				const literal = text.slice(entry.valueStart, entry.valueEnd);
				const quote = literal[0];
				if (quote !== '"' && quote !== "'") {
					return manual(`The version of ${name} in ${context.path} is not a plain string: set it to "${target.version}".`);
				}

				const current = parseRequirement(literal.slice(1, -1));
				if (!current) {
					return manual(`The version requirement of ${name} in ${context.path} (${literal}) is not a simple one: make it "${target.version}" or newer.`);
				}

				if (compareVersions(current.version, target.version) >= 0) {
					continue;
				}

				const requirement = formatRequirement(current.operator, target.version, current.parts);
				splices.push({start: entry.valueStart, end: entry.valueEnd, text: `${quote}${requirement}${quote}`});
			}
		}

		if (!mainFound) {
			return manual(`${context.path} does not declare ${main}: raise it to ${target.version} or newer where it is declared.`);
		}

		if (splices.length > 0 && main === 'pyo3') {
			notes.push(`Newer pyo3 releases change APIs: follow https://pyo3.rs/main/migration from your version to ${target.version}, then run cargo update -p pyo3.`);
			for (const companion of pyo3Companions) {
				if (!params.dependencies.includes(companion) && findDependencies(text, companion, layout).length > 0) {
					notes.push(`${companion} also depends on pyo3: raise it to its release made for pyo3 ${target.version}, or cargo will find two pyo3 versions.`);
				}
			}
		}

		return changed(text, applySplices(text, splices), notes);
	},
};

const buildDependencyParams = z
	.object({
		dependency: z.string().min(1),
		/** Use the same version requirement as this dependency (pyo3-build-config follows pyo3). */
		versionOf: z.string().min(1).optional(),
		version: z.string().optional(),
	})
	.strict()
	.refine(params => params.version !== undefined || params.versionOf !== undefined, 'needs version or versionOf');

/** Adds a `[build-dependencies]` entry, with the version of a sibling dependency. */
export const cargoAddBuildDependency: EditKind<typeof buildDependencyParams> = {
	kind: 'cargo-add-build-dependency',
	description: 'add a [build-dependencies] entry to Cargo.toml (e.g. pyo3-build-config at the same version as pyo3)',
	params: buildDependencyParams,
	apply(given, params, context) {
		const file = openToml(given, context.path);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		if (findDependencies(text, params.dependency, layout).some(declaration => declaration.section.at(-1) === 'build-dependencies')) {
			return {kind: 'unchanged'};
		}

		let version = params.version;
		if (!version && params.versionOf) {
			const sibling = findDependencies(text, params.versionOf, layout).find(declaration => declaration.section.at(-1) === 'dependencies');
			const entry = sibling ? versionEntry(sibling) : undefined;
			const literal = entry ? text.slice(entry.valueStart, entry.valueEnd) : undefined;
			if (!literal || !/^["']/.test(literal)) {
				return manual(`Add \`${params.dependency}\` under [build-dependencies] in ${context.path}, with the same version as ${params.versionOf}.`);
			}

			version = literal.slice(1, -1);
		}

		const line = `${params.dependency} = ${tomlString(version!)}\n`;
		const table = hasTable(layout, ['build-dependencies']);
		if (table) {
			const at = endOfTableEntries(layout, table);
			return changed(text, applySplices(text, [{start: at, end: at, text: line}]));
		}

		return changed(text, applySplices(text, [appendTableText(text, `[build-dependencies]\n${line}`)]));
	},
};

const maturinFeatureParams = z
	.object({
		feature: z.string().min(1),
		/** Fact paths naming the feature instead (a string, or the first item of a list), first found wins; `feature` otherwise. */
		featureFrom: z.array(z.string()).optional(),
	})
	.strict();

function featureNamed(params: z.infer<typeof maturinFeatureParams>, context: EditContext): string {
	for (const name of params.featureFrom ?? []) {
		const value = readFact(context.facts, name);
		const first = Array.isArray(value) ? value[0] : value;
		if (typeof first === 'string' && first !== '') {
			return first;
		}
	}

	return params.feature;
}

/** Adds a cargo feature to `[tool.maturin] features`, so every maturin build turns it on. */
export const maturinAddFeature: EditKind<typeof maturinFeatureParams> = {
	kind: 'maturin-add-feature',
	description: 'add a cargo feature to [tool.maturin] features in pyproject.toml',
	params: maturinFeatureParams,
	apply(given, options, context) {
		const params = {...options, feature: featureNamed(options, context)};
		const file = openToml(given, context.path, `There is no ${context.path}: build the wheel with \`maturin build --features ${params.feature}\` (and \`maturin develop --features ${params.feature}\`).`);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const dotted = layout.entries.find(entry => entry.table.length === 0 && entry.key.join('.') === 'tool.maturin.features');
		const features = findEntry(layout, ['tool', 'maturin'], ['features']) ?? dotted;
		const literal = tomlString(params.feature);
		if (features) {
			if (text[features.valueStart] !== '[') {
				return manual(`[tool.maturin] features in ${context.path} is not a list: add "${params.feature}" to it.`);
			}

			const items = arrayItems(text, features.valueStart, features.valueEnd);
			if (items.some(item => item.value === params.feature || item.value === `pyo3/${params.feature}`)) {
				return {kind: 'unchanged'};
			}

			return changed(text, applySplices(text, [appendArrayItem(text, features.valueStart, features.valueEnd, literal)]));
		}

		const table = hasTable(layout, ['tool', 'maturin']);
		const line = `features = [${literal}]\n`;
		if (table) {
			const at = endOfTableEntries(layout, table);
			return changed(text, applySplices(text, [{start: at, end: at, text: line}]));
		}

		if (layout.entries.some(entry => entry.key[0] === 'tool' && entry.key[1] === 'maturin')) {
			return manual(`${context.path} sets tool.maturin with dotted keys: add \`tool.maturin.features = [${literal}]\`.`);
		}

		return changed(text, applySplices(text, [appendTableText(text, `[tool.maturin]\n${line}`)]));
	},
};

const defaultFeatureParams = z.object({dependency: z.string().min(1), feature: z.string().min(1)}).strict();

/** Whether a crate feature switches on `dependency/feature`, directly or through other crate features. */
function featureTurnsOn(features: Record<string, unknown>, name: string, dependency: string, feature: string, seen = new Set<string>()): boolean {
	const value = features[name];
	if (seen.has(name) || !Array.isArray(value)) {
		return false;
	}

	seen.add(name);
	return value.some(
		item =>
			typeof item === 'string' &&
			(item === `${dependency}/${feature}` || item === `${dependency}?/${feature}` || (!item.includes('/') && !item.startsWith('dep:') && featureTurnsOn(features, item, dependency, feature, seen))),
	);
}

/**
Takes out of `[features] default` the crate feature that turns a dependency feature on
(`default = ["python"]`, `python = ["pyo3/extension-module"]`), so plain cargo builds go without it.
*/
export const cargoRemoveDefaultFeature: EditKind<typeof defaultFeatureParams> = {
	kind: 'cargo-remove-default-feature',
	description: 'remove from [features] default the crate feature that turns a dependency feature on',
	params: defaultFeatureParams,
	apply(given, params, context) {
		const file = openToml(given, context.path);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const defaults = findEntry(layout, ['features'], ['default']);
		const features = (file.value as {features?: Record<string, unknown>}).features ?? {};
		// Done when some crate feature still turns it on but default does not; with no such feature at all the
		// fix does not fit (extension-module comes from elsewhere, e.g. the dependency line).
		const behindFeature = Object.keys(features).some(name => name !== 'default' && featureTurnsOn(features, name, params.dependency, params.feature));
		const nothing = behindFeature ? ({kind: 'unchanged'} as const) : manual(`No crate feature of ${context.path} turns on ${params.dependency}/${params.feature}.`);
		if (!defaults || text[defaults.valueStart] !== '[') {
			return nothing;
		}

		// An item is either `pyo3/extension-module` itself or a crate feature: look at it as a one-item feature list.
		const turnsOn = (value: string | undefined) => value !== undefined && featureTurnsOn({...features, '': [value]}, '', params.dependency, params.feature);
		const items = arrayItems(text, defaults.valueStart, defaults.valueEnd);
		const index = items.findIndex(item => turnsOn(item.value));
		if (index === -1) {
			return nothing;
		}

		if (items.filter(item => turnsOn(item.value)).length > 1) {
			return manual(`Several features in [features] default of ${context.path} turn on ${params.dependency}/${params.feature}: take each of them out of default.`);
		}

		return changed(text, applySplices(text, [removeArrayItem(text, items, index)]));
	},
};

const compatibilityParams = z
	.object({
		value: z.string().default('linux'),
		/** `add`: a pyproject.toml that sets none gets `[tool.maturin] compatibility`; `explain`: the request comes from elsewhere. */
		whenAbsent: z.enum(['explain', 'add']).default('explain'),
	})
	.strict();

/**
Replaces a manylinux/musllinux `[tool.maturin] compatibility` with a plain one. A project
that sets none is left alone: the request comes from the command line, not from here.
*/
export const maturinCompatibility: EditKind<typeof compatibilityParams> = {
	kind: 'maturin-compatibility',
	description: 'replace a manylinux [tool.maturin] compatibility in pyproject.toml (e.g. with "linux" for wheels used on this machine or in Nix)',
	params: compatibilityParams,
	apply(given, params, context) {
		const fromCommandLine = `The manylinux request does not come from ${context.path}: pass \`--compatibility ${params.value}\` (maturin before 0.11: \`--manylinux off\`), or \`--auditwheel skip\` (maturin ≥ 1.7.1; older: \`--skip-auditwheel\`) to keep the tag and skip the check, where maturin build runs (CI workflow, Makefile, Nix phase).`;
		const file = openToml(given, context.path, fromCommandLine);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const entry = findEntry(layout, ['tool', 'maturin'], ['compatibility']);
		if (!entry && params.whenAbsent === 'add') {
			const line = `compatibility = ${tomlString(params.value)}\n`;
			const table = hasTable(layout, ['tool', 'maturin']);
			const at = table ? endOfTableEntries(layout, table) : undefined;
			return changed(text, applySplices(text, [at === undefined ? appendTableText(text, `[tool.maturin]\n${line}`) : {start: at, end: at, text: line}]));
		}

		if (!entry) {
			return manual(fromCommandLine);
		}

		const literal = text.slice(entry.valueStart, entry.valueEnd);
		if (literal.slice(1, -1) === params.value) {
			return {kind: 'unchanged'};
		}

		return changed(text, applySplices(text, [{start: entry.valueStart, end: entry.valueEnd, text: tomlString(params.value)}]));
	},
};

const targetRustflagsParams = z
	.object({
		targets: z.array(z.string().min(1)).min(1),
		flags: z.array(z.string().min(1)).min(1),
	})
	.strict();

/** Adds flags to `[target.<triple>] rustflags` in .cargo/config.toml (creating the file if needed). */
export const cargoConfigTargetRustflags: EditKind<typeof targetRustflagsParams> = {
	kind: 'cargo-config-target-rustflags',
	description: 'add rustflags for given targets in .cargo/config.toml, creating it when there is none',
	params: targetRustflagsParams,
	apply(given, params, context) {
		const file = openToml(given, context.path, 'empty');
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text: source, layout} = file;
		const splices: Splice[] = [];
		const blocks: string[] = [];
		for (const triple of params.targets) {
			const table = hasTable(layout, ['target', triple]);
			const rustflags = findEntry(layout, ['target', triple], ['rustflags']);
			if (rustflags) {
				if (source[rustflags.valueStart] !== '[') {
					return manual(`[target.${triple}] rustflags in ${context.path} is not a list: add ${params.flags.map(flag => tomlString(flag)).join(', ')} to it.`);
				}

				const present = arrayItems(source, rustflags.valueStart, rustflags.valueEnd).map(item => item.value);
				if (params.flags.every(flag => present.includes(flag))) {
					continue;
				}

				let updated = source.slice(rustflags.valueStart, rustflags.valueEnd);
				for (const flag of params.flags) {
					updated = applySplices(updated, [appendArrayItem(updated, 0, updated.length, tomlString(flag))]);
				}

				splices.push({start: rustflags.valueStart, end: rustflags.valueEnd, text: updated});
				continue;
			}

			const line = `rustflags = [${params.flags.map(flag => tomlString(flag)).join(', ')}]\n`;
			if (table) {
				const at = endOfTableEntries(layout, table);
				splices.push({start: at, end: at, text: line});
			} else {
				blocks.push(`[target.${triple}]\n${line}`);
			}
		}

		if (blocks.length > 0) {
			splices.push(appendTableText(source, blocks.join('\n')));
		}

		return changed(source, applySplices(source, splices));
	},
};

const envPythonParams = z
	.object({
		/** The variable to set, e.g. PYO3_PYTHON. */
		variable: z.string().regex(/^[A-Z_][A-Z\d_]*$/),
		/** Only an interpreter the locked pyo3 supports (project.pyo3.minPython … maxPython), with a shared libpython when auto-initialize is on. */
		supported: z.boolean().default(false),
	})
	.strict();

type Candidate = {executable?: unknown; runs?: unknown; source?: unknown; version?: unknown; sharedLibpython?: unknown};

/** Does the locked pyo3 support this interpreter? Unknown bounds do not rule it out. */
function pyo3Supports(candidate: Candidate, facts: Record<string, unknown>): boolean {
	const version = typeof candidate.version === 'string' ? candidate.version : undefined;
	const min = readFact(facts, 'project.pyo3.minPython');
	const max = readFact(facts, 'project.pyo3.maxPython');
	if (!version) {
		return false;
	}

	if (typeof min === 'string' && compareVersions(version, min) < 0) {
		return false;
	}

	if (typeof max === 'string' && compareVersions(version, max) > 0) {
		return false;
	}

	return readFact(facts, 'project.pyo3.autoInitialize') !== true || candidate.sharedLibpython === true;
}

function workingInterpreter(facts: Record<string, unknown>, variable: string, supported: boolean): string | undefined {
	const candidates = readFact(facts, 'python.candidates');
	if (!Array.isArray(candidates)) {
		return undefined;
	}

	const usable = (candidates as Candidate[]).find(
		candidate => candidate.runs === true && typeof candidate.executable === 'string' && candidate.source !== variable && (!supported || pyo3Supports(candidate, facts)),
	);
	return usable?.executable as string | undefined;
}

/**
Points a variable (PYO3_PYTHON) at an interpreter that runs, in `[env]` of .cargo/config.toml,
with `force = true` so that a stale value exported by the shell no longer wins. Cargo passes
`[env]` to build scripts, which is where pyo3 looks for it.
*/
export const cargoConfigEnvPython: EditKind<typeof envPythonParams> = {
	kind: 'cargo-config-env-python',
	description: 'set a variable (PYO3_PYTHON) to an interpreter that runs, in [env] of .cargo/config.toml',
	params: envPythonParams,
	apply(given, params, context) {
		const file = openToml(given, context.path, 'empty');
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text: source, layout} = file;
		const interpreter = workingInterpreter(context.facts, params.variable, params.supported);
		if (!interpreter) {
			return manual(`${params.supported ? 'No Python that this pyo3 supports' : 'No working Python'} was found on this machine to point ${params.variable} at: install one (or enter the dev shell that has it), then set ${params.variable} to its path.`);
		}

		const value = `{ value = ${tomlString(interpreter)}, force = true }`;
		const entry = findEntry(layout, ['env'], [params.variable]);
		if (entry) {
			if (source.slice(entry.valueStart, entry.valueEnd) === value) {
				return {kind: 'unchanged'};
			}

			return changed(source, applySplices(source, [{start: entry.valueStart, end: entry.valueEnd, text: value}]));
		}

		const line = `${params.variable} = ${value}\n`;
		const table = hasTable(layout, ['env']);
		if (table) {
			const at = endOfTableEntries(layout, table);
			return changed(source, applySplices(source, [{start: at, end: at, text: line}]));
		}

		return changed(source, applySplices(source, [appendTableText(source, `[env]\n${line}`)]));
	},
};

const envRelativeParams = z
	.object({
		/** The variable in [env] whose value is a path, e.g. PYO3_CONFIG_FILE. */
		variable: z.string().regex(/^[A-Z_][A-Z\d_]*$/),
	})
	.strict();

/** The folder a `.cargo/config.toml` resolves `relative = true` paths against: the one holding `.cargo/`. */
function configBase(configPath: string): string {
	const parts = configPath.split('/').slice(0, -2);
	return parts.join('/');
}

/**
Makes a relative path in `[env]` of .cargo/config.toml resolve where the file is: cargo passes a
plain string as it stands, and a build script (pyo3's, for PYO3_CONFIG_FILE) runs in another
folder; `relative = true` makes cargo join it to the folder that holds `.cargo/`. Only when the
file exists there.
*/
export const cargoConfigEnvRelative: EditKind<typeof envRelativeParams> = {
	kind: 'cargo-config-env-relative',
	description: 'mark a relative path in [env] of .cargo/config.toml as `relative = true`, when the file exists there',
	params: envRelativeParams,
	apply(given, params, context) {
		const file = openToml(given, context.path, `There is no ${context.path}; ${params.variable} is not set there.`);
		if ('outcome' in file) {
			return file.outcome;
		}

		const {text, layout} = file;
		const entry = findEntry(layout, ['env'], [params.variable]);
		const value = (file.value as {env?: Record<string, unknown>}).env?.[params.variable];
		if (!entry || value === undefined) {
			return manual(`${context.path} does not set ${params.variable} under [env].`);
		}

		if (typeof value === 'object' && value !== null && (value as {relative?: unknown}).relative === true) {
			return {kind: 'unchanged'};
		}

		if (typeof value !== 'string') {
			return manual(`${params.variable} in ${context.path} is a table: add \`relative = true\` to it if its value is relative to the project.`);
		}

		if (value.startsWith('/')) {
			return manual(`${params.variable} in ${context.path} is already absolute (${value}); check that the file exists on the machine that builds.`);
		}

		const base = configBase(context.path);
		const target = base === '' ? value : `${base}/${value}`;
		if (context.readFile(target) === undefined) {
			return manual(`${params.variable} names ${value}, but there is no ${target} in the project: give it the path of a file that exists.`);
		}

		const replacement = `{ value = ${tomlString(value)}, relative = true }`;
		return changed(text, applySplices(text, [{start: entry.valueStart, end: entry.valueEnd, text: replacement}]));
	},
};

export const tomlKinds = [
	cargoRemoveDependencyFeature,
	cargoFeatureBehindCrateFeature,
	cargoRaiseDependency,
	cargoAddBuildDependency,
	maturinAddFeature,
	cargoRemoveDefaultFeature,
	maturinCompatibility,
	cargoConfigTargetRustflags,
	cargoConfigEnvPython,
	cargoConfigEnvRelative,
] as const;
