import {existsSync, readdirSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {nixTextForCues} from '../core/nix/cues.js';
import {readToml} from './parsers/project.js';
// Project files over 4 MiB are not read (file-problems.ts names them).
import {readText} from './workspace.js';

// Facts that show before any build what the build will stop at, read from the project's files and
// cargo's local copy of the registry: pyo3 features the locked pyo3 does not have, dependencies
// built against another pyo3 series, programs that use Python without starting it, whether the
// programs find libpython at run time, and Nix derivations that build the crate without a Python.
// Pure reads; no command runs.

type Table = Record<string, unknown>;
const table = (value: unknown): Table => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : {});

function cargoHome(env: Record<string, string | undefined>): string {
	return env.CARGO_HOME || path.join(env.HOME || os.homedir(), '.cargo');
}

function registryFolders(env: Record<string, string | undefined>, kind: 'src' | 'index'): string[] {
	const dir = path.join(cargoHome(env), 'registry', kind);
	try {
		return readdirSync(dir).map(name => path.join(dir, name));
	} catch {
		return [];
	}
}

/** The features a crate of the registry defines (its `[features]` and optional dependencies), from cargo's unpacked sources. */
export function registryFeatures(crate: string, version: string, env: Record<string, string | undefined>): Set<string> | undefined {
	for (const index of registryFolders(env, 'src')) {
		const text = readText(path.join(index, `${crate}-${version}`, 'Cargo.toml'));
		const manifest = text === undefined ? undefined : readToml(text);
		if (manifest) {
			const optional = Object.entries(table(manifest.dependencies)).filter(([, spec]) => table(spec).optional === true).map(([name]) => name);
			return new Set([...Object.keys(table(manifest.features)), ...optional]);
		}
	}

	return undefined;
}

type IndexVersion = {vers: string; yanked?: boolean; deps?: Array<{name: string; req: string; kind?: string | null; optional?: boolean; package?: string}>};

/** Where cargo's sparse index keeps a crate's entry: 1/a, 2/ab, 3/a/abc, ab/cd/abcd… (cargo's `make_dep_path`). */
function indexPath(name: string): string {
	const lower = name.toLowerCase();
	if (lower.length <= 2) {
		return path.join(String(lower.length), lower);
	}

	return lower.length === 3 ? path.join('3', lower[0]!, lower) : path.join(lower.slice(0, 2), lower.slice(2, 4), lower);
}

/**
Every version of a crate that cargo's index cache holds. The cache file (cargo's
`sources/registry/index/cache.rs`) is a header, then for each version its number and its index JSON
line, each ended by a NUL byte; only the JSON lines are read.
*/
export function indexedVersions(name: string, env: Record<string, string | undefined>): IndexVersion[] {
	for (const index of registryFolders(env, 'index')) {
		const text = readText(path.join(index, '.cache', indexPath(name)));
		if (text === undefined) {
			continue;
		}

		return text.split('\0').flatMap(part => {
			if (!part.startsWith('{')) {
				return [];
			}

			try {
				const entry = JSON.parse(part) as IndexVersion;
				return typeof entry.vers === 'string' ? [entry] : [];
			} catch {
				return [];
			}
		});
	}

	return [];
}

const numbers = (version: string) => version.split(/[.+-]/).slice(0, 3).map(Number);

/**
Whether `version` satisfies a caret, tilde, exact or bare requirement as cargo reads it
(`0.21` = `^0.21` = >=0.21.0, <0.22.0); undefined for a requirement of another shape.
*/
export function satisfies(version: string, requirement: string): boolean | undefined {
	const match = /^\s*([\^~=]?)\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?\s*$/.exec(requirement);
	if (!match || /-/.test(version)) {
		return match ? false : undefined;
	}

	const [, operator, majorText, minorText, patchText] = match;
	const wanted = [Number(majorText), minorText === undefined ? undefined : Number(minorText), patchText === undefined ? undefined : Number(patchText)];
	const [major, minor, patch] = numbers(version) as [number, number, number];
	const atLeast = major !== wanted[0] ? major > wanted[0]! : minor !== (wanted[1] ?? 0) ? minor > (wanted[1] ?? 0) : patch >= (wanted[2] ?? 0);
	if (operator === '=') {
		return major === wanted[0] && (wanted[1] === undefined || minor === wanted[1]) && (wanted[2] === undefined || patch === wanted[2]);
	}

	if (operator === '~') {
		return atLeast && major === wanted[0] && (wanted[1] === undefined || minor === wanted[1]);
	}

	// Caret: the leftmost non-zero part stays.
	if (wanted[0] !== 0 || wanted[1] === undefined) {
		return atLeast && major === wanted[0];
	}

	if (wanted[1] !== 0 || wanted[2] === undefined) {
		return atLeast && major === 0 && minor === wanted[1];
	}

	return major === 0 && minor === 0 && patch === wanted[2];
}

const newestFirst = (a: IndexVersion, b: IndexVersion) => {
	const [x, y] = [numbers(a.vers), numbers(b.vers)];
	return y[0]! - x[0]! || y[1]! - x[1]! || y[2]! - x[2]!;
};

/**
The registry dependencies of Cargo.toml with the version cargo would pick for each: the locked one,
else the newest unyanked one the index cache has that meets the requirement. Dependencies the index
cache does not know are left out.
*/
export function chosenDependencies(manifest: Table, lockText: string | undefined, env: Record<string, string | undefined>): Array<{name: string; chosen: IndexVersion}> {
	const locked = new Map<string, string>();
	for (const item of (table(readToml(lockText ?? '')).package as unknown[] | undefined) ?? []) {
		const entry = table(item);
		if (typeof entry.name === 'string' && typeof entry.version === 'string' && entry.source !== undefined) {
			locked.set(entry.name, entry.version);
		}
	}

	return Object.entries(table(manifest.dependencies)).flatMap(([key, spec]) => {
		const details = table(spec);
		const name = typeof details.package === 'string' ? details.package : key;
		const requirement = typeof spec === 'string' ? spec : details.version;
		if (['pyo3', 'pyo3-ffi'].includes(name) || typeof requirement !== 'string' || details.path !== undefined || details.git !== undefined) {
			return [];
		}

		const versions = indexedVersions(name, env);
		const lockedVersion = locked.get(name);
		const chosen = (lockedVersion && versions.find(entry => entry.vers === lockedVersion)) || versions.filter(entry => !entry.yanked && satisfies(entry.vers, requirement)).sort(newestFirst)[0];
		return chosen ? [{name, chosen}] : [];
	});
}

const dependencyName = (dep: {name: string; package?: string}) => dep.package ?? dep.name;

/**
The chosen dependencies that need another pyo3 than the one locked (the pyo3 or pyo3-ffi
requirement they declare, which the locked pyo3 does not meet). Two pyo3-ffi in one graph both
declare the same `links` value, which cargo refuses.
*/
export function otherPyo3Dependents(chosen: ReturnType<typeof chosenDependencies>, pyo3Version: string): string[] {
	return chosen.flatMap(({name, chosen: version}) => {
		const needs = (version.deps ?? []).find(dep => ['pyo3', 'pyo3-ffi'].includes(dependencyName(dep)) && (dep.kind ?? 'normal') === 'normal' && !dep.optional);
		return needs && satisfies(pyo3Version, needs.req) === false ? [`${name} ${version.vers} needs ${dependencyName(needs)} ${needs.req.replace(/^\^/, '')}`] : [];
	});
}

/** The chosen dependencies whose build script runs pkg-config (a pkg-config or system-deps build dependency). */
export function pkgConfigDependents(chosen: ReturnType<typeof chosenDependencies>): string[] {
	return chosen.filter(({chosen: version}) => (version.deps ?? []).some(dep => dep.kind === 'build' && ['pkg-config', 'system-deps'].includes(dependencyName(dep)))).map(({name, chosen: version}) => `${name} ${version.vers}`);
}

/** Calls that use the interpreter, and calls (or the feature) that start it first. */
const usesInterpreter = /\bPython::(?:with_gil|attach)\b/;
const startsInterpreter = /\bPython::initialize\b|\bprepare_freethreaded_python\b|\bwith_embedded_python_interpreter\b|\bPy_Initialize/;

/** Programs (src/main.rs, src/bin/) that use Python without starting it: with auto-initialize off they panic at the first attach. */
function programsUsingPythonUnstarted(root: string): boolean | undefined {
	const files = [path.join(root, 'src', 'main.rs')];
	try {
		files.push(...readdirSync(path.join(root, 'src', 'bin')).filter(name => name.endsWith('.rs')).map(name => path.join(root, 'src', 'bin', name)));
	} catch {
		// No src/bin.
	}

	// Comments are dropped: a note that names Python::initialize() does not call it.
	const texts = files.map(file => readText(file)?.replaceAll(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')).filter((text): text is string => text !== undefined);
	return texts.length === 0 ? undefined : texts.some(text => usesInterpreter.test(text) && !startsInterpreter.test(text));
}

/**
Whether built programs will carry a run-time search path for libpython: build.rs adds one
(pyo3-build-config's `add_libpython_rpath_link_args`, or a `-rpath` link argument), or the
rustflags of .cargo/config.toml or RUSTFLAGS do.
*/
function libpythonRpathConfigured(root: string, env: Record<string, string | undefined>): boolean {
	const buildScript = readText(path.join(root, 'build.rs')) ?? '';
	const config = [path.join(root, '.cargo', 'config.toml'), path.join(root, '.cargo', 'config')].map(file => readText(file) ?? '').join('\n');
	return /add_libpython_rpath_link_args|-rpath/.test(buildScript) || /rpath/.test(config) || /rpath/.test(`${env.RUSTFLAGS ?? ''} ${env.CARGO_ENCODED_RUSTFLAGS ?? ''}`);
}

/** A Nix file whose derivation compiles the crate (cargo, maturin, a Rust builder). */
const buildsRust = /\bcargo\s+build\b|\bmaturin\s+build\b|\bbuildRustPackage\b|\bbuildPackage\b|\bcargoBuildHook\b/;
/** Builders that bring a Python of their own. */
const bringsPython = /\bbuildPythonPackage\b|\bbuildPythonApplication\b|\bmaturinBuildHook\b/;

/**
Nix files that build the crate, list their inputs, and have no Python among them and set neither
PYO3_PYTHON nor PYO3_CONFIG_FILE: pyo3's build script then finds no interpreter in the build's PATH.
The input lists are read as Nix evaluates their strings.
*/
export function nixBuildsWithoutPython(texts: readonly string[]): boolean | undefined {
	const building = texts.filter(text => buildsRust.test(text) || bringsPython.test(text));
	if (building.length === 0) {
		return undefined;
	}

	return building.every(text => {
		if (bringsPython.test(text) || /\bPYO3_PYTHON\b|\bPYO3_CONFIG_FILE\b/.test(text)) {
			return false;
		}

		// A derivation that lists no inputs at all is not read: its tools come from somewhere this file does not say.
		const inputs = [...text.matchAll(/\b(?:nativeBuildInputs|buildInputs|propagatedBuildInputs|packages)\s*=\s*(?:[^;[]*\[)?([^\]]*)\]?/g)].map(match => match[1] ?? '');
		return inputs.length > 0 && !inputs.some(list => /python|pypy/i.test(list));
	});
}

function nixTexts(root: string): string[] {
	return ['flake.nix', 'default.nix', 'package.nix'].flatMap(name => {
		const text = readText(path.join(root, name));
		return text === undefined ? [] : [nixTextForCues(root, name, text)];
	});
}

/** The project facts with the pre-build evidence added, named as in knowledge/facts.yaml. */
export function withPreBuildEvidence(project: Record<string, unknown>, root: string | undefined, env: Record<string, string | undefined>): Record<string, unknown> {
	if (!root || project.found !== true) {
		return project;
	}

	const manifest = readToml(readText(path.join(root, 'Cargo.toml')) ?? '');
	const pyo3 = table(project.pyo3);
	const version = typeof pyo3.version === 'string' && /^\d+\.\d+\.\d+$/.test(pyo3.version) ? pyo3.version : undefined;
	const defined = version ? registryFeatures('pyo3', version, env) : undefined;
	const requested = Array.isArray(pyo3.features) ? (pyo3.features as string[]) : [];
	const unknownFeatures = defined ? requested.filter(feature => !defined.has(feature)) : undefined;
	const lockText = readText(path.join(root, 'Cargo.lock'));
	const chosen = manifest ? chosenDependencies(manifest, lockText, env) : [];
	const dependents = version && chosen.length > 0 ? otherPyo3Dependents(chosen, version) : undefined;
	const needPkgConfig = chosen.length > 0 ? pkgConfigDependents(chosen) : undefined;
	const unstarted = programsUsingPythonUnstarted(root);
	const withoutPython = nixBuildsWithoutPython(nixTexts(root));
	// maturin develop looks for VIRTUAL_ENV, CONDA_PREFIX, then a .venv folder here or in a parent.
	const venvFolder = (function find(dir: string): boolean {
		return existsSync(path.join(dir, '.venv')) || (path.dirname(dir) !== dir && find(path.dirname(dir)));
	})(path.resolve(root));
	return {
		...project,
		pyo3: {
			...pyo3,
			...(unknownFeatures ? {unknownFeatures} : {}),
			...(dependents ? {otherSeriesDependents: dependents} : {}),
		},
		...(unstarted === undefined ? {} : {programsUsePythonUnstarted: unstarted}),
		...(needPkgConfig ? {dependenciesNeedPkgConfig: needPkgConfig} : {}),
		libpythonRpath: libpythonRpathConfigured(root, env),
		venvFolder,
		...(withoutPython === undefined ? {} : {nix: {...table(project.nix), buildsWithoutPython: withoutPython}}),
	};
}
