import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {readText} from './workspace.js';

/** The Nix entry files looked for in each folder from the crate up to the top of the project. */
export const nixEntryNames = ['flake.nix', 'default.nix', 'shell.nix', '.envrc'] as const;
/** Enough for a flake and the files it imports; a bigger tree is not read further. */
const maxNixFiles = 40;

/** A Nix file that builds or serves a crate, and its text. */
export type NixFile = {file: string; text: string};

function isFile(file: string): boolean {
	try {
		return statSync(file).isFile();
	} catch {
		return false;
	}
}

function isInside(root: string, candidate: string): boolean {
	const relative = path.relative(root, candidate);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Local paths a Nix file loads: `import ./x.nix`, `callPackage ./nix/pkg {}`, `imports = [ ./module.nix ]`. */
export function localNixImports(text: string, fileDir: string): string[] {
	const paths = new Set<string>();
	for (const match of text.matchAll(/\b(?:import|callPackage|callPackages|callPythonPackage)\s+\(?\s*(\.{1,2}(?:\/[\w.+-]+)*\/?)/g)) {
		paths.add(match[1]!);
	}

	for (const match of text.matchAll(/(?<![\w/.])(\.{1,2}(?:\/[\w.+-]+)+\.nix)\b/g)) {
		paths.add(match[1]!);
	}

	return [...paths].flatMap(relative => {
		const target = path.resolve(fileDir, relative);
		const file = isFile(target) ? target : path.join(target, 'default.nix');
		return file.endsWith('.nix') && isFile(file) ? [file] : [];
	});
}

/**
Sub-folders a Nix file says it builds: `buildAndTestSubdir`, `cargoRoot`, `sourceRoot`,
`--manifest-path`/`-m` of maturin or cargo, and `manifest-path`, each without a trailing Cargo.toml.
*/
export function namedCrateFolders(text: string): string[] {
	const folders = new Set<string>();
	const patterns = [
		/\b(?:buildAndTestSubdir|cargoRoot)\s*=\s*"([^"$]+)"/g,
		/\bsourceRoot\s*=\s*"\$\{[^}]+\}\/([^"$]+)"/g,
		// `-m dir/Cargo.toml` in a shell line, or `"-m" "dir/Cargo.toml"` as list items.
		/(?:--manifest-path|(?<![\w-])-m)["']?(?:=|\s+["']?)([^\s"';]*Cargo\.toml)\b/g,
	];
	for (const pattern of patterns) {
		for (const match of text.matchAll(pattern)) {
			// `$WORKSPACE_ROOT/py/Cargo.toml`, `${src}/py`: the folder below the variable is what names the crate.
			const folder = match[1]!
				.replace(/\/?Cargo\.toml$/, '')
				.replace(/^(?:\$\{[^}]*\}|\$\w+)\//, '')
				.replace(/^\.\//, '')
				.replace(/\/$/, '');
			if (folder !== '' && folder !== '.' && !folder.includes('$')) {
				folders.add(folder);
			}
		}
	}

	return [...folders];
}

/** Every Nix file from `crateDir` up to `topDir` (inclusive), plus the local files they import, at most 40. */
export function discoverNixFiles(crateDir: string, topDir: string): NixFile[] {
	const found: NixFile[] = [];
	const seen = new Set<string>();
	const pending: string[] = [];
	for (let dir = path.resolve(crateDir); ; dir = path.dirname(dir)) {
		pending.push(...nixEntryNames.map(name => path.join(dir, name)).filter(file => existsSync(file)));
		if (dir === path.resolve(topDir) || path.dirname(dir) === dir || !isInside(topDir, dir)) {
			break;
		}
	}

	while (pending.length > 0 && found.length < maxNixFiles) {
		const file = pending.shift()!;
		if (seen.has(file) || !isInside(topDir, file)) {
			continue;
		}

		seen.add(file);
		const text = readText(file);
		if (text === undefined) {
			continue;
		}

		// Commented-out code (a whole `#` line) says nothing about the build.
		found.push({file, text: text.replaceAll(/^[ \t]*#.*$/gm, '')});
		if (file.endsWith('.nix')) {
			pending.push(...localNixImports(text, path.dirname(file)));
		}
	}

	return found;
}

/**
Whether a Nix file concerns the crate in `crateDir`: one inside the crate does; one that names
crate folders (`buildAndTestSubdir = "py"`) does when it names this crate's; one that names none
(a dev shell, a build of the root package) concerns every crate of its workspace.
*/
export function nixFileConcernsCrate(nixFile: NixFile, crateDir: string, workspaceRoot: string): boolean {
	const fileDir = path.dirname(nixFile.file);
	if (isInside(crateDir, fileDir)) {
		return true;
	}

	const folders = namedCrateFolders(nixFile.text);
	if (folders.length === 0) {
		// Above the workspace (a monorepo's root flake), only a file that names the crate's folder is about it.
		return isInside(workspaceRoot, fileDir);
	}

	const fromRoot = path.relative(workspaceRoot, crateDir);
	return folders.some(folder => folder === fromRoot || fromRoot.endsWith(`/${folder}`) || path.resolve(fileDir, folder) === path.resolve(crateDir));
}
