import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {readToml} from './parsers/project.js';
import {readText} from './workspace.js';

// Facts about what a build will need, read from the project's files before any build: the Rust
// versions required, whether Cargo.lock matches Cargo.toml, the maturin flags scripts pass, the
// native libraries linked, the wheels already in target/wheels and the extension modules already
// built into the Python source tree. Pure reads; no command runs.

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

// Folders `import` does not look in from the project (build output, environments, caches).
const notImportedFrom = new Set(['target', 'node_modules', 'dist', 'build', '__pycache__', 'site-packages']);
// A native module file: `_demo.cpython-312-x86_64-linux-gnu.so`, `_demo.abi3.so`, `_demo.pypy39-pp73-x86_64-linux-gnu.so`, `_demo.so`.
const extensionFile = /^[A-Za-z_]\w*(?:\.(?:abi3|(?:cpython|pypy|graalpy)[\w-]*))?\.so$/;

/**
The native extension modules in the project's own folders (relative paths), where maturin's mixed
layout, `maturin develop` and setuptools-rust's in-place builds leave them and from where running
Python in the project imports them. Build output, hidden folders and virtual environments are left
out; the walk stops at `maxDepth` levels and `maxEntries` folder entries, so a huge tree stays cheap.
*/
export function findBuiltExtensions(root: string, maxDepth = 4, maxEntries = 5000): string[] {
	const found: string[] = [];
	let seen = 0;
	const walk = (dir: string, depth: number) => {
		let entries;
		try {
			entries = readdirSync(dir, {withFileTypes: true});
		} catch {
			return;
		}

		if (entries.some(entry => entry.name === 'pyvenv.cfg')) {
			return;
		}

		for (const entry of entries) {
			if (++seen > maxEntries) {
				return;
			}

			const full = path.join(dir, entry.name);
			if (entry.isFile() && extensionFile.test(entry.name)) {
				found.push(path.relative(root, full));
			} else if (entry.isDirectory() && depth < maxDepth && !entry.name.startsWith('.') && !notImportedFrom.has(entry.name)) {
				walk(full, depth + 1);
			}
		}
	};

	walk(root, 1);
	return found.sort();
}

/** The Python versions (major.minor) of the virtual environments directly inside the project folder (`.venv`, `venv`, …), from their pyvenv.cfg. */
export function projectVenvPythons(root: string): string[] {
	let entries;
	try {
		entries = readdirSync(root, {withFileTypes: true});
	} catch {
		return [];
	}

	const versions = entries
		.filter(entry => entry.isDirectory())
		.map(entry => /^(?:version|version_info)\s*=\s*(\d+)\.(\d+)/m.exec(readText(path.join(root, entry.name, 'pyvenv.cfg')) ?? ''))
		.flatMap(match => (match ? [`${match[1]}.${match[2]}`] : []));
	return [...new Set(versions)].sort();
}

const scriptNames = /\.(?:sh|bash|nix)$|^(?:Makefile|makefile|GNUmakefile|justfile|Justfile|\.envrc)$/;

export type BuildInputFacts = {
	rustVersion?: string;
	maturinCompatibility?: string;
	maturinFlags: string[];
	lockHasPkgConfig?: boolean;
	linksNativeLibraries: boolean;
	targetWheels: string[];
	builtExtensions: string[];
	venvPythons: string[];
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
		builtExtensions: findBuiltExtensions(root),
		venvPythons: projectVenvPythons(root),
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
		builtExtensions: inputs.builtExtensions,
		venvPythons: inputs.venvPythons,
	};
}
