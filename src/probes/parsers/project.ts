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
	libName?: string;
	crateTypes: string[];
	declaredBins: boolean;
	declaredTests: boolean;
	declaredExamples: boolean;
	pyo3Declared: boolean;
	pyo3Requirement?: string;
	/** Features named on the pyo3 dependency itself. */
	pyo3Features: string[];
	/** pyo3 features the crate's default features turn on (`default = ["pyo3/extension-module"]` or via a crate feature). */
	pyo3FeaturesViaDefault: string[];
	/** pyo3 features some crate feature can turn on, default or not. */
	pyo3FeaturesViaOptional: string[];
	autobins: boolean;
	autotests: boolean;
	autoexamples: boolean;
};

function dependencyTables(manifest: Table): Table[] {
	const tables = [table(manifest.dependencies), table(manifest['dev-dependencies']), table(manifest['build-dependencies'])];
	for (const target of Object.values(table(manifest.target))) {
		tables.push(table(table(target).dependencies));
	}

	return tables;
}

// Resolves crate features to the pyo3 features they switch on, following `feature = ["other"]` chains.
function pyo3FeaturesOf(features: Table, start: string[], seen = new Set<string>()): string[] {
	const found: string[] = [];
	for (const name of start) {
		if (name.startsWith('pyo3/') || name.startsWith('pyo3?/')) {
			found.push(name.replace(/^pyo3\??\//, ''));
			continue;
		}

		if (seen.has(name) || !(name in features)) {
			continue;
		}

		seen.add(name);
		found.push(...pyo3FeaturesOf(features, strings(features[name]), seen));
	}

	return [...new Set(found)];
}

/** Reads Cargo.toml: the package, its targets, and how pyo3 is declared. */
export function parseCargoManifest(text: string): CargoManifest | undefined {
	const manifest = readToml(text);
	if (!manifest) {
		return undefined;
	}

	const packageTable = table(manifest.package);
	const lib = table(manifest.lib);
	const crateName = typeof packageTable.name === 'string' ? packageTable.name : undefined;
	let pyo3: unknown;
	for (const dependencies of dependencyTables(manifest)) {
		for (const [key, value] of Object.entries(dependencies)) {
			const renamedFrom = table(value).package;
			if (key === 'pyo3' || renamedFrom === 'pyo3') {
				pyo3 ??= value;
			}
		}
	}

	const workspacePyo3 = table(table(table(manifest.workspace).dependencies).pyo3);
	const pyo3Table = typeof pyo3 === 'string' ? {version: pyo3} : table(pyo3);
	const requirement = typeof pyo3Table.version === 'string' ? pyo3Table.version : typeof workspacePyo3.version === 'string' ? workspacePyo3.version : undefined;
	const features = table(manifest.features);
	const pyo3Features = [...new Set([...strings(pyo3Table.features), ...(pyo3Table.workspace === true ? strings(workspacePyo3.features) : [])])];
	const allFeatureNames = Object.keys(features);
	return {
		...(crateName ? {crateName} : {}),
		...(typeof lib.name === 'string' ? {libName: lib.name} : crateName ? {libName: crateName.replaceAll('-', '_')} : {}),
		crateTypes: strings(lib['crate-type']),
		declaredBins: Array.isArray(manifest.bin) && manifest.bin.length > 0,
		declaredTests: Array.isArray(manifest.test) && manifest.test.length > 0,
		declaredExamples: Array.isArray(manifest.example) && manifest.example.length > 0,
		pyo3Declared: pyo3 !== undefined,
		...(requirement ? {pyo3Requirement: requirement} : {}),
		pyo3Features,
		pyo3FeaturesViaDefault: pyo3FeaturesOf(features, strings(features.default)),
		pyo3FeaturesViaOptional: pyo3FeaturesOf(features, allFeatureNames),
		autobins: packageTable.autobins !== false,
		autotests: packageTable.autotests !== false,
		autoexamples: packageTable.autoexamples !== false,
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

export type Pyproject = {buildBackend?: string; maturinModuleName?: string; maturinFeatures: string[]};

/** pyproject.toml: the build backend and `[tool.maturin]`. */
export function parsePyproject(text: string): Pyproject | undefined {
	const pyproject = readToml(text);
	if (!pyproject) {
		return undefined;
	}

	const buildSystem = table(pyproject['build-system']);
	const maturin = table(table(pyproject.tool).maturin);
	return {
		...(typeof buildSystem['build-backend'] === 'string' ? {buildBackend: buildSystem['build-backend']} : {}),
		...(typeof maturin['module-name'] === 'string' ? {maturinModuleName: maturin['module-name']} : {}),
		maturinFeatures: strings(maturin.features),
	};
}

/** `forcedEnv`: the [env] names with `force = true`, which win over the process environment. */
export type CargoConfig = {dynamicLookup: boolean; linkers: Record<string, string>; env: Record<string, string>; forcedEnv?: string[]};

/** .cargo/config.toml: `-undefined dynamic_lookup` link args, per-target linkers, `[env]`. */
export function parseCargoConfig(text: string): CargoConfig {
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
			env[key] = text;
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
};

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
		usesCargoSetupHook: /\bcargoSetupHook\b|\bcargoDeps\b|\bimportCargoLock\b|\bfetchCargoVendor\b|\bfetchCargoTarball\b/.test(all),
		usesCraneArtifacts: /\bbuildDepsOnly\b|\bcargoArtifacts\b/.test(all),
		usesBuildPythonPackage: /\bbuildPythonPackage\b|\bbuildPythonApplication\b/.test(all),
		hardcodedWheels: wheels,
		...(manylinux ? {manylinuxFlag: manylinux} : {}),
		...(pythonAttr ? {pythonAttr} : {}),
		mentionsPyo3Python: /\bPYO3_PYTHON\b/.test(all),
	};
}

/** Names of `#[pymodule]` functions (or their `name = "…"` override) in a Rust source file. */
export function parsePymoduleNames(source: string): string[] {
	const names: string[] = [];
	const pattern = /#\[pymodule(?:\(([^)]*)\))?\]\s*(?:#\[pyo3\(([^)]*)\)\]\s*)?(?:pub(?:\([^)]*\))?\s+)?(?:fn|mod)\s+(\w+)/g;
	for (const match of source.matchAll(pattern)) {
		const options = `${match[1] ?? ''} ${match[2] ?? ''}`;
		names.push(/name\s*=\s*"([^"]+)"/.exec(options)?.[1] ?? match[3]!);
	}

	return names;
}

/** Whether a Rust source file holds tests (`#[test]` or a `#[cfg(test)]` module). */
export function hasRustTests(source: string): boolean {
	return /#\[(?:\w+::)?test\]|#\[cfg\(test\)\]/.test(source);
}
