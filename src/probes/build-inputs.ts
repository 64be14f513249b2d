import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {readToml} from './parsers/project.js';

// Facts about what a build will need, read from the project's files before any build: the Rust
// versions required, whether Cargo.lock matches Cargo.toml, the maturin flags scripts pass, the
// native libraries linked, and the wheels already in target/wheels. Pure reads; no command runs.

type Table = Record<string, unknown>;
const table = (value: unknown): Table => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : {});

function readText(file: string): string | undefined {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return undefined;
	}
}

/** The names a manifest depends on (the `package =` name when renamed), all dependency tables. */
function dependencyNames(manifest: Table): string[] {
	const tables = [manifest.dependencies, manifest['dev-dependencies'], manifest['build-dependencies'], ...Object.values(table(manifest.target)).flatMap(target => [table(target).dependencies, table(target)['dev-dependencies'], table(target)['build-dependencies']])];
	return tables.flatMap(dependencies =>
		Object.entries(table(dependencies)).map(([key, value]) => {
			const renamed = table(value).package;
			return typeof renamed === 'string' ? renamed : key;
		}),
	);
}

/**
Whether Cargo.lock lists every dependency Cargo.toml declares for the package (`cargo build
--locked` fails otherwise). Undefined when either file is missing or the package is not in the lock.
*/
export function cargoLockInSync(manifestText: string, lockText: string): boolean | undefined {
	const manifest = readToml(manifestText);
	const lock = readToml(lockText);
	const name = table(manifest?.package).name;
	if (!manifest || !lock || typeof name !== 'string' || !Array.isArray(lock.package)) {
		return undefined;
	}

	const entry = (lock.package as unknown[]).map(item => table(item)).find(item => item.name === name && item.source === undefined);
	if (!entry) {
		return undefined;
	}

	const locked = new Set((Array.isArray(entry.dependencies) ? entry.dependencies : []).map(item => String(item).split(' ')[0]));
	return dependencyNames(manifest).every(dependency => locked.has(dependency));
}

/** The `--flag`s given to maturin in shell scripts, Makefiles, justfiles and Nix files of the project. */
export function maturinFlags(texts: readonly string[]): string[] {
	const flags = new Set<string>();
	for (const text of texts) {
		for (const line of text.split('\n')) {
			const call = /(?:^|[\s;&|("'/`])maturin["']?\s+(?:build|develop|publish|sdist)\b(.*)$/.exec(line);
			for (const flag of call?.[1]?.matchAll(/(?<=\s|^)(--[a-z][\w-]*)/g) ?? []) {
				flags.add(flag[1]!);
			}
		}
	}

	return [...flags];
}

const scriptNames = /\.(?:sh|bash|nix)$|^(?:Makefile|makefile|GNUmakefile|justfile|Justfile|\.envrc)$/;

export type BuildInputFacts = {
	rustVersion?: string;
	cargoLockInSync?: boolean;
	maturinCompatibility?: string;
	maturinFlags: string[];
	lockHasPkgConfig?: boolean;
	linksNativeLibraries: boolean;
	targetWheels: string[];
};

/** Reads the build inputs of the project at `root`; `lockFile` as the project probe found it. */
export function probeBuildInputs(root: string, lockFile: string | undefined): BuildInputFacts {
	const manifestText = readText(path.join(root, 'Cargo.toml')) ?? '';
	const manifest = readToml(manifestText);
	const lockText = lockFile ? readText(lockFile) : undefined;
	const rustVersion = table(manifest?.package)['rust-version'];
	const pyproject = readToml(readText(path.join(root, 'pyproject.toml')) ?? '');
	const compatibility = table(table(pyproject?.tool).maturin).compatibility;
	const scripts = readdirSync(root).filter(name => scriptNames.test(name)).map(name => readText(path.join(root, name)) ?? '');
	const buildScript = readText(path.join(root, 'build.rs')) ?? '';
	const wheelsDir = path.join(root, 'target', 'wheels');
	const lockPackages = lockText ? (table(readToml(lockText)).package as unknown[] | undefined) : undefined;
	return {
		...(typeof rustVersion === 'string' ? {rustVersion} : {}),
		...(lockText === undefined ? {} : {cargoLockInSync: cargoLockInSync(manifestText, lockText)}),
		...(typeof compatibility === 'string' ? {maturinCompatibility: compatibility} : {}),
		maturinFlags: maturinFlags(scripts),
		...(Array.isArray(lockPackages) ? {lockHasPkgConfig: lockPackages.some(item => ['pkg-config', 'system-deps'].includes(String(table(item).name)))} : {}),
		// A build script that links a library of its own: maturin will copy it into the wheel (with patchelf).
		linksNativeLibraries: /rustc-link-lib=(?:dylib=)?(?!python)\w/.test(buildScript),
		targetWheels: existsSync(wheelsDir) ? readdirSync(wheelsDir).filter(name => name.endsWith('.whl')) : [],
	};
}

// Cargo.lock lives beside Cargo.toml, or at a workspace root above it.
function findLock(root: string): string | undefined {
	for (let dir = root, level = 0; level < 4; level++, dir = path.dirname(dir)) {
		if (existsSync(path.join(dir, 'Cargo.lock'))) {
			return path.join(dir, 'Cargo.lock');
		}
	}

	return undefined;
}

/** The project facts with the build inputs added, named as in knowledge/facts.yaml. */
export function withBuildInputs(project: Record<string, unknown>, root: string | undefined): Record<string, unknown> {
	if (!root || project.found !== true) {
		return project;
	}

	const inputs = probeBuildInputs(root, findLock(root));
	return {
		...project,
		...(inputs.rustVersion ? {rustVersion: inputs.rustVersion} : {}),
		...(inputs.cargoLockInSync === undefined ? {} : {cargoLockInSync: inputs.cargoLockInSync}),
		pyproject: {...table(project.pyproject), ...(inputs.maturinCompatibility ? {maturinCompatibility: inputs.maturinCompatibility} : {})},
		maturinFlags: inputs.maturinFlags,
		...(inputs.lockHasPkgConfig === undefined ? {} : {lockNeedsPkgConfig: inputs.lockHasPkgConfig}),
		linksNativeLibraries: inputs.linksNativeLibraries,
		target: {...table(project.target), wheels: inputs.targetWheels},
	};
}
