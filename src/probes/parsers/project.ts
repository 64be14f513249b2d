import path from 'node:path';
import {parse as parseToml} from 'smol-toml';

/** Pure readers of a project's files: each takes the file's text and returns plain facts. */

type Table = Record<string, unknown>;

function table(value: unknown): Table {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : {};
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Parses TOML, or returns undefined for a file that is not valid TOML. */
export function readToml(text: string): Table | undefined {
	try {
		return parseToml(text) as Table;
	} catch {
		return undefined;
	}
}

export type CargoManifest = {
	crateName?: string;
	crateVersion?: string;
	libName?: string;
	/** `[lib] path` (relative to the manifest), or the lib target's source file as cargo metadata gives it (absolute). */
	libPath?: string;
	crateTypes: string[];
	declaredBins: boolean;
	declaredTests: boolean;
	declaredExamples: boolean;
	pyo3Declared: boolean;
	/** Which binding crate the package depends on: pyo3, or only the raw pyo3-ffi (orjson). */
	pyo3Crate?: 'pyo3' | 'pyo3-ffi';
	pyo3Requirement?: string;
	/** `path = "…"` of the pyo3 dependency (a vendored or sibling checkout), relative to the manifest. */
	pyo3Path?: string;
	/** Features named on the pyo3 dependency itself (and, with `workspace = true`, on the workspace's). */
	pyo3Features: string[];
	/** pyo3 features the crate's default features turn on (`default = ["pyo3/extension-module"]` or via a crate feature). */
	pyo3FeaturesViaDefault: string[];
	/** pyo3 features some crate feature can turn on, default or not. */
	pyo3FeaturesViaOptional: string[];
	/** The crate features in `default` that turn extension-module on (the ones to take out of `default`). */
	defaultFeaturesEnablingExtensionModule: string[];
	autobins: boolean;
	autotests: boolean;
	autoexamples: boolean;
	/** `[workspace]`: this manifest is a workspace root; members and exclude as written (globs). */
	workspace?: {members: string[]; exclude: string[]};
	/** `package.workspace = "…"`: the workspace root this package names explicitly. */
	workspacePath?: string;
	/** The packages the crate depends on, in every dependency table, renames and workspace inheritance resolved (`foo.workspace = true` with `foo = {package = "bar-foo"}` is bar-foo). */
	dependencyPackages: string[];
};

function dependencyTables(manifest: Table): Table[] {
	const tables = [table(manifest.dependencies), table(manifest['dev-dependencies']), table(manifest['build-dependencies'])];
	for (const target of Object.values(table(manifest.target))) {
		tables.push(table(table(target).dependencies));
	}

	return tables;
}

/** Every dependency table, the target-specific ones included: the tables Cargo.lock resolves. */
function allDependencyTables(manifest: Table): Table[] {
	const kinds = ['dependencies', 'dev-dependencies', 'build-dependencies'];
	return [manifest, ...Object.values(table(manifest.target)).map(target => table(target))].flatMap(holder => kinds.map(kind => table(holder[kind])));
}

// The package a dependency entry names: `package = "…"`, else the workspace entry it inherits, else its key.
function dependencyPackage(key: string, value: unknown, workspaceDependencies: Table): string {
	const entry = table(value);
	const inherited = entry.workspace === true ? table(workspaceDependencies[key]) : {};
	const renamed = typeof entry.package === 'string' ? entry.package : inherited.package;
	return typeof renamed === 'string' ? renamed : key;
}

// Resolves crate features to the pyo3 features they switch on, following `feature = ["other"]` chains.
function pyo3FeaturesOf(features: Table, start: string[], seen = new Set<string>(), dependencyKeys: readonly string[] = ['pyo3']): string[] {
	const found: string[] = [];
	for (const name of start) {
		const dependency = /^([\w-]+)\??\/(.+)$/.exec(name);
		if (dependency) {
			if (dependencyKeys.includes(dependency[1]!)) {
				found.push(dependency[2]!);
			}

			continue;
		}

		if (seen.has(name) || !(name in features)) {
			continue;
		}

		seen.add(name);
		found.push(...pyo3FeaturesOf(features, strings(features[name]), seen, dependencyKeys));
	}

	return [...new Set(found)];
}

type Pyo3Dependency = {key: string; crate: 'pyo3' | 'pyo3-ffi'; value: Table};

// pyo3 wins over pyo3-ffi: a crate with both is a pyo3 crate.
function findPyo3Dependency(manifest: Table): Pyo3Dependency | undefined {
	let ffi: Pyo3Dependency | undefined;
	for (const dependencies of dependencyTables(manifest)) {
		for (const [key, value] of Object.entries(dependencies)) {
			const entry = typeof value === 'string' ? {version: value} : table(value);
			const name = typeof entry.package === 'string' ? entry.package : key;
			if (name === 'pyo3') {
				return {key, crate: 'pyo3', value: entry};
			}

			if (name === 'pyo3-ffi') {
				ffi ??= {key, crate: 'pyo3-ffi', value: entry};
			}
		}
	}

	return ffi;
}

/**
Reads Cargo.toml: the package, its targets, and how pyo3 (or only pyo3-ffi) is declared.
`workspaceText` is the workspace root's manifest, for `pyo3 = {workspace = true}`; a manifest
that is itself the root carries its own `[workspace.dependencies]`.
*/
export function parseCargoManifest(text: string, workspaceText?: string): CargoManifest | undefined {
	const manifest = readToml(text);
	if (!manifest) {
		return undefined;
	}

	const workspaceManifest = (workspaceText === undefined ? undefined : readToml(workspaceText)) ?? manifest;
	const packageTable = table(manifest.package);
	const lib = table(manifest.lib);
	const crateName = typeof packageTable.name === 'string' ? packageTable.name : undefined;
	const found = findPyo3Dependency(manifest);
	const pyo3Table = found?.value ?? {};
	const workspaceDependencies = table(table(workspaceManifest.workspace).dependencies);
	const fromWorkspace = (key: string) => {
		const value = workspaceDependencies[key];
		return typeof value === 'string' ? {version: value} : table(value);
	};
	// `pyo3 = {workspace = true, features = [...]}` takes the workspace's entry and adds its own features.
	const inheritedTable = pyo3Table.workspace === true ? fromWorkspace(found!.key) : {};
	const fallbackWorkspace = fromWorkspace('pyo3');
	const requirement =
		typeof pyo3Table.version === 'string' ? pyo3Table.version
		: typeof inheritedTable.version === 'string' ? inheritedTable.version
		: found === undefined && typeof fallbackWorkspace.version === 'string' ? fallbackWorkspace.version
		: undefined;
	const pyo3Path = typeof pyo3Table.path === 'string' ? pyo3Table.path : typeof inheritedTable.path === 'string' ? inheritedTable.path : undefined;
	const features = table(manifest.features);
	const pyo3Features = [...new Set([...strings(pyo3Table.features), ...strings(inheritedTable.features)])];
	const allFeatureNames = Object.keys(features);
	const keys = found ? [...new Set([found.key, found.crate])] : ['pyo3'];
	const defaults = strings(features.default);
	const workspace = manifest.workspace === undefined ? undefined : table(manifest.workspace);
	const versionValue = packageTable.version;
	return {
		...(crateName ? {crateName} : {}),
		...(typeof versionValue === 'string' ? {crateVersion: versionValue} : {}),
		...(typeof lib.name === 'string' ? {libName: lib.name} : crateName ? {libName: crateName.replaceAll('-', '_')} : {}),
		...(typeof lib.path === 'string' ? {libPath: lib.path} : {}),
		crateTypes: strings(lib['crate-type']),
		declaredBins: Array.isArray(manifest.bin) && manifest.bin.length > 0,
		declaredTests: Array.isArray(manifest.test) && manifest.test.length > 0,
		declaredExamples: Array.isArray(manifest.example) && manifest.example.length > 0,
		pyo3Declared: found !== undefined,
		...(found ? {pyo3Crate: found.crate} : {}),
		...(requirement ? {pyo3Requirement: requirement} : {}),
		...(pyo3Path ? {pyo3Path} : {}),
		pyo3Features,
		pyo3FeaturesViaDefault: pyo3FeaturesOf(features, defaults, new Set(), keys),
		pyo3FeaturesViaOptional: pyo3FeaturesOf(features, allFeatureNames, new Set(), keys),
		defaultFeaturesEnablingExtensionModule: defaults.filter(name => !name.includes('/') && pyo3FeaturesOf(features, [name], new Set(), keys).includes('extension-module')),
		autobins: packageTable.autobins !== false,
		autotests: packageTable.autotests !== false,
		autoexamples: packageTable.autoexamples !== false,
		...(workspace ? {workspace: {members: strings(workspace.members), exclude: strings(workspace.exclude)}} : {}),
		...(typeof packageTable.workspace === 'string' ? {workspacePath: packageTable.workspace} : {}),
		dependencyPackages: [...new Set(allDependencyTables(manifest).flatMap(dependencies => Object.entries(dependencies).map(([key, value]) => dependencyPackage(key, value, workspaceDependencies))))],
	};
}

/** Cargo.lock: every version of the named packages, in file order. */
export function parseCargoLockVersions(text: string, names: readonly string[]): Record<string, string[]> {
	const versions: Record<string, string[]> = Object.fromEntries(names.map(name => [name, []]));
	const lock = readToml(text);
	const packages = Array.isArray(lock?.package) ? lock.package : [];
	for (const entry of packages) {
		const {name, version} = table(entry);
		if (typeof name === 'string' && typeof version === 'string' && name in versions) {
			versions[name]!.push(version);
		}
	}

	return versions;
}

/** One Rust extension a setuptools-rust project builds: its dotted import path and its Cargo.toml. */
export type RustExtensionTarget = {target: string; path?: string};

/** A Cargo.lock package fetched from git: `name-version` (how importCargoLock's outputHashes names it) and the commit. */
export type GitLockPackage = {nameVersion: string; commit: string};

/** Cargo.lock's git sources (`source = "git+https://…#<commit>"`). */
export function parseCargoLockGitPackages(text: string): GitLockPackage[] {
	const lock = readToml(text);
	const packages = Array.isArray(lock?.package) ? lock.package : [];
	return packages.flatMap(entry => {
		const {name, version, source} = table(entry);
		const commit = typeof source === 'string' && source.startsWith('git+') ? /#([\da-f]+)$/.exec(source)?.[1] : undefined;
		return typeof name === 'string' && typeof version === 'string' && commit ? [{nameVersion: `${name}-${version}`, commit}] : [];
	});
}

export type Pyproject = {
	buildBackend?: string;
	maturinModuleName?: string;
	maturinFeatures: string[];
	/** `[tool.maturin] manifest-path`: the crate maturin builds, when pyproject.toml is not beside it. */
	maturinManifestPath?: string;
	/** `[[tool.setuptools-rust.ext-modules]]` entries. */
	setuptoolsRustExtensions: RustExtensionTarget[];
};

/** pyproject.toml: the build backend, `[tool.maturin]` and `[[tool.setuptools-rust.ext-modules]]`. */
export function parsePyproject(text: string): Pyproject | undefined {
	const pyproject = readToml(text);
	if (!pyproject) {
		return undefined;
	}

	const buildSystem = table(pyproject['build-system']);
	const tool = table(pyproject.tool);
	const maturin = table(tool.maturin);
	const extensions = Array.isArray(table(tool['setuptools-rust'])['ext-modules']) ? (table(tool['setuptools-rust'])['ext-modules'] as unknown[]) : [];
	return {
		...(typeof buildSystem['build-backend'] === 'string' ? {buildBackend: buildSystem['build-backend']} : {}),
		...(typeof maturin['module-name'] === 'string' ? {maturinModuleName: maturin['module-name']} : {}),
		maturinFeatures: strings(maturin.features),
		...(typeof maturin['manifest-path'] === 'string' ? {maturinManifestPath: maturin['manifest-path']} : {}),
		setuptoolsRustExtensions: extensions.flatMap(entry => {
			const {target, path} = table(entry);
			return typeof target === 'string' ? [{target, ...(typeof path === 'string' ? {path} : {})}] : [];
		}),
	};
}

// Splits call arguments at top-level commas (a dict or list argument keeps its own commas).
function splitArguments(text: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let start = 0;
	for (let index = 0; index < text.length; index++) {
		const char = text[index]!;
		depth += '([{'.includes(char) ? 1 : ')]}'.includes(char) ? -1 : 0;
		if (char === ',' && depth === 0) {
			parts.push(text.slice(start, index).trim());
			start = index + 1;
		}
	}

	parts.push(text.slice(start).trim());
	return parts.filter(part => part !== '');
}

/**
`RustExtension("pkg.module", "rust/Cargo.toml", …)` calls in a setup.py: the import path is the
first argument or `target=`, the manifest the second or `path=`. Only literal strings are read.
*/
export function parseSetupPyRustExtensions(source: string): RustExtensionTarget[] {
	const targets: RustExtensionTarget[] = [];
	for (const call of source.matchAll(/\bRustExtension\s*\(([^)]{0,1000})\)/g)) {
		const args = splitArguments(call[1]!);
		const literal = (text: string | undefined) => (text === undefined ? undefined : /^["']([^"']+)["']$/.exec(text)?.[1]);
		const keyword = (name: string) => literal(args.find(arg => new RegExp(`^${name}\\s*=`).test(arg))?.replace(/^\w+\s*=\s*/, ''));
		const positional = args.filter(arg => !/^\w+\s*=/.test(arg));
		const target = keyword('target') ?? literal(positional[0]);
		const path = keyword('path') ?? literal(keyword('target') === undefined ? positional[1] : positional[0]);
		if (target && /^[\w.]+$/.test(target)) {
			targets.push({target, ...(path ? {path} : {})});
		}
	}

	return targets;
}

/** `forcedEnv`: the [env] names with `force = true`, which win over the process environment. */
export type CargoConfig = {dynamicLookup: boolean; linkers: Record<string, string>; env: Record<string, string>; forcedEnv?: string[]};

/**
.cargo/config.toml: `-undefined dynamic_lookup` link args, per-target linkers, `[env]`.
`baseDir` is the directory that holds the `.cargo` folder: cargo resolves an `[env]` value with
`relative = true` against it (cargo's doc/src/reference/config.md, `[env]`).
*/
export function parseCargoConfig(text: string, baseDir?: string): CargoConfig {
	const config = readToml(text) ?? {};
	const linkers: Record<string, string> = {};
	for (const [key, value] of Object.entries(table(config.target))) {
		const linker = table(value).linker;
		if (typeof linker === 'string') {
			linkers[key] = linker;
		}
	}

	const env: Record<string, string> = {};
	const forcedEnv: string[] = [];
	for (const [key, value] of Object.entries(table(config.env))) {
		const text = typeof value === 'string' ? value : table(value).value;
		if (typeof text === 'string') {
			const relative = table(value).relative === true && baseDir !== undefined && !path.isAbsolute(text);
			env[key] = relative ? path.join(baseDir, text) : text;
			if (table(value).force === true) {
				forcedEnv.push(key);
			}
		}
	}

	return {dynamicLookup: /dynamic_lookup/.test(text), linkers, env, ...(forcedEnv.length > 0 ? {forcedEnv} : {})};
}

export type NixCues = {
	usesMaturinBuildHook: boolean;
	usesCargoSetupHook: boolean;
	usesCraneArtifacts: boolean;
	usesBuildPythonPackage: boolean;
	hardcodedWheels: string[];
	manylinuxFlag?: string;
	pythonAttr?: string;
	mentionsPyo3Python: boolean;
	/** A Nix file sets PYO3_BUILD_EXTENSION_MODULE (which pyo3 0.26 and later read as the extension-module feature). */
	setsBuildExtensionModule: boolean;
	/** `maturin build` is run in a Nix file (its flags decide the wheel's platform tag). */
	runsMaturinBuild: boolean;
	/** Nix hands Cargo.lock to importCargoLock (`cargoLock = {lockFile …}` or `importCargoLock`), which needs outputHashes for git sources. */
	importsCargoLock: boolean;
	/** Keys of `outputHashes = { "name-version" = …; }`. */
	outputHashes: string[];
	/** `allowBuiltinFetchGit = true`: git sources are fetched without a hash. */
	allowBuiltinFetchGit: boolean;
};

// The keys of every `outputHashes = { … }` set, e.g. "pyo3-0.22.0".
function outputHashKeys(text: string): string[] {
	const keys: string[] = [];
	for (const block of text.matchAll(/\boutputHashes\s*=\s*\{([^}]*)\}/g)) {
		for (const key of block[1]!.matchAll(/"([^"]+)"\s*=|(?:^|[\s;{])([A-Za-z_][\w-]*-\d[\w.+-]*)\s*=/g)) {
			keys.push(key[1] ?? key[2]!);
		}
	}

	for (const key of text.matchAll(/\boutputHashes\."([^"]+)"\s*=/g)) {
		keys.push(key[1]!);
	}

	return [...new Set(keys)];
}

/**
Wheel file names as PEP 427 spells them: name-version(-build)?-python-abi-platform.whl. The name
and version may stay `${…}` (a function argument, a nixpkgs attribute): the tags are what matter.
*/
const wheelName = /(?:[\w.]|\$\{[^}\s]*\})+-(?:[\w.+!]|\$\{[^}\s]*\})+(?:-\d[\w.]*)?-(?:cp|py|pp)\d+[\w.]*-[\w.]+-[\w.]+\.whl/g;

/**
Reads the cues pyo3-doctor cares about from the text of flake.nix, default.nix, shell.nix and
.envrc, with the Nix files' strings evaluated first (src/core/nix/evaluate.ts: resolvedNixText).
*/
export function parseNixCues(texts: readonly string[]): NixCues {
	const all = texts.join('\n');
	const wheels = [...new Set(all.match(wheelName) ?? [])];
	const manylinux = /--(?:manylinux|compatibility)(?:=|["']?\s+["']?)([\w.]+)/.exec(all)?.[1];
	const pythonAttr = /\b(python3\d{1,2}|pypy3\d{1,2})(?:Packages|\.|\b)/.exec(all)?.[1];
	return {
		usesMaturinBuildHook: /\bmaturinBuildHook\b/.test(all),
		// crane's configureCargoVendoredDepsHook with a cargoVendorDir vendors the crates as cargoSetupHook does.
		usesCargoSetupHook: /\bcargoSetupHook\b|\bcargoDeps\b|\bimportCargoLock\b|\bfetchCargoVendor\b|\bfetchCargoTarball\b|\bconfigureCargoVendoredDepsHook\b/.test(all),
		usesCraneArtifacts: /\bbuildDepsOnly\b|\bcargoArtifacts\b/.test(all),
		usesBuildPythonPackage: /\bbuildPythonPackage\b|\bbuildPythonApplication\b/.test(all),
		hardcodedWheels: wheels,
		...(manylinux ? {manylinuxFlag: manylinux} : {}),
		...(pythonAttr ? {pythonAttr} : {}),
		mentionsPyo3Python: /\bPYO3_PYTHON\b/.test(all),
		setsBuildExtensionModule: /\bPYO3_BUILD_EXTENSION_MODULE\s*=/.test(all),
		// `maturin build`, also called through a store path or an argument: `${maturin} build`, `"${pkgs.maturin}/bin/maturin" build`.
		runsMaturinBuild: /\bmaturin\}?["']?\s+build\b/.test(all),
		importsCargoLock: /\bimportCargoLock\b|\bcargoLock\s*(?:=|\.lockFile)/.test(all),
		outputHashes: outputHashKeys(all),
		allowBuiltinFetchGit: /\ballowBuiltinFetchGit\s*=\s*true\b/.test(all),
	};
}

/** Names of `#[pymodule]` functions (or their `name = "…"` override), and of hand-written `PyInit_<name>` functions, in a Rust source file. */
export function parsePymoduleNames(source: string): string[] {
	const names: string[] = [];
	const pattern = /#\[pymodule(?:\(([^)]*)\))?\]\s*(?:#\[pyo3\(([^)]*)\)\]\s*)?(?:pub(?:\([^)]*\))?\s+)?(?:fn|mod)\s+(\w+)/g;
	for (const match of source.matchAll(pattern)) {
		const options = `${match[1] ?? ''} ${match[2] ?? ''}`;
		names.push(/name\s*=\s*"([^"]+)"/.exec(options)?.[1] ?? match[3]!);
	}

	// A module written against pyo3-ffi defines its init function itself: `extern "C" fn PyInit_orjson()`.
	for (const match of source.matchAll(/\bextern\s+"C"\s+fn\s+PyInit_(\w+)\s*\(/g)) {
		names.push(match[1]!);
	}

	return names;
}

/**
Calls that start or use the Python runtime. A target that makes none links without libpython even
with extension-module on (the linker drops pyo3's unused code): only one that does fails to link.
*/
const runtimeCall = /\bPython::(?:with_gil|attach|initialize)\b|\bprepare_freethreaded_python\b|\bwith_embedded_python_interpreter\b|\bPy_Initialize/;

/** Whether Rust source text calls into the Python runtime (a test, binary or example that embeds Python). */
export function callsPythonRuntime(source: string): boolean {
	return runtimeCall.test(source);
}

/** The `pub fn`s of a library source file whose own body calls into the Python runtime. */
export function runtimeCallingFunctions(source: string): string[] {
	const names: string[] = [];
	for (const match of source.matchAll(/\bpub(?:\([^)]*\))?\s+(?:(?:const|async|unsafe)\s+)*fn\s+(\w+)[^{;]*\{/g)) {
		let depth = 1;
		let index = match.index + match[0].length;
		while (index < source.length && depth > 0) {
			const char = source[index]!;
			depth += char === '{' ? 1 : char === '}' ? -1 : 0;
			index++;
		}

		if (callsPythonRuntime(source.slice(match.index + match[0].length, index))) {
			names.push(match[1]!);
		}
	}

	return names;
}

/**
Whether a program's source calls one of the library's functions that call into the Python runtime
(`mylib::python_version()`, or the name imported with `use mylib::…`): the program then needs
libpython as much as one that calls the runtime itself.
*/
export function callsRuntimeThroughLibrary(source: string, libName: string, runtimeFunctions: readonly string[]): boolean {
	if (runtimeFunctions.length === 0 || !new RegExp(`\\b${libName}::`).test(source)) {
		return false;
	}

	return runtimeFunctions.some(name => new RegExp(`\\b${name}\\s*\\(`).test(source));
}

/** The text of the `#[cfg(test)]` modules of a source file (what `cargo test` adds to the library). */
export function testModules(source: string): string {
	const parts: string[] = [];
	for (const match of source.matchAll(/#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{/g)) {
		let depth = 1;
		let index = match.index + match[0].length;
		while (index < source.length && depth > 0) {
			const char = source[index]!;
			depth += char === '{' ? 1 : char === '}' ? -1 : 0;
			index++;
		}

		parts.push(source.slice(match.index, index));
	}

	return parts.join('\n');
}

/** Whether a Rust source file holds tests (`#[test]` or a `#[cfg(test)]` module). */
export function hasRustTests(source: string): boolean {
	return /#\[(?:\w+::)?test\]|#\[cfg\(test\)\]/.test(source);
}

/** One workspace member as `cargo metadata` describes it, in the shape the manifest reader gives. */
export type MetadataMember = {dir: string; manifest: CargoManifest};

export type CargoMetadata = {
	workspaceRoot: string;
	members: MetadataMember[];
	/** With a full resolve: the features cargo turns on for each pyo3 package in the build graph. */
	resolvedPyo3Features?: string[];
};

const libraryKinds = new Set(['lib', 'rlib', 'cdylib', 'dylib', 'staticlib', 'proc-macro']);

function memberFromMetadata(entry: Table): MetadataMember | undefined {
	const manifestPath = entry.manifest_path;
	const name = entry.name;
	if (typeof manifestPath !== 'string' || typeof name !== 'string') {
		return undefined;
	}

	const targets = (Array.isArray(entry.targets) ? entry.targets : []).map(target => table(target));
	const kinds = (target: Table) => strings(target.kind);
	const lib = targets.find(target => kinds(target).some(kind => libraryKinds.has(kind)));
	const dependencies = (Array.isArray(entry.dependencies) ? entry.dependencies : []).map(dependency => table(dependency));
	const dependency = dependencies.find(item => item.name === 'pyo3') ?? dependencies.find(item => item.name === 'pyo3-ffi');
	const features = table(entry.features);
	const key = dependency ? (typeof dependency.rename === 'string' ? dependency.rename : String(dependency.name)) : 'pyo3';
	const keys = [...new Set([key, typeof dependency?.name === 'string' ? dependency.name : 'pyo3'])];
	const defaults = strings(features.default);
	const requirement = typeof dependency?.req === 'string' && dependency.req !== '*' ? dependency.req : undefined;
	const pathValue = dependency?.path;
	const manifest: CargoManifest = {
		crateName: name,
		...(typeof entry.version === 'string' ? {crateVersion: entry.version} : {}),
		...(lib && typeof lib.name === 'string' ? {libName: lib.name} : {}),
		...(lib && typeof lib.src_path === 'string' ? {libPath: lib.src_path} : {}),
		crateTypes: lib ? strings(lib.crate_types) : [],
		declaredBins: targets.some(target => kinds(target).includes('bin')),
		declaredTests: targets.some(target => kinds(target).includes('test')),
		declaredExamples: targets.some(target => kinds(target).includes('example')),
		pyo3Declared: dependency !== undefined,
		...(dependency ? {pyo3Crate: dependency.name === 'pyo3' ? 'pyo3' : 'pyo3-ffi'} : {}),
		...(requirement ? {pyo3Requirement: requirement} : {}),
		...(typeof pathValue === 'string' ? {pyo3Path: pathValue} : {}),
		pyo3Features: dependency ? strings(dependency.features) : [],
		pyo3FeaturesViaDefault: pyo3FeaturesOf(features, defaults, new Set(), keys),
		pyo3FeaturesViaOptional: pyo3FeaturesOf(features, Object.keys(features), new Set(), keys),
		defaultFeaturesEnablingExtensionModule: defaults.filter(feature => !feature.includes('/') && pyo3FeaturesOf(features, [feature], new Set(), keys).includes('extension-module')),
		// cargo metadata already lists the targets cargo discovers on its own.
		autobins: false,
		autotests: false,
		autoexamples: false,
		// cargo metadata gives each dependency's package name, renames and workspace inheritance resolved.
		dependencyPackages: [...new Set(dependencies.map(item => item.name).filter((name): name is string => typeof name === 'string'))],
	};
	return {dir: manifestPath.replace(/[/\\]Cargo\.toml$/, ''), manifest};
}

/** `cargo metadata --format-version 1` output: the workspace root and its members, or undefined for other text. */
export function parseCargoMetadata(text: string): CargoMetadata | undefined {
	let json: Table;
	try {
		json = table(JSON.parse(text));
	} catch {
		return undefined;
	}

	if (typeof json.workspace_root !== 'string' || !Array.isArray(json.packages)) {
		return undefined;
	}

	const memberIds = new Set(strings(json.workspace_members));
	const packages = json.packages.map(entry => table(entry));
	const members = packages
		.filter(entry => memberIds.has(String(entry.id)))
		.map(entry => memberFromMetadata(entry))
		.filter((member): member is MetadataMember => member !== undefined);
	const pyo3Ids = new Set(packages.filter(entry => entry.name === 'pyo3').map(entry => String(entry.id)));
	const nodes = Array.isArray(table(json.resolve).nodes) ? (table(json.resolve).nodes as unknown[]).map(node => table(node)) : undefined;
	const resolvedPyo3Features = nodes ? [...new Set(nodes.filter(node => pyo3Ids.has(String(node.id))).flatMap(node => strings(node.features)))] : undefined;
	return {workspaceRoot: json.workspace_root, members, ...(resolvedPyo3Features && pyo3Ids.size > 0 ? {resolvedPyo3Features} : {})};
}
