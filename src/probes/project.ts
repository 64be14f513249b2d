import {closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {isEntry} from '../io/project-root.js';
import {cargoLockInSync} from './build-inputs.js';
import {findOnPath, probeRun, type ProbeContext} from './context.js';
import {nixTextForCues} from '../core/nix/cues.js';
import {loaderFinds} from './libraries.js';
import {isElf, parseReadelfDynamic} from './parsers/elf.js';
import {discoverNixFiles, nixFileConcernsCrate} from './nix-files.js';
import {
	callsPythonRuntime,
	callsRuntimeThroughLibrary,
	runtimeCallingFunctions,
	hasRustTests,
	testModules,
	parseCargoLockGitPackages,
	parseCargoLockVersions,
	parseCargoManifest,
	parseNixCues,
	parsePymoduleNames,
	parsePyproject,
	parseSetupPyRustExtensions,
	type CargoConfig,
	type CargoManifest,
	type Pyproject,
	type RustExtensionTarget,
} from './parsers/project.js';
import {loadProjectModel, pyo3Members, type ProjectModel} from './project-model.js';
import {findGitRoot, readCargoConfigChain, readText} from './workspace.js';

/** The project facts, shaped as `project.*` in knowledge/facts.yaml. */
export type ProjectFacts = Record<string, unknown> & {found: boolean};

/** Caps that keep a huge target/ or src/ from slowing the report down. */
const maxTargetEntries = 4000;
const maxElfFiles = 24;
const maxSourceFiles = 400;

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

function isInsideDir(root: string, dir: string): boolean {
	const relative = path.relative(root, dir);
	return !relative.startsWith('..') && !path.isAbsolute(relative);
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

/** The merged .cargo/config.toml chain for a build started in the project folder; the linkers feed the rust probe. */
export function readCargoConfig(root: string | undefined, env: Record<string, string | undefined> = process.env): {present: boolean; config: CargoConfig} {
	const chain = readCargoConfigChain(root, env);
	return {present: chain.files.length > 0, config: chain.config};
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
type BuildFiles = {pyprojectDir?: string; pyprojectText?: string; pyproject?: Pyproject; extensions: RustExtensionTarget[]};

/**
The Python build files of this crate: its own pyproject.toml and setup.py, or ones above it that
name it (maturin `manifest-path`, setuptools-rust `path`, a `RustExtension(…, "crates/x/Cargo.toml")`).
*/
function findBuildFiles(crateDir: string, topDir: string): BuildFiles {
	const manifest = path.join(crateDir, 'Cargo.toml');
	const names = (dir: string, paths: Array<string | undefined>) => paths.some(item => item !== undefined && path.resolve(dir, item) === manifest);
	for (let dir = crateDir; ; dir = path.dirname(dir)) {
		const text = readText(path.join(dir, 'pyproject.toml'));
		const pyproject = text === undefined ? undefined : parsePyproject(text);
		const setupPy = readText(path.join(dir, 'setup.py'));
		const fromSetupPy = setupPy === undefined ? [] : parseSetupPyRustExtensions(setupPy);
		const fromPyproject = pyproject?.setuptoolsRustExtensions ?? [];
		const here = dir === crateDir && (text !== undefined || setupPy !== undefined);
		if (here || names(dir, [pyproject?.maturinManifestPath, ...fromPyproject.map(item => item.path), ...fromSetupPy.map(item => item.path)])) {
			return {
				...(text === undefined ? {} : {pyprojectDir: dir, pyprojectText: text, pyproject}),
				extensions: [...fromPyproject, ...fromSetupPy].filter(item => path.resolve(dir, item.path ?? 'Cargo.toml') === manifest),
			};
		}

		if (dir === topDir || path.dirname(dir) === dir || path.relative(topDir, dir).startsWith('..')) {
			return {extensions: []};
		}
	}
}

export type ImportNameFacts = {backend: 'maturin' | 'setuptools-rust' | 'none'; importNames: string[]};

/** The module name(s) Python will import, by the backend that builds the crate. */
function importNamesFor(manifest: CargoManifest | undefined, pyproject: Pyproject | undefined, extensions: readonly RustExtensionTarget[]): ImportNameFacts {
	const backend = pyproject?.buildBackend;
	if (extensions.length > 0 || backend?.startsWith('setuptools') === true) {
		return {backend: 'setuptools-rust', importNames: extensions.map(extension => extension.target.split('.').at(-1)!)};
	}

	if (backend === 'maturin') {
		const name = pyproject?.maturinModuleName?.split('.').at(-1) ?? manifest?.libName;
		return {backend: 'maturin', importNames: name ? [name] : []};
	}

	return {backend: 'none', importNames: manifest?.libName ? [manifest.libName] : []};
}

// The version of a pyo3 checked out beside the crate (`path = "../pyo3"`), from its own Cargo.toml.
function pathDependencyVersion(crateDir: string, dependencyPath: string | undefined): string | undefined {
	if (!dependencyPath) {
		return undefined;
	}

	const text = readText(path.join(path.resolve(crateDir, dependencyPath), 'Cargo.toml'));
	return text === undefined ? undefined : parseCargoManifest(text)?.crateVersion;
}

/** The folder above which no project file is looked for: the workspace root, or the git root above it. */
function topFolder(crateDir: string, workspaceRoot: string): string {
	const gitRoot = findGitRoot(crateDir);
	return gitRoot && !path.relative(gitRoot, workspaceRoot).startsWith('..') ? gitRoot : workspaceRoot;
}

/** Everything the project's own files say: Cargo.toml/lock, pyproject.toml, .cargo/config, Nix files, target/. */
export async function probeProject(
	context: ProbeContext,
	root: string | undefined,
	loaderCache: Promise<Map<string, string[]> | undefined>,
	knownModel?: ProjectModel,
): Promise<ProjectFacts> {
	if (!root) {
		return {found: false};
	}

	// A cargo-generate template (`name = "{{project-name}}"`) is not a project yet: nothing in it can be checked.
	const manifestText = readText(path.join(root, 'Cargo.toml')) ?? '';
	if (/\{\{\s*[\w-]+\s*\}\}/.test(manifestText)) {
		return {found: true, root, cargoGenerateTemplate: true};
	}

	const model = knownModel ?? (await loadProjectModel(context, root));
	const workspaceRoot = model.workspaceRoot;
	const top = topFolder(root, workspaceRoot);
	const member = model.members.find(item => path.resolve(item.dir) === path.resolve(root));
	const manifest = member?.manifest ?? parseCargoManifest(manifestText, readText(path.join(workspaceRoot, 'Cargo.toml')));
	const lockFile = [path.join(workspaceRoot, 'Cargo.lock')].find(file => existsSync(file));
	const lockText = lockFile ? readText(lockFile) ?? '' : undefined;
	const lock = lockText === undefined ? undefined : parseCargoLockVersions(lockText, ['pyo3', 'pyo3-ffi']);
	const lockInSync = lockText === undefined || !manifest ? undefined : cargoLockInSync(manifest, lockText);
	const cargoConfig = readCargoConfig(root, context.env);
	const build = findBuildFiles(root, top);
	const pyproject = build.pyproject;
	const extensions = build.extensions;
	const naming = importNamesFor(manifest, pyproject, extensions);
	const nixFiles = discoverNixFiles(root, top).filter(nixFile => nixFileConcernsCrate(nixFile, root, workspaceRoot));
	// Strings are read as Nix evaluates them: `${wheel_tail}` becomes the let-bound tail it names.
	const nixCues = parseNixCues(nixFiles.map(nixFile => nixTextForCues(path.dirname(nixFile.file), path.basename(nixFile.file), nixFile.text)));
	// The library's own folder: src/ by convention, or where `[lib] path` puts it (setuptools-rust examples use rust/).
	const libDir = manifest?.libPath ? path.dirname(path.resolve(root, manifest.libPath)) : path.join(root, 'src');
	const sources = [...new Set([...rustFilesIn(path.join(root, 'src')), ...(isInsideDir(root, libDir) ? rustFilesIn(libDir) : [])])];
	const sourceTexts = sources.map(file => readText(file) ?? '');

	const features = [...new Set([...(manifest?.pyo3Features ?? []), ...(manifest?.pyo3FeaturesViaDefault ?? [])])];
	const buildExtensionModuleInConfig = 'PYO3_BUILD_EXTENSION_MODULE' in cargoConfig.config.env;
	const ffiOnly = manifest?.pyo3Crate === 'pyo3-ffi';
	const lockedPyo3 = (ffiOnly ? lock?.['pyo3-ffi'] : lock?.pyo3)?.[0];
	const pathVersion = pathDependencyVersion(root, manifest?.pyo3Path);
	const versions = [...new Set([...(lock?.pyo3 ?? []), ...(lock?.['pyo3-ffi'] ?? [])])];
	const abi3 = features.find(feature => /^abi3(?:-py\d+)?$/.test(feature));
	const hasBins = Boolean(manifest?.declaredBins) || (manifest?.autobins !== false && (existsSync(path.join(root, 'src', 'main.rs')) || rustFilesIn(path.join(root, 'src', 'bin')).length > 0));
	const hasTests = Boolean(manifest?.declaredTests) || (manifest?.autotests !== false && rustFilesIn(path.join(root, 'tests')).length > 0) || sourceTexts.some(text => hasRustTests(text));
	const hasExamples = Boolean(manifest?.declaredExamples) || (manifest?.autoexamples !== false && rustFilesIn(path.join(root, 'examples')).length > 0);
	// Unknown (absent) when no source of that kind can be read, e.g. a [[bin]] whose file is not there.
	// A program may reach the runtime through the crate's own library (`mylib::python_version()`).
	const programFiles = new Set([path.join(root, 'src', 'main.rs'), ...rustFilesIn(path.join(root, 'src', 'bin'))]);
	const libRuntimeFunctions = sources.filter(file => !programFiles.has(file)).flatMap(file => runtimeCallingFunctions(readText(file) ?? ''));
	const libName = manifest?.libName ?? manifest?.crateName?.replaceAll('-', '_');
	const anyCalls = (files: string[]) => {
		const texts = files.map(file => readText(file)).filter((text): text is string => text !== undefined);
		return texts.length === 0 ? undefined : texts.some(text => callsPythonRuntime(text) || (libName !== undefined && callsRuntimeThroughLibrary(text, libName, libRuntimeFunctions)));
	};
	const testCalls = anyCalls(rustFilesIn(path.join(root, 'tests')));
	const unitTestCalls = sourceTexts.some(text => callsPythonRuntime(testModules(text)));
	const pythonCalledFrom = {
		bins: anyCalls([path.join(root, 'src', 'main.rs'), ...rustFilesIn(path.join(root, 'src', 'bin'))]),
		tests: testCalls === true || unitTestCalls ? true : testCalls === undefined && !sourceTexts.some(text => hasRustTests(text)) ? undefined : false,
		examples: anyCalls(rustFilesIn(path.join(root, 'examples'))),
	};
	const version = lockedPyo3 ?? pathVersion ?? manifest?.pyo3Requirement?.replace(/^[\^~=\s]+/, '');
	const relative = (file: string) => path.relative(root, file) || '.';
	const isWorkspaceRoot = path.resolve(workspaceRoot) === path.resolve(root);
	const pyo3MemberCrates = pyo3Members(model).filter(item => path.resolve(item.dir) !== path.resolve(root));

	const [tracked, target] = await Promise.all([lockFile ? cargoLockTracked(context, lockFile) : Promise.resolve(undefined), Promise.resolve(inspectTarget(workspaceRoot))]);
	const missingLibpython = await binariesMissingLibpython(context, target.elfFiles, await loaderCache);

	return {
		found: true,
		root,
		model: model.source,
		...(model.problem ? {modelProblem: model.problem} : {}),
		workspace: {
			root: workspaceRoot,
			isRoot: isWorkspaceRoot,
			...(isWorkspaceRoot ? {pyo3Members: pyo3MemberCrates.map(item => ({name: item.manifest.crateName ?? '?', path: path.relative(root, item.dir)}))} : {}),
		},
		...(manifest?.crateName ? {crateName: manifest.crateName} : {}),
		...(manifest?.libName ? {libName: manifest.libName} : {}),
		crateTypes: manifest?.crateTypes ?? [],
		hasBins,
		hasTests,
		hasExamples,
		pythonCalledFrom,
		backend: naming.backend,
		importNames: naming.importNames,
		pyo3: {
			declared: Boolean(manifest?.pyo3Declared),
			...(manifest?.pyo3Crate ? {crate: manifest.pyo3Crate} : {}),
			...(version ? {version} : {}),
			versions,
			features,
			extensionModuleDefault: features.includes('extension-module') || buildExtensionModuleInConfig,
			defaultFeaturesEnablingExtensionModule: manifest?.defaultFeaturesEnablingExtensionModule ?? [],
			autoInitialize: features.includes('auto-initialize'),
			...(abi3 ? {abi3} : {}),
		},
		cargoLockPresent: lockFile !== undefined,
		...(lockInSync === undefined ? {} : {cargoLockInSync: lockInSync}),
		...(lockText === undefined ? {} : {cargoLockGitPackages: parseCargoLockGitPackages(lockText)}),
		...(tracked === undefined ? {} : {cargoLockTracked: tracked}),
		cargoConfig: {present: cargoConfig.present, dynamicLookup: cargoConfig.config.dynamicLookup, envVariables: Object.keys(cargoConfig.config.env)},
		pyproject: {
			present: build.pyprojectText !== undefined,
			...(build.pyprojectDir && build.pyprojectDir !== root ? {path: relative(path.join(build.pyprojectDir, 'pyproject.toml'))} : {}),
			...(pyproject?.buildBackend ? {buildBackend: pyproject.buildBackend} : {}),
			...(pyproject?.maturinModuleName ? {maturinModuleName: pyproject.maturinModuleName} : {}),
			maturinFeatures: pyproject?.maturinFeatures ?? [],
		},
		pymoduleNames: [...new Set(sourceTexts.flatMap(text => parsePymoduleNames(text)))],
		nix: {files: [...new Set(nixFiles.map(nixFile => path.basename(nixFile.file)))], paths: nixFiles.map(nixFile => relative(nixFile.file)), ...nixCues},
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
