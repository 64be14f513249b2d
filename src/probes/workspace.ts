import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseCargoConfig, parseCargoManifest, type CargoConfig, type CargoManifest} from './parsers/project.js';

/** Reading files where cargo cannot be asked: the workspace a crate belongs to, as cargo finds it. */

/** Project files are small; anything bigger is not read (a 50 MB Cargo.toml is itself the problem, named by file-problems.ts). */
export const maxProjectFileBytes = 4 * 1024 * 1024;

/** A project file's text; `undefined` when it is absent, unreadable, over `maxBytes` or not a regular file (a pipe would block). */
export function readText(file: string, maxBytes = maxProjectFileBytes): string | undefined {
	try {
		const stat = statSync(file);
		return !stat.isFile() || stat.size > maxBytes ? undefined : readFileSync(file, 'utf8');
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

const globPart = (part: string) => new RegExp(`^${part.replace(/[.+^${}()|\\]/g, '\\$&').replaceAll('*', '[^/]*').replaceAll('?', '[^/]')}$`);

/** Expands workspace `members`/`exclude` globs (`crates/*`, `py-*`) to existing folders, as cargo's glob does. */
export function expandMemberGlobs(root: string, patterns: readonly string[]): string[] {
	const found: string[] = [];
	for (const pattern of patterns) {
		let dirs = [root];
		for (const part of pattern.split('/').filter(piece => piece !== '' && piece !== '.')) {
			if (!/[*?[]/.test(part)) {
				dirs = dirs.map(dir => path.join(dir, part));
				continue;
			}

			const matcher = globPart(part);
			dirs = dirs.flatMap(dir => {
				try {
					return readdirSync(dir)
						.filter(name => matcher.test(name))
						.map(name => path.join(dir, name));
				} catch {
					return [];
				}
			});
		}

		found.push(...dirs.filter(dir => isDir(dir)).map(dir => path.resolve(dir)));
	}

	return [...new Set(found)];
}

export type WorkspaceFiles = {
	/** The folder whose Cargo.toml has `[workspace]` and lists this crate; the crate itself when standalone. */
	root: string;
	rootManifestText?: string;
	/** Member crate folders (absolute), the root package first when it is one; excluded ones left out. */
	members: string[];
};

function membersOf(root: string, manifest: CargoManifest | undefined): string[] {
	const workspace = manifest?.workspace;
	if (!workspace) {
		return [root];
	}

	const excluded = new Set(expandMemberGlobs(root, workspace.exclude));
	const members = expandMemberGlobs(root, workspace.members).filter(dir => !excluded.has(dir) && existsSync(path.join(dir, 'Cargo.toml')));
	return [...(manifest.crateName ? [root] : []), ...members.filter(dir => dir !== root)];
}

/**
The workspace of the crate in `crateDir`, as cargo finds it: `package.workspace` when given, else
the nearest folder above with a `[workspace]` manifest that lists the crate as a member. A crate no
workspace claims is its own root.
*/
export function findWorkspace(crateDir: string): WorkspaceFiles {
	const crateText = readText(path.join(crateDir, 'Cargo.toml'));
	const crate = crateText === undefined ? undefined : parseCargoManifest(crateText);
	if (crate?.workspace) {
		return {root: crateDir, ...(crateText ? {rootManifestText: crateText} : {}), members: membersOf(crateDir, crate)};
	}

	const candidates: string[] = [];
	if (crate?.workspacePath) {
		candidates.push(path.resolve(crateDir, crate.workspacePath));
	} else {
		for (let dir = path.dirname(crateDir); ; dir = path.dirname(dir)) {
			candidates.push(dir);
			if (path.dirname(dir) === dir) {
				break;
			}
		}
	}

	for (const dir of candidates) {
		const text = readText(path.join(dir, 'Cargo.toml'));
		const manifest = text === undefined ? undefined : parseCargoManifest(text);
		if (!manifest?.workspace) {
			continue;
		}

		const members = membersOf(dir, manifest);
		if (members.includes(path.resolve(crateDir))) {
			return {root: dir, rootManifestText: text, members};
		}

		// cargo stops at the first workspace above; one that does not list the crate leaves it on its own.
		break;
	}

	return {root: crateDir, ...(crateText ? {rootManifestText: crateText} : {}), members: [crateDir]};
}

/** The folder of the git repository holding `dir`, found by its `.git` entry; undefined outside one. */
export function findGitRoot(dir: string): string | undefined {
	for (let current = path.resolve(dir); ; current = path.dirname(current)) {
		if (existsSync(path.join(current, '.git'))) {
			return current;
		}

		if (path.dirname(current) === current) {
			return undefined;
		}
	}
}

/**
Every cargo configuration file cargo reads for a build started in `dir`, nearest first:
`.cargo/config.toml` (or `.cargo/config`) of the folder and each parent, then `$CARGO_HOME`'s.
*/
export function cargoConfigFiles(dir: string, env: Record<string, string | undefined>): string[] {
	const files: string[] = [];
	const pick = (folder: string) => ['config.toml', 'config'].map(name => path.join(folder, name)).find(file => existsSync(file));
	for (let current = path.resolve(dir); ; current = path.dirname(current)) {
		const file = pick(path.join(current, '.cargo'));
		if (file) {
			files.push(file);
		}

		if (path.dirname(current) === current) {
			break;
		}
	}

	const cargoHome = env.CARGO_HOME ?? path.join(env.HOME ?? os.homedir(), '.cargo');
	const homeFile = pick(cargoHome);
	if (homeFile && !files.includes(homeFile)) {
		files.push(homeFile);
	}

	return files;
}

/** Merges configurations nearest first, as cargo does: a nearer file's value wins a key; link args add up. */
export function mergeCargoConfigs(configs: readonly CargoConfig[]): CargoConfig {
	const merged: CargoConfig = {dynamicLookup: false, linkers: {}, env: {}};
	for (const config of [...configs].reverse()) {
		merged.dynamicLookup ||= config.dynamicLookup;
		Object.assign(merged.linkers, config.linkers);
		Object.assign(merged.env, config.env);
		if (config.forcedEnv) {
			merged.forcedEnv = [...new Set([...(merged.forcedEnv ?? []), ...config.forcedEnv])];
		}
	}

	return merged;
}

/** The merged cargo configuration for a build started in `dir`, and which files it came from. */
export function readCargoConfigChain(dir: string | undefined, env: Record<string, string | undefined>): {files: string[]; config: CargoConfig} {
	if (!dir) {
		return {files: [], config: {dynamicLookup: false, linkers: {}, env: {}}};
	}

	const files = cargoConfigFiles(dir, env);
	return {files, config: mergeCargoConfigs(files.map(file => parseCargoConfig(readText(file) ?? '', path.dirname(path.dirname(file)))))};
}
