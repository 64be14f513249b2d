import {parse as parseToml} from 'smol-toml';
import {checkNixSyntax} from '../patch/nix-text.js';

/**
A project file (or PYO3_CONFIG_FILE) that could not be read or does not parse: a finding in its
own right, and the reason no fact is taken from that file. `line` and `column` are 1-based, as
the parser gave them; `parser` says which check spoke.
*/
export type FileProblem = {file: string; message: string; line?: number; column?: number; parser: string};

/** Which facts each kind of file feeds; they are dropped when the file does not parse. */
export type FileKind = 'cargo-manifest' | 'cargo-lock' | 'pyproject' | 'cargo-config' | 'nix' | 'pyo3-config';

export function fileKind(file: string): FileKind | undefined {
	if (file.startsWith('PYO3_CONFIG_FILE')) {
		return 'pyo3-config';
	}

	const base = file.split('/').at(-1) ?? file;
	if (base === 'Cargo.toml') {
		return 'cargo-manifest';
	}

	if (base === 'Cargo.lock') {
		return 'cargo-lock';
	}

	if (base === 'pyproject.toml') {
		return 'pyproject';
	}

	if (/(^|\/)\.cargo\/config(\.toml)?$/.test(file)) {
		return 'cargo-config';
	}

	return base.endsWith('.nix') ? 'nix' : undefined;
}

/** TOML (Cargo.toml, Cargo.lock, pyproject.toml, .cargo/config.toml) through smol-toml, with its line and column. */
export function tomlProblem(file: string, text: string): FileProblem | undefined {
	try {
		parseToml(text);
		return undefined;
	} catch (error) {
		const {line, column, message} = error as {line?: number; column?: number; message: string};
		// smol-toml's message is "Invalid TOML document: <what>" followed by a code excerpt.
		const what = message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
		return {file, message: `not valid TOML: ${what}`, ...(line ? {line} : {}), ...(column ? {column} : {}), parser: 'TOML'};
	}
}

/** Nix without Nix: the built-in scan of brackets, strings and comments (it finds no other error). */
export function nixScanProblem(file: string, text: string): FileProblem | undefined {
	const problem = checkNixSyntax(text);
	if (!problem) {
		return undefined;
	}

	const located = /^line (\d+): (.*)$/s.exec(problem);
	return {
		file,
		message: `not valid Nix: ${located ? located[2] : problem}`,
		...(located ? {line: Number(located[1])} : {}),
		parser: 'bracket and string scan (nix-instantiate not found)',
	};
}

/** What `nix-instantiate --parse FILE` printed when it rejected the file: "error: …" and "at FILE:LINE:COLUMN". */
export function nixInstantiateProblem(file: string, stderr: string): FileProblem {
	const error = /^error:\s*(.+)$/m.exec(stderr)?.[1]?.trim() ?? (stderr.trim().split('\n').at(-1) || 'rejected');
	const at = /\bat .*?:(\d+):(\d+)/.exec(stderr);
	return {file, message: `not valid Nix: ${error}`, ...(at ? {line: Number(at[1]), column: Number(at[2])} : {}), parser: 'nix-instantiate --parse'};
}

const booleanKeys = new Set(['shared', 'abi3', 'suppress_build_script_link_lines']);

/**
PYO3_CONFIG_FILE as pyo3-build-config 0.30.1 reads it (`InterpreterConfig::from_reader` in
src/impl_.rs): every line `key=value` ("expected key=value pair on line N"), `version` required
("missing value for version") and `major.minor`, booleans `true`/`false`, `pointer_width` a number.
*/
export function pyo3ConfigProblem(file: string, text: string): FileProblem | undefined {
	const lines = text.split('\n');
	if (lines.at(-1) === '') {
		lines.pop();
	}

	let version: string | undefined;
	for (const [index, line] of lines.entries()) {
		const at = {file, line: index + 1, parser: 'pyo3-build-config key=value'};
		const equals = line.indexOf('=');
		if (equals === -1) {
			return {...at, message: `expected key=value pair on line ${index + 1}`};
		}

		const key = line.slice(0, equals);
		const value = line.slice(equals + 1).trim();
		if (key === 'version') {
			if (!/^\d+\.\d+$/.test(value)) {
				return {...at, message: `failed to parse version from config value '${value}'`};
			}

			version = value;
		} else if (booleanKeys.has(key) && value !== 'true' && value !== 'false') {
			return {...at, message: `failed to parse ${key} from config value '${value}'`};
		} else if (key === 'pointer_width' && !/^\d+$/.test(value)) {
			return {...at, message: `failed to parse pointer_width from config value '${value}'`};
		}
	}

	return version === undefined ? {file, message: 'missing value for version', parser: 'pyo3-build-config key=value'} : undefined;
}

/** "Cargo.toml, line 1, column 9: not valid TOML: …" */
export function formatFileProblem(problem: FileProblem): string {
	const where = [problem.line ? `line ${problem.line}` : '', problem.column ? `column ${problem.column}` : ''].filter(Boolean).join(', ');
	return `${problem.file}${where ? `, ${where}` : ''}: ${problem.message}`;
}

/** The facts each kind of file feeds, as dotted names under `project`. */
const factsFedBy: Record<FileKind, readonly string[]> = {
	'cargo-manifest': ['crateName', 'libName', 'crateTypes', 'hasBins', 'hasTests', 'hasExamples', 'pyo3'],
	'cargo-lock': ['pyo3.version', 'pyo3.versions'],
	pyproject: ['pyproject.buildBackend', 'pyproject.maturinModuleName', 'pyproject.maturinFeatures'],
	'cargo-config': ['cargoConfig.dynamicLookup', 'cargoConfig.envVariables', 'pyo3.extensionModuleDefault'],
	nix: [
		'nix.usesMaturinBuildHook',
		'nix.usesCargoSetupHook',
		'nix.usesCraneArtifacts',
		'nix.usesBuildPythonPackage',
		'nix.hardcodedWheels',
		'nix.manylinuxFlag',
		'nix.pythonAttr',
		'nix.mentionsPyo3Python',
		'nix.setsBuildExtensionModule',
	],
	'pyo3-config': [],
};

/**
The project facts without anything read from a file that did not parse: such a file proves and
refutes nothing (an unparsable Cargo.toml is not "no pyo3 dependency"). Returns a new object.
*/
export function withoutFactsFromBrokenFiles<T extends Record<string, unknown>>(project: T, problems: readonly FileProblem[]): T {
	const kept = structuredClone(project) as Record<string, unknown>;
	for (const problem of problems) {
		const kind = fileKind(problem.file);
		for (const dotted of kind ? factsFedBy[kind] : []) {
			const keys = dotted.split('.');
			let node: unknown = kept;
			for (const key of keys.slice(0, -1)) {
				node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
			}

			if (node !== null && typeof node === 'object') {
				delete (node as Record<string, unknown>)[keys.at(-1)!];
			}
		}
	}

	return kept as T;
}

/** The `files.unparsable` fact, or none. */
export function unparsableFiles(facts: Record<string, unknown> | undefined): FileProblem[] {
	const files = facts?.files as {unparsable?: unknown} | undefined;
	return Array.isArray(files?.unparsable) ? (files.unparsable as FileProblem[]) : [];
}

/** A block for a text report: one line per file that does not parse. */
export function formatUnparsableFiles(problems: readonly FileProblem[]): string {
	return [`${problems.length === 1 ? 'A file does' : `${problems.length} files do`} not parse; nothing is concluded from ${problems.length === 1 ? 'it' : 'them'}:`, ...problems.map(problem => `  ${formatFileProblem(problem)}`)].join('\n');
}
