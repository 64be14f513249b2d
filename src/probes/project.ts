import {closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {isEntry} from '../io/project-root.js';
import {findOnPath, probeRun, type ProbeContext} from './context.js';
import {nixTextForCues} from '../core/nix/cues.js';
import {loaderFinds} from './libraries.js';
import {isElf, parseReadelfDynamic} from './parsers/elf.js';
import {
	hasRustTests,
	parseCargoConfig,
	parseCargoLockVersions,
	parseCargoManifest,
	parseNixCues,
	parsePymoduleNames,
	parsePyproject,
	type CargoConfig,
} from './parsers/project.js';

/** The project facts, shaped as `project.*` in knowledge/facts.yaml. */
export type ProjectFacts = Record<string, unknown> & {found: boolean};

const nixFileNames = ['flake.nix', 'default.nix', 'shell.nix', '.envrc'] as const;
/** Caps that keep a huge target/ or src/ from slowing the report down. */
const maxTargetEntries = 4000;
const maxElfFiles = 24;
const maxSourceFiles = 400;

function readText(file: string): string | undefined {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
}

function isDir(file: string): boolean {
	try {
		return statSync(file).isDirectory();
	} catch {
		return false;
	}
}

// Lists files under a folder, depth first, skipping symlinks; stops at `limit` entries.
function walk(dir: string, limit: number, accept: (file: string) => boolean = () => true): string[] {
	const files: string[] = [];
	const pending = [dir];
	while (pending.length > 0 && files.length < limit) {
		const current = pending.pop()!;
		let names: string[];
		try {
			names = readdirSync(current);
		} catch {
			continue;
		}

		for (const name of names) {
			const full = path.join(current, name);
			let stats;
			try {
				stats = lstatSync(full);
			} catch {
				continue;
			}

			if (stats.isDirectory()) {
				pending.push(full);
			} else if (stats.isFile() && accept(full)) {
				files.push(full);
				if (files.length >= limit) {
					break;
				}
			}
		}
	}

	return files;
}

function rustFilesIn(dir: string): string[] {
	return isDir(dir) ? walk(dir, maxSourceFiles, file => file.endsWith('.rs')) : [];
}

// Cargo.lock lives beside Cargo.toml, or at the workspace root above it.
export function findCargoLock(root: string): string | undefined {
	let dir = root;
	for (let level = 0; level < 4; level++) {
		const lock = path.join(dir, 'Cargo.lock');
		if (isEntry(lock)) {
			return lock;
		}

		const parent = path.dirname(dir);
		if (parent === dir) {
			return undefined;
		}

		dir = parent;
	}

	return undefined;
}

/** Reads .cargo/config.toml (or .cargo/config) of the project; the linkers feed the rust probe. */
export function readCargoConfig(root: string | undefined): {present: boolean; config: CargoConfig} {
	const empty = {dynamicLookup: false, linkers: {}, env: {}};
	if (!root) {
		return {present: false, config: empty};
	}

	for (const name of ['config.toml', 'config']) {
		const text = readText(path.join(root, '.cargo', name));
		if (text !== undefined) {
			return {present: true, config: parseCargoConfig(text)};
		}
	}

	return {present: false, config: empty};
}

type TargetFacts = {present: boolean; readOnlyFiles?: number; foreignOwnedFiles?: number; epochDatedFiles?: number; elfFiles: string[]};

// Samples target/: permissions, owners and 1970 dates left by copies out of the Nix store.
function inspectTarget(root: string): TargetFacts {
	const target = path.join(root, 'target');
	if (!isDir(target)) {
		return {present: false, elfFiles: []};
	}

	const uid = os.userInfo().uid;
	let readOnlyFiles = 0;
	let foreignOwnedFiles = 0;
	let epochDatedFiles = 0;
	const candidates: string[] = [];
	for (const file of walk(target, maxTargetEntries)) {
		let stats;
		try {
			stats = lstatSync(file);
		} catch {
			continue;
		}

		if ((stats.mode & 0o200) === 0) {
			readOnlyFiles++;
		}

		if (uid !== -1 && stats.uid !== uid) {
			foreignOwnedFiles++;
		}

		if (stats.mtimeMs < 365 * 24 * 3600 * 1000) {
			epochDatedFiles++;
		}

		// Built programs and test binaries (executable, no extension) and shared objects.
		const base = path.basename(file);
		const executable = (stats.mode & 0o111) !== 0 && !base.includes('.');
		if ((executable || base.endsWith('.so')) && !file.includes(`${path.sep}build${path.sep}`) && !file.includes(`${path.sep}.fingerprint${path.sep}`)) {
			candidates.push(file);
		}
	}

	return {present: true, readOnlyFiles, foreignOwnedFiles, epochDatedFiles, elfFiles: candidates.filter(file => startsLikeElf(file)).slice(0, maxElfFiles)};
}

function startsLikeElf(file: string): boolean {
	try {
		const fd = openSync(file, 'r');
		try {
			const head = new Uint8Array(4);
			readSync(fd, head, 0, 4, 0);
			return isElf(head);
		} finally {
			closeSync(fd);
		}
	} catch {
		return false;
	}
}

/** Built binaries whose NEEDED libpython the loader would not find (RUNPATH, LD_LIBRARY_PATH, cache). */
async function binariesMissingLibpython(context: ProbeContext, files: readonly string[], cache: Map<string, string[]> | undefined): Promise<string[] | undefined> {
	if (files.length === 0) {
		return [];
	}

	if (!findOnPath('readelf', context.env)) {
		return undefined;
	}

	const results = await Promise.all(
		files.map(async file => {
			const result = await probeRun(context, 'readelf', ['-d', '-W', file]);
			// readelf always names the dynamic section ("There is no dynamic section" included); other output is no answer.
			if (result.status !== 'ok' || !/dynamic section/i.test(result.stdout)) {
				return unknown;
			}

			const dynamic = parseReadelfDynamic(result.stdout);
			const libpython = dynamic.needed.filter(name => name.startsWith('libpython'));
			const missing = libpython.some(
				soname =>
					loaderFinds(soname, {
						cache,
						ldLibraryPath: context.env.LD_LIBRARY_PATH,
						extraDirs: [...dynamic.runpath, ...dynamic.rpath],
						origin: path.dirname(file),
					}) === false,
			);
			return missing ? file : undefined;
		}),
	);
	// A binary readelf could not describe may be one that misses libpython: then none is cleared.
	const missing = results.filter((file): file is string => typeof file === 'string');
	return missing.length === 0 && results.includes(unknown) ? undefined : missing;
}

const unknown = Symbol('unknown');

/** Everything the project's own files say: Cargo.toml/lock, pyproject.toml, .cargo/config, Nix files, target/. */
export async function probeProject(
	context: ProbeContext,
	root: string | undefined,
	loaderCache: Promise<Map<string, string[]> | undefined>,
): Promise<ProjectFacts> {
	if (!root) {
		return {found: false};
	}

	const manifestText = readText(path.join(root, 'Cargo.toml')) ?? '';
	const manifest = parseCargoManifest(manifestText);
	const lockFile = findCargoLock(root);
	const lock = lockFile ? parseCargoLockVersions(readText(lockFile) ?? '', ['pyo3', 'pyo3-ffi']) : undefined;
	const cargoConfig = readCargoConfig(root);
	const pyprojectText = readText(path.join(root, 'pyproject.toml'));
	const pyproject = pyprojectText === undefined ? undefined : parsePyproject(pyprojectText);
	const nixFiles = nixFileNames.filter(name => existsSync(path.join(root, name)));
	// Strings are read as Nix evaluates them: `${wheel_tail}` becomes the let-bound tail it names.
	const nixCues = parseNixCues(nixFiles.map(name => nixTextForCues(root, name, readText(path.join(root, name)) ?? '')));
	const sources = rustFilesIn(path.join(root, 'src'));
	const sourceTexts = sources.map(file => readText(file) ?? '');

	const features = [...new Set([...(manifest?.pyo3Features ?? []), ...(manifest?.pyo3FeaturesViaDefault ?? [])])];
	const buildExtensionModuleInConfig = 'PYO3_BUILD_EXTENSION_MODULE' in cargoConfig.config.env;
	const lockedPyo3 = lock?.pyo3?.[0];
	const versions = [...new Set([...(lock?.pyo3 ?? []), ...(lock?.['pyo3-ffi'] ?? [])])];
	const abi3 = features.find(feature => /^abi3(?:-py\d+)?$/.test(feature));
	const hasBins = Boolean(manifest?.declaredBins) || (manifest?.autobins !== false && (existsSync(path.join(root, 'src', 'main.rs')) || rustFilesIn(path.join(root, 'src', 'bin')).length > 0));
	const hasTests = Boolean(manifest?.declaredTests) || (manifest?.autotests !== false && rustFilesIn(path.join(root, 'tests')).length > 0) || sourceTexts.some(text => hasRustTests(text));
	const hasExamples = Boolean(manifest?.declaredExamples) || (manifest?.autoexamples !== false && rustFilesIn(path.join(root, 'examples')).length > 0);

	const [tracked, target] = await Promise.all([lockFile ? cargoLockTracked(context, lockFile) : Promise.resolve(undefined), Promise.resolve(inspectTarget(root))]);
	const missingLibpython = await binariesMissingLibpython(context, target.elfFiles, await loaderCache);

	return {
		found: true,
		root,
		...(manifest?.crateName ? {crateName: manifest.crateName} : {}),
		...(manifest?.libName ? {libName: manifest.libName} : {}),
		crateTypes: manifest?.crateTypes ?? [],
		hasBins,
		hasTests,
		hasExamples,
		pyo3: {
			declared: Boolean(manifest?.pyo3Declared),
			...(lockedPyo3 ? {version: lockedPyo3} : manifest?.pyo3Requirement ? {version: manifest.pyo3Requirement.replace(/^[\^~=\s]+/, '')} : {}),
			versions,
			features,
			extensionModuleDefault: features.includes('extension-module') || buildExtensionModuleInConfig,
			autoInitialize: features.includes('auto-initialize'),
			...(abi3 ? {abi3} : {}),
		},
		cargoLockPresent: lockFile !== undefined,
		...(tracked === undefined ? {} : {cargoLockTracked: tracked}),
		cargoConfig: {present: cargoConfig.present, dynamicLookup: cargoConfig.config.dynamicLookup},
		pyproject: {
			present: pyprojectText !== undefined,
			...(pyproject?.buildBackend ? {buildBackend: pyproject.buildBackend} : {}),
			...(pyproject?.maturinModuleName ? {maturinModuleName: pyproject.maturinModuleName} : {}),
			maturinFeatures: pyproject?.maturinFeatures ?? [],
		},
		pymoduleNames: [...new Set(sourceTexts.flatMap(text => parsePymoduleNames(text)))],
		nix: {files: nixFiles, ...nixCues},
		target: {
			present: target.present,
			...(target.present
				? {readOnlyFiles: target.readOnlyFiles, foreignOwnedFiles: target.foreignOwnedFiles, epochDatedFiles: target.epochDatedFiles}
				: {}),
			...(missingLibpython === undefined ? {} : {binariesMissingLibpython: missingLibpython}),
		},
	};
}

// Flakes copy only files git tracks: an untracked Cargo.lock is invisible to `nix build`.
async function cargoLockTracked(context: ProbeContext, lockFile: string): Promise<boolean | undefined> {
	const result = await probeRun(context, 'git', ['ls-files', '--error-unmatch', path.basename(lockFile)], path.dirname(lockFile));
	if (result.status === 'ok') {
		return true;
	}

	// Exit 1 with "did not match" means a repository that does not track it; anything else (no git, not a repository) is unknown.
	return result.status === 'failed' && /did not match/.test(result.stderr) ? false : undefined;
}
