import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {readToml} from './parsers/project.js';
import {readText} from './workspace.js';

// Facts about what a build will need, read from the project's files before any build: the Rust
// versions required, whether Cargo.lock matches Cargo.toml, the maturin flags scripts pass, the
// native libraries linked, and the wheels already in target/wheels. Pure reads; no command runs.

type Table = Record<string, unknown>;
const table = (value: unknown): Table => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Table) : {});

/**
Whether Cargo.lock lists every package the crate depends on (`cargo build --locked` fails
otherwise). The names are packages as cargo resolves them (renames and workspace inheritance
resolved: `arrow-format.workspace = true` may be the package polars-arrow-format). Undefined when
the lock does not parse or does not list the crate itself.
*/
export function cargoLockInSync(crate: {crateName?: string; dependencyPackages: readonly string[]}, lockText: string): boolean | undefined {
	const lock = readToml(lockText);
	if (!lock || crate.crateName === undefined || !Array.isArray(lock.package)) {
		return undefined;
	}

	const entry = (lock.package as unknown[]).map(item => table(item)).find(item => item.name === crate.crateName && item.source === undefined);
	if (!entry) {
		return undefined;
	}

	const locked = new Set((Array.isArray(entry.dependencies) ? entry.dependencies : []).map(item => String(item).split(' ')[0]));
	return crate.dependencyPackages.every(dependency => locked.has(dependency));
}

/** The `--flag`s given to maturin in shell scripts, Makefiles, justfiles and Nix files of the project. */
export function maturinFlags(texts: readonly string[]): string[] {
	const flags = new Set<string>();
	for (const text of texts) {
		for (const line of text.split('\n')) {
			// `"$MATURIN" build` and `${pkgs.maturin}/bin/maturin build` call it too.
			const call = /(?:^|[\s;&|("'/`{$])maturin["'}]?\s+(?:build|develop|publish|sdist)\b(.*)$/i.exec(line);
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
	maturinCompatibility?: string;
	maturinFlags: string[];
	lockHasPkgConfig?: boolean;
	linksNativeLibraries: boolean;
	targetWheels: string[];
};

/** Reads the build inputs of the project at `root`; `lockFile` as the project probe found it. */
export function probeBuildInputs(root: string, lockFile: string | undefined): BuildInputFacts {
	const manifest = readToml(readText(path.join(root, 'Cargo.toml')) ?? '');
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
		...(typeof compatibility === 'string' ? {maturinCompatibility: compatibility} : {}),
		maturinFlags: maturinFlags(scripts),
		...(Array.isArray(lockPackages) ? {lockHasPkgConfig: lockPackages.some(item => ['pkg-config', 'system-deps'].includes(String(table(item).name)))} : {}),
		// A build script that links a library of its own: maturin will copy it into the wheel (with patchelf).
		linksNativeLibraries: /rustc-link-lib=(?:dylib=)?(?!python)\w/.test(buildScript),
		targetWheels: existsSync(wheelsDir) ? readdirSync(wheelsDir).filter(name => name.endsWith('.whl')) : [],
	};
}

// Cargo.lock is the workspace root's (the project probe found the root; a lone crate is its own).
function findLock(project: Record<string, unknown>, root: string): string | undefined {
	const workspaceRoot = table(project.workspace).root;
	const lock = path.join(typeof workspaceRoot === 'string' ? workspaceRoot : root, 'Cargo.lock');
	return existsSync(lock) ? lock : undefined;
}

/** The project facts with the build inputs added, named as in knowledge/facts.yaml. */
export function withBuildInputs(project: Record<string, unknown>, root: string | undefined): Record<string, unknown> {
	if (!root || project.found !== true) {
		return project;
	}

	const inputs = probeBuildInputs(root, findLock(project, root));
	return {
		...project,
		...(inputs.rustVersion ? {rustVersion: inputs.rustVersion} : {}),
		pyproject: {...table(project.pyproject), ...(inputs.maturinCompatibility ? {maturinCompatibility: inputs.maturinCompatibility} : {})},
		maturinFlags: inputs.maturinFlags,
		...(inputs.lockHasPkgConfig === undefined ? {} : {lockNeedsPkgConfig: inputs.lockHasPkgConfig}),
		linksNativeLibraries: inputs.linksNativeLibraries,
		target: {...table(project.target), wheels: inputs.targetWheels},
	};
}
