import {z} from 'zod';
import {compareVersions, readFact} from '../knowledge/conditions.js';
import {
	bodyIndent,
	codeOnly,
	findAttrsetBinding,
	findBinding,
	findBuilderCalls,
	insertionBeforeClose,
	knownBuilders,
	mergedNames,
	nixRegions,
	pythonExpressions,
	stringLiterals,
} from './nix-text.js';
import {resolveNixStrings} from '../nix/evaluate.js';
import {applySplices, type Splice} from './toml-text.js';
import {changed, manual, type EditKind} from './types.js';

const builderList = z.array(z.string().min(1)).min(1).default([...knownBuilders]);

/**
Fills `@python@`, `@pythonEnv@` and `@pythonEnv|python@` (the first one the file has) with
the names the file binds them to.
*/
function fillPython(value: string, text: string): {value: string} | {missing: string} {
	const scope = pythonExpressions(text);
	let missing: string | undefined;
	const filled = value.replaceAll(/@([\w|]+)@/g, (_, names: string) => {
		for (const name of names.split('|')) {
			const expression = scope[name as 'python' | 'pythonEnv'];
			if (expression) {
				return expression;
			}
		}

		missing = names;
		return '';
	});
	return missing ? {missing} : {value: filled};
}

/**
The attribute sets an edit should go into: each call of the given builders, except that a
call written as `builder (common // { … })` where `common = { … };` is in the file gets the
edit in `common` once instead.
*/
export function targetSets(text: string, builders: readonly string[]): Array<{open: number; close: number; builder: string}> {
	const targets: Array<{open: number; close: number; builder: string}> = [];
	const seen = new Set<number>();
	for (const call of findBuilderCalls(text, builders)) {
		let target = {open: call.open, close: call.close, builder: call.builder};
		for (const name of mergedNames(text, call)) {
			const shared = findAttrsetBinding(text, name);
			if (shared) {
				target = {...shared, builder: `${name} (shared by ${call.builder})`};
			}
		}

		if (!seen.has(target.open)) {
			seen.add(target.open);
			targets.push(target);
		}
	}

	return targets;
}

export function builderWords(builders: readonly string[]): string {
	return builders.length > 3 ? 'your dev shell (mkShell) or derivation' : builders.join(' / ');
}

const setAttrParams = z
	.object({
		attr: z.string().regex(/^[A-Za-z_][\w'-]*$/),
		/** A Nix expression; `@python@`, `@pythonEnv@`, `@pythonEnv|python@` name the file's own Python bindings. */
		value: z.string().min(1),
		builders: builderList,
	})
	.strict();

/** Adds `attr = value;` to every dev shell / derivation of the listed builders that lacks it. */
export const nixSetAttr: EditKind<typeof setAttrParams> = {
	kind: 'nix-set-attr',
	description: 'add an attribute (e.g. PYO3_PYTHON, LD_LIBRARY_PATH) to mkShell / buildPythonPackage / mkDerivation / crane calls',
	params: setAttrParams,
	apply(text, params, context) {
		if (text === undefined) {
			return manual(`There is no ${context.path}.`);
		}

		const filled = fillPython(params.value, text);
		const targets = targetSets(text, params.builders);
		if ('missing' in filled || targets.length === 0) {
			const why = 'missing' in filled ? `${context.path} binds no Python interpreter (${filled.missing}) this edit could name` : `${context.path} has no ${builderWords(params.builders)} call with a literal attribute set`;
			const example = params.value.replaceAll(/@([\w|]+)@/g, (_, names: string) => names.split('|').at(-1)!);
			return manual(`${why}: add \`${params.attr} = ${example};\` to ${builderWords(params.builders)}, naming the Python it builds with.`);
		}

		const splices: Splice[] = [];
		for (const target of targets) {
			if (findBinding(text, target.open, target.close, params.attr)) {
				continue;
			}

			const splice = insertAttribute(text, target, `${params.attr} = ${filled.value};`);
			if (!splice) {
				return manual(`The ${target.builder} attribute set in ${context.path} is written on one line: add \`${params.attr} = ${filled.value};\` to it.`);
			}

			splices.push(splice);
		}

		return changed(text, applySplices(text, splices));
	},
};

/** The text without Nix comments, so a commented-out line does not count as present. */
function withoutComments(text: string): string {
	const {regions} = nixRegions(text);
	let result = text;
	for (const region of regions.filter(item => item.kind === 'comment').reverse()) {
		result = result.slice(0, region.start) + result.slice(region.end);
	}

	return result;
}

/** A new attribute line just before the closing brace, indented like its siblings. */
function insertAttribute(text: string, target: {open: number; close: number}, line: string): Splice | undefined {
	const at = insertionBeforeClose(text, target.close);
	const indent = bodyIndent(text, target.open, target.close);
	if (at === undefined || indent === undefined) {
		return undefined;
	}

	const lines = line.split('\n').map(part => (part.length > 0 ? `${indent}${part}` : part));
	return {start: at, end: at, text: `${lines.join('\n')}\n`};
}

const listItemParams = z
	.object({
		attr: z.string().regex(/^[A-Za-z_][\w'-]*$/),
		item: z.string().min(1),
		builders: builderList,
	})
	.strict();

/** Adds an item to a list attribute (e.g. python to nativeBuildInputs), creating the attribute if needed. */
export const nixAddListItem: EditKind<typeof listItemParams> = {
	kind: 'nix-add-list-item',
	description: 'add an item to a list attribute such as nativeBuildInputs or packages, or add the attribute',
	params: listItemParams,
	apply(text, params, context) {
		if (text === undefined) {
			return manual(`There is no ${context.path}.`);
		}

		const filled = fillPython(params.item, text);
		const targets = targetSets(text, params.builders);
		if ('missing' in filled || targets.length === 0) {
			return manual(`Add the Python interpreter to \`${params.attr}\` in ${builderWords(params.builders)} of ${context.path}.`);
		}

		const splices: Splice[] = [];
		for (const target of targets) {
			const binding = findBinding(text, target.open, target.close, params.attr);
			if (!binding) {
				const splice = insertAttribute(text, target, `${params.attr} = [ ${filled.value} ];`);
				if (!splice) {
					return manual(`Add \`${params.attr} = [ ${filled.value} ];\` to the ${target.builder} call in ${context.path}.`);
				}

				splices.push(splice);
				continue;
			}

			const value = text.slice(binding.valueStart, binding.valueEnd);
			const listMatch = /^(?:with\s+[\w.]+\s*;\s*)?\[/.exec(value);
			if (!listMatch) {
				return manual(`\`${params.attr}\` in ${context.path} is not a plain list: add ${filled.value} to it.`);
			}

			const open = binding.valueStart + listMatch[0].length - 1;
			const close = open + value.slice(listMatch[0].length - 1).lastIndexOf(']');
			const items = codeOnly(text.slice(open + 1, close));
			if (new RegExp(`(?<![\\w'.-])${filled.value.replaceAll('.', '\\.')}(?![\\w'-])`).test(items) || (listMatch[0].startsWith('with') && items.split(/\s+/).includes(filled.value.replace(/^pkgs\./, '')))) {
				continue;
			}

			const inner = text.slice(open + 1, close);
			if (inner.includes('\n')) {
				const lastLineStart = text.lastIndexOf('\n', close - 1) + 1;
				const closingIndent = text.slice(lastLineStart, close);
				if (/^[ \t]*$/.test(closingIndent)) {
					const itemIndent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? `${closingIndent}  `;
					splices.push({start: lastLineStart, end: lastLineStart, text: `${itemIndent}${filled.value}\n`});
					continue;
				}
			}

			const trimmedEnd = inner.trimEnd();
			const at = open + 1 + trimmedEnd.length;
			splices.push({start: at, end: at, text: `${trimmedEnd.trim().length > 0 ? ' ' : ' '}${filled.value}`});
		}

		return changed(text, applySplices(text, splices));
	},
};

const shellLinesParams = z
	.object({
		/** The attribute to add the lines to, created if the set has none of `into`. */
		attr: z.string().regex(/^[A-Za-z_][\w'-]*$/),
		/** Existing ''-string attributes to put the lines at the start of, first found wins (e.g. buildPhase before preBuild). */
		into: z.array(z.string()).default([]),
		lines: z.array(z.string().min(1)).min(1),
		builders: builderList,
		/** Only sets whose text matches this regular expression (e.g. `cargoArtifacts` for crane's second step). */
		onlyWhere: z.string().optional(),
		/** In an existing phase, go after the last line matching this (e.g. the line copying target/ in); else first. */
		afterLineMatching: z.string().optional(),
		/** A set whose text matches this already does the job another way (e.g. its own venv), so it is left alone. */
		presentIf: z.string().optional(),
	})
	.strict();

/** Puts shell lines at the start of a phase or shellHook ('' string), or adds the attribute. */
export const nixShellLines: EditKind<typeof shellLinesParams> = {
	kind: 'nix-shell-lines',
	description: "put shell lines first in a phase or shellHook (e.g. chmod -R u+w target), adding the attribute if needed",
	params: shellLinesParams,
	apply(text, params, context) {
		if (text === undefined) {
			return manual(`There is no ${context.path}.`);
		}

		// For words: `@python@` placeholders read as the plain name.
		const script = params.lines.map(line => line.replaceAll(/@([\w|]+)@/g, (_, names: string) => names.split('|').at(-1)!)).join('\n');
		let targets = targetSets(text, params.builders);
		if (params.onlyWhere) {
			const where = new RegExp(params.onlyWhere);
			targets = targets.filter(target => where.test(text.slice(target.open, target.close)));
		}

		if (targets.length === 0) {
			return manual(`${context.path} has no ${builderWords(params.builders)} call this edit knows: add these lines to its \`${params.attr}\`:\n${script}`);
		}

		const lines: string[] = [];
		for (const line of params.lines) {
			const filled = fillPython(line, text);
			if ('missing' in filled) {
				return manual(`${context.path} binds no Python interpreter this edit could name: add these lines to \`${params.attr}\`, with your Python in place of \`python\`:\n${script}`);
			}

			lines.push(filled.value);
		}

		const splices: Splice[] = [];
		for (const target of targets) {
			const body = text.slice(target.open, target.close);
			if (lines.every(line => body.includes(line.trim())) || (params.presentIf && new RegExp(params.presentIf, 'm').test(withoutComments(body)))) {
				continue;
			}

			const existing = [...params.into, params.attr].map(name => findBinding(text, target.open, target.close, name)).find(Boolean);
			if (existing) {
				const value = text.slice(existing.valueStart, existing.valueEnd);
				if (!value.startsWith("''")) {
					return manual(`\`${params.attr}\` in ${context.path} is not a '' string: put these lines at its start:\n${lines.join('\n')}`);
				}

				const afterQuotes = existing.valueStart + 2;
				const newline = text.indexOf('\n', afterQuotes);
				if (newline === -1 || newline > existing.valueEnd || text.slice(afterQuotes, newline).trim().length > 0) {
					return manual(`\`${params.attr}\` in ${context.path} starts on its opening line: put these lines at its start:\n${lines.join('\n')}`);
				}

				const firstLine = text.slice(newline + 1, text.indexOf('\n', newline + 1));
				const indent = /^[ \t]*/.exec(firstLine)![0];
				let at = newline + 1;
				if (params.afterLineMatching) {
					const after = new RegExp(params.afterLineMatching);
					const closing = existing.valueEnd - 2;
					for (let lineStart = newline + 1; lineStart < closing; ) {
						const lineEnd = text.indexOf('\n', lineStart);
						if (lineEnd === -1 || lineEnd >= closing) {
							break;
						}

						if (after.test(text.slice(lineStart, lineEnd))) {
							at = lineEnd + 1;
						}

						lineStart = lineEnd + 1;
					}
				}

				splices.push({start: at, end: at, text: lines.map(line => `${indent}${line}\n`).join('')});
				continue;
			}

			const block = [`${params.attr} = ''`, ...lines.map(line => `  ${line}`), "'';"].join('\n');
			const splice = insertAttribute(text, target, block);
			if (!splice) {
				return manual(`Add \`${params.attr}\` with these lines to the ${target.builder} call in ${context.path}:\n${lines.join('\n')}`);
			}

			splices.push(splice);
		}

		return changed(text, applySplices(text, splices));
	},
};

/** A wheel file name with its tags spelled out: name-version-pytag-abitag-platform.whl (name parts may be `${…}`). */
const hardcodedWheel = /(?<=[\s/"'=}]|^)(?:[\w.+]|\$\{[^}\s]*\})+-(?:[\w.+!]|\$\{[^}\s]*\})+-(?:cp|py|pp|graalpy)\d+[\w.]*-[\w.]+-[\w.]+\.whl/g;

/** Attributes whose string value is shell code, where a glob is expanded. */
const shellAttribute = /(?:Phase|Hook|Script|^pre[A-Z]\w*|^post[A-Z]\w*|^script|^text|^buildCommand|^installCheck\w*)$/;

const wheelGlobParams = z.object({}).strict();

/** A wheel-looking name whose parts may be interpolations: `${pname}-${version}-${wheel_tail}.whl`. */
const interpolatedWheel = /(?<=[\s/"'=}]|^)(?:[\w.+-]|\$\{[^}\s]*\})*\$\{[^}\s]*\}(?:[\w.+-]|\$\{[^}\s]*\})*\.whl/g;
const wheelWithTags = /^(?:[\w.+]|\$\{[^}\s]*\})+-(?:[\w.+!]|\$\{[^}\s]*\})+-(?:cp|py|pp|graalpy)\d+[\w.]*-[\w.]+-[\w.]+\.whl$/;

/** The wheel names written in a string literal, those spelled through let-bound tags included. */
function wheelsIn(text: string, literal: {start: number; end: number}, interpolationValues: Map<number, string>): Array<{start: number; end: number; name: string}> {
	const span = text.slice(literal.start, literal.end);
	const found = [...span.matchAll(hardcodedWheel)].map(match => ({start: literal.start + match.index, end: literal.start + match.index + match[0].length, name: match[0]}));
	for (const match of span.matchAll(interpolatedWheel)) {
		const start = literal.start + match.index;
		if (found.some(wheel => wheel.start <= start && start < wheel.end)) {
			continue;
		}

		// What Nix would make of it: `${wheel_tail}` → the tags it is bound to.
		const resolved = match[0].replaceAll(/\$\{[^}\s]*\}/g, (interpolation, offset: number) => interpolationValues.get(start + offset) ?? interpolation);
		if (wheelWithTags.test(resolved) && /-(?:cp|py|pp|graalpy)\d/.test(resolved)) {
			found.push({start, end: start + match[0].length, name: resolved});
		}
	}

	return found;
}

/** `src = "${drv}/name.whl";` of a wheel package: the derivation it names, and the binding's extent. */
function wheelSourceBinding(text: string, literal: {start: number; end: number}): {derivation: string; end: number; indent: string} | undefined {
	const whole = /^"\$\{([A-Za-z_][\w'.-]*)\}\/(?:[^"$]|\$\{[^}\s]*\})*\.whl"$/.exec(text.slice(literal.start, literal.end));
	const semicolon = /^\s*;/.exec(text.slice(literal.end));
	const line = text.slice(text.lastIndexOf('\n', literal.start) + 1, literal.start);
	const binding = /^(\s*)src\s*=\s*$/.exec(line);
	if (!whole || !semicolon || !binding) {
		return undefined;
	}

	return {derivation: whole[1]!, end: literal.end + semicolon[0].length, indent: binding[1]!};
}

/**
Replaces hard-coded wheel file names in Nix shell code (phases, shellHook) with a glob
(`target/wheels/*.whl`), names spelled through `let` bindings included; a wheel package's
`src = "${drv}/name.whl"` becomes `src = drv;` with an unpackPhase that copies `${drv}/*.whl`.
*/
export const nixWheelGlob: EditKind<typeof wheelGlobParams> = {
	kind: 'nix-wheel-glob',
	description: 'replace hard-coded wheel file names in Nix shell code (phases, shellHook) with *.whl',
	params: wheelGlobParams,
	apply(text, _params, context) {
		if (text === undefined) {
			return manual(`There is no ${context.path}.`);
		}

		const interpolationValues = new Map<number, string>();
		for (const string of resolveNixStrings(text, {readFile: context.readFile}) ?? []) {
			for (const interpolation of string.interpolations) {
				if (interpolation.value !== undefined) {
					interpolationValues.set(interpolation.start, interpolation.value);
				}
			}
		}

		const splices: Splice[] = [];
		const elsewhere: string[] = [];
		for (const literal of stringLiterals(text)) {
			const wheels = wheelsIn(text, literal, interpolationValues);
			const attribute = wheels.length > 0 ? owningAttribute(text, literal.start) : undefined;
			const source = wheels.length > 0 && attribute === 'src' ? wheelSourceBinding(text, literal) : undefined;
			if (source) {
				// nixpkgs' wheelUnpackPhase copies `$src` as one file; a set unpackPhase takes its place.
				splices.push({start: literal.start, end: source.end, text: `${source.derivation};\n${source.indent}unpackPhase = ''mkdir -p dist; cp \${${source.derivation}}/*.whl dist/'';`});
				continue;
			}

			for (const {start, end, name} of wheels) {
				if (!attribute || !shellAttribute.test(attribute)) {
					elsewhere.push(`${name} (in ${attribute ?? 'an expression'})`);
					continue;
				}

				// Inside shell quotes the glob must stand outside them: "dir/"*.whl
				if (literal.indented && text[end] === '"') {
					splices.push({start, end: end + 1, text: '"*.whl'});
				} else if (literal.indented && text[end] === "'" && text[end + 1] !== "'") {
					splices.push({start, end: end + 1, text: "'*.whl"});
				} else {
					splices.push({start, end, text: '*.whl'});
				}
			}
		}

		if (splices.length === 0 && elsewhere.length === 0) {
			return {kind: 'unchanged'};
		}

		if (elsewhere.length > 0) {
			return manual(
				`${context.path} names a wheel file outside shell code, where a glob does not work: ${elsewhere.join(', ')}. Build the package with nixpkgs' maturinBuildHook (buildPythonPackage { pyproject = true; nativeBuildInputs = [ rustPlatform.cargoSetupHook rustPlatform.maturinBuildHook ]; … }) so no wheel name is written anywhere, or copy the wheel in a phase: unpackPhase = ''mkdir -p dist; cp \${wheelDrv}/*.whl dist/'';`,
			);
		}

		return changed(text, applySplices(text, splices));
	},
};

/** The name of the attribute whose value a string starting at `offset` belongs to. */
function owningAttribute(text: string, offset: number): string | undefined {
	const code = codeOnly(text.slice(0, offset));
	const match = /([A-Za-z_][\w'-]*)\s*=\s*(?:[^=;{}]*?)$/.exec(code);
	return match?.[1];
}

const compatibilityParams = z
	.object({
		/** Fact paths holding the maturin version (e.g. "1.16.0"), first found wins. */
		maturinVersionFrom: z.array(z.string()).default(['maturin.version']),
	})
	.strict();

const manylinuxRequest = /(--compatibility|--manylinux)(\s+|=|"\s+")(?!off\b|linux\b)(manylinux[\w.]*|musllinux[\w.]*|\d{4}|2_\d+|auto|pypi)(?![\w.$])/g;
const plainRequest = /(--compatibility|--manylinux)(\s+|=|"\s+")(off|linux)\b/;
const anyRequest = /--compatibility|--manylinux/;

/** `maturin build` run as a command in shell code (also `${maturin}/bin/maturin build`); `publish` is left alone. */
const maturinBuild = /(?<=^|[\s;&|(`'"/])maturin(\s+)build\b/g;

/**
The flag that asks maturin for the plain `linux` tag: `--compatibility linux` since maturin 0.11
(which renamed `--manylinux`, keeping it as an alias), `--manylinux off` before. With the linux
tag maturin's auditwheel check does not run at all (auditwheel_rs returns early for it).
*/
export function linuxTagFlag(maturinVersion: string | undefined): string {
	return maturinVersion !== undefined && compareVersions(maturinVersion, '0.11') < 0 ? '--manylinux off' : '--compatibility linux';
}

/**
Makes maturin build a plain linux wheel in Nix files: rewrites `--compatibility manylinux2014` to
`linux` and `--manylinux 2014` to `off` (valid on every maturin), or, where no tag is asked for,
adds the flag that fits the maturin version to each `maturin build` in phase code.
*/
export const nixMaturinCompatibility: EditKind<typeof compatibilityParams> = {
	kind: 'nix-maturin-compatibility',
	description: 'make maturin build plain linux wheels in Nix phases: rewrite --compatibility/--manylinux, or add the flag that fits the maturin version',
	params: compatibilityParams,
	apply(text, params, context) {
		const version = params.maturinVersionFrom.map(path => readFact(context.facts, path)).find(value => typeof value === 'string' && /^\d+\.\d+/.test(value)) as string | undefined;
		const flag = linuxTagFlag(version);
		if (text === undefined) {
			return manual(`There is no ${context.path}.`);
		}

		const splices: Splice[] = [];
		// The flags sit in strings, so search the whole text and skip what is commented out.
		const {regions} = nixRegions(text);
		const inComment = (offset: number) => regions.some(region => region.kind === 'comment' && offset >= region.start && offset < region.end);
		for (const match of text.matchAll(manylinuxRequest)) {
			if (inComment(match.index)) {
				continue;
			}

			if (owningAttribute(text, match.index) === 'maturinBuildFlags') {
				// maturinBuildHook passes --manylinux off itself; a second tag makes maturin stop ("Expected only one platform tag").
				return manual(`${context.path} adds \`${match[0]}\` to maturinBuildFlags, but maturinBuildHook already passes --manylinux off: remove it from maturinBuildFlags.`);
			}

			const valueStart = match.index + match[1]!.length + match[2]!.length;
			splices.push({start: valueStart, end: valueStart + match[3]!.length, text: match[1] === '--manylinux' ? 'off' : 'linux'});
		}

		if (splices.length > 0) {
			return changed(text, applySplices(text, splices));
		}

		const code = codeOnly(text);
		const requests = [...text.matchAll(new RegExp(anyRequest, 'g'))].filter(match => !inComment(match.index));
		if (requests.length > 0) {
			if (requests.every(match => plainRequest.test(text.slice(match.index, match.index + 40)))) {
				return {kind: 'unchanged'};
			}

			const shown = /^--[\w-]+(?:"?\s+"?|=)[^\s";]*/.exec(text.slice(requests[0]!.index))![0];
			return manual(`${context.path} passes maturin a tag this edit cannot read (\`${shown}\`): make it \`${flag}\`.`);
		}

		for (const literal of stringLiterals(text)) {
			const attribute = owningAttribute(text, literal.start);
			if (!attribute || !shellAttribute.test(attribute)) {
				continue;
			}

			for (const match of text.slice(literal.start, literal.end).matchAll(maturinBuild)) {
				const end = literal.start + match.index + match[0].length;
				splices.push({start: end, end, text: ` ${flag}`});
			}
		}

		if (splices.length === 0) {
			const hook = /\bmaturinBuildHook\b/.test(code) ? ' (it builds with maturinBuildHook, which already passes --manylinux off)' : '';
			return manual(`${context.path} runs no \`maturin build\` in a phase this edit can find${hook}: pass \`${flag}\` where maturin build runs.`);
		}

		const notes = version === undefined ? [`maturin's version is not known here: ${flag} needs maturin 0.11 or newer (older: --manylinux off).`] : [];
		return changed(text, applySplices(text, splices), notes);
	},
};

const pinPythonParams = z
	.object({
		/** Fact paths holding the newest Python the project's pyo3 supports, e.g. "3.12"; first found wins. */
		versionFrom: z.array(z.string()).min(1),
	})
	.strict();

/** Replaces the floating `pkgs.python3` (and `python3Packages`) with a pinned minor version. */
export const nixPinPython: EditKind<typeof pinPythonParams> = {
	kind: 'nix-pin-python',
	description: 'pin pkgs.python3 / pkgs.python3Packages to a minor version (python312) the project supports',
	params: pinPythonParams,
	apply(text, params, context) {
		if (text === undefined) {
			return manual(`There is no ${context.path}.`);
		}

		const version = params.versionFrom.map(path => readFact(context.facts, path)).find(value => typeof value === 'string' && /^3\.\d+/.test(value)) as string | undefined;
		if (!version) {
			return manual(`Replace pkgs.python3 in ${context.path} with the newest pythonXY your pyo3 supports (e.g. pkgs.python312).`);
		}

		const attr = `python${version.split('.').slice(0, 2).join('')}`;
		const code = codeOnly(text);
		const splices: Splice[] = [];
		for (const match of code.matchAll(/(?<![\w'.-])(pkgs\.)?python3(?=Packages\b|[^\w'-]|$)/g)) {
			if (!match[1]) {
				continue;
			}

			const start = match.index + match[1].length;
			splices.push({start, end: start + 'python3'.length, text: attr});
		}

		if (splices.length === 0) {
			const pinned = /(?<![\w'.-])pkgs\.python3(\d+)/.exec(code);
			if (pinned && compareVersions(`3.${pinned[1]!}`, version) <= 0) {
				return {kind: 'unchanged'};
			}

			return manual(`${context.path} does not use pkgs.python3: make the Python your project builds with ${attr} (or older).`);
		}

		return changed(text, applySplices(text, splices));
	},
};

export const nixKinds = [nixSetAttr, nixAddListItem, nixShellLines, nixWheelGlob, nixMaturinCompatibility, nixPinPython] as const;
