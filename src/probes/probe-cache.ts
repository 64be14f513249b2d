import {existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {findOnPath, probeRun, type ProbeContext} from './context.js';
import type {CommandResult} from './run-command.js';
import {findWorkspace} from './workspace.js';

// Answers of commands that only change when a file changes (an interpreter's sysconfig,
// `rustc -vV`, `nix --version`), kept between runs like cargo's target/.rustc_info.json: each
// answer is stored with the identity (size, mtime) of the files it depends on, and used again
// only while every one of them is unchanged. A missing, unreadable or corrupt cache file is an
// empty cache; nothing but successful answers is stored.

type Identity = [file: string, size: number | null, mtimeMs: number | null];
// A kept failure (only those a caller declares settled by the files) also keeps its exit code and stderr.
type Entry = {stdout: string; depends: Identity[]; failed?: {exitCode?: number; stderr: string; how: string}};
type CacheFile = {version: typeof cacheVersion; entries: Record<string, Entry>};

const cacheVersion = 2;
const maxEntries = 200;

function identity(file: string): Identity {
	try {
		const stats = statSync(file);
		return [file, stats.size, stats.mtimeMs];
	} catch {
		return [file, null, null];
	}
}

/** $XDG_CACHE_HOME when the user set one (the spec ignores a relative one). */
const xdgCacheHome = (env: Record<string, string | undefined>) => (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined);
const homeOf = (env: Record<string, string | undefined>) => env.HOME ?? os.homedir();

/** $XDG_CACHE_HOME/pyo3-doctor (default ~/.cache/pyo3-doctor). */
export function cacheDirectory(env: Record<string, string | undefined>): string {
	return path.join(xdgCacheHome(env) ?? path.join(homeOf(env), '.cache'), 'pyo3-doctor');
}

export class ProbeCache {
	private entries: Record<string, Entry> = {};
	private changed = false;

	/** `home`: a folder that must exist before the cache's folders are made in it (the user's home: a missing one is not made). */
	constructor(
		private readonly file: string,
		private readonly home?: string,
	) {
		try {
			const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFile>;
			if (parsed.version === cacheVersion && parsed.entries && typeof parsed.entries === 'object') {
				this.entries = parsed.entries;
			}
		} catch {
			// No cache yet, or a corrupt one: start empty, it is rewritten on save.
		}
	}

	/** The stored answer, if every file it depends on is as it was. */
	lookup(key: string): string | undefined {
		return this.lookupEntry(key)?.stdout;
	}

	lookupEntry(key: string): Entry | undefined {
		const entry = this.entries[key];
		if (!entry || typeof entry.stdout !== 'string' || !Array.isArray(entry.depends)) {
			return undefined;
		}

		const fresh = entry.depends.every(([file, size, mtimeMs]) => {
			const [, nowSize, nowMtime] = identity(file);
			return nowSize === size && nowMtime === mtimeMs;
		});
		return fresh ? entry : undefined;
	}

	store(key: string, stdout: string, depends: readonly string[], failed?: Entry['failed']): void {
		this.entries[key] = {stdout, depends: depends.map(file => identity(file)), ...(failed ? {failed} : {})};
		this.changed = true;
	}

	/** Writes the cache atomically; a cache that cannot be written is simply not kept, nor is a home that does not exist made. */
	save(): void {
		if (!this.changed || (this.home !== undefined && !existsSync(this.home))) {
			return;
		}

		const keys = Object.keys(this.entries);
		const kept = Object.fromEntries(keys.slice(Math.max(0, keys.length - maxEntries)).map(key => [key, this.entries[key]!]));
		try {
			mkdirSync(path.dirname(this.file), {recursive: true});
			const temporary = `${this.file}.${process.pid}.tmp`;
			writeFileSync(temporary, JSON.stringify({version: cacheVersion, entries: kept} satisfies CacheFile));
			renameSync(temporary, this.file);
			this.changed = false;
		} catch {
			// A read-only home or cache directory: run without a cache.
		}
	}
}

/** The cache in the user's cache directory. */
export function openProbeCache(env: Record<string, string | undefined>): ProbeCache {
	return new ProbeCache(path.join(cacheDirectory(env), 'probes.json'), xdgCacheHome(env) ? undefined : homeOf(env));
}

/**
Runs a command through the cache: a stored answer whose `depends` files are unchanged is used
as is; otherwise the command runs and a successful answer is stored. `key` must hold everything
else the answer depends on (the command, its arguments, the environment variables it reads).
*/
export async function cachedProbeRun(
	context: ProbeContext,
	file: string,
	args: readonly string[],
	cache: {
		key: string;
		depends: readonly string[];
		dependsAfter?: (stdout: string) => string[];
		/** A failure the `depends` files settle (it can only change with them): kept like an answer. */
		keepFailure?: (result: CommandResult) => boolean;
	},
	runWith: {env?: Record<string, string | undefined>; cwd?: string} = {},
): Promise<CommandResult> {
	const stored = context.cache?.lookupEntry(cache.key);
	const shown = [file, ...args].join(' ');
	if (stored?.failed) {
		const {exitCode, stderr, how} = stored.failed;
		return {status: 'failed', ...(exitCode === undefined ? {} : {exitCode}), stdout: stored.stdout, stderr, durationMs: 0, shortMessage: `${shown}: ${how}`, how};
	}

	if (stored) {
		return {status: 'ok', exitCode: 0, stdout: stored.stdout, stderr: '', durationMs: 0, shortMessage: `${shown}: cached`, how: 'exit code 0 (cached)'};
	}

	const result = await probeRun(runWith.env ? {...context, env: runWith.env} : context, file, args, runWith.cwd);
	if (context.cache && result.status === 'ok') {
		context.cache.store(cache.key, result.stdout, [...cache.depends, ...(cache.dependsAfter?.(result.stdout) ?? [])]);
	} else if (context.cache && result.status === 'failed' && cache.keepFailure?.(result)) {
		context.cache.store(cache.key, result.stdout, cache.depends, {...(result.exitCode === undefined ? {} : {exitCode: result.exitCode}), stderr: result.stderr, how: result.how});
	}

	return result;
}

/** The files a tool's answer depends on besides the tool itself. */
export function toolDependencies(tool: 'rust' | 'nix', context: ProbeContext): {keyEnv: string; depends: string[]} {
	const {env, cwd} = context;
	const home = homeOf(env);
	if (tool === 'nix') {
		const configHome = env.XDG_CONFIG_HOME ?? path.join(home, '.config');
		return {
			keyEnv: [env.NIX_CONFIG, env.NIX_CONF_DIR, env.NIX_USER_CONF_FILES].join('|'),
			depends: ['/etc/nix/nix.conf', path.join(configHome, 'nix', 'nix.conf'), ...(env.NIX_CONF_DIR ? [path.join(env.NIX_CONF_DIR, 'nix.conf')] : [])],
		};
	}

	// rustup picks the toolchain from RUSTUP_TOOLCHAIN, a rust-toolchain(.toml) up the tree, or its settings.
	const rustupHome = env.RUSTUP_HOME ?? path.join(home, '.rustup');
	const toolchainFiles: string[] = [];
	for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
		toolchainFiles.push(path.join(dir, 'rust-toolchain'), path.join(dir, 'rust-toolchain.toml'));
		if (path.dirname(dir) === dir) {
			break;
		}
	}

	return {
		keyEnv: [env.RUSTUP_TOOLCHAIN, env.RUSTUP_HOME, env.CARGO_HOME, env.RUSTC].join('|'),
		depends: [path.join(rustupHome, 'settings.toml'), path.join(rustupHome, 'toolchains'), path.join(rustupHome, 'update-hashes'), ...toolchainFiles],
	};
}

/** Runs `tool args` (found on PATH) through the cache, keyed by where it is and what it depends on. */
export async function cachedToolRun(context: ProbeContext, kind: 'rust' | 'nix', tool: string, args: readonly string[]): Promise<CommandResult> {
	const found = findOnPath(tool, context.env, context.cwd);
	if (!found || !context.cache) {
		return probeRun(context, tool, args);
	}

	const {keyEnv, depends} = toolDependencies(kind, context);
	return cachedProbeRun(context, tool, args, {key: `${found}\0${args.join(' ')}\0${keyEnv}`, depends: [found, ...depends]});
}

/** `.cargo/config(.toml)` from `dir` up, and in CARGO_HOME: cargo reads them all. */
function cargoConfigFiles(dir: string, env: Record<string, string | undefined>): string[] {
	const files: string[] = [];
	for (let at = path.resolve(dir); ; at = path.dirname(at)) {
		files.push(path.join(at, '.cargo', 'config'), path.join(at, '.cargo', 'config.toml'));
		if (path.dirname(at) === at) {
			break;
		}
	}

	const cargoHome = env.CARGO_HOME || path.join(env.HOME || os.homedir(), '.cargo');
	return [...files, path.join(cargoHome, 'config'), path.join(cargoHome, 'config.toml')];
}

/** The local packages (no `source`) of a `cargo metadata` answer: their manifests, folders and target source folders. */
function localPackageFiles(stdout: string): string[] {
	try {
		const metadata = JSON.parse(stdout) as {packages?: Array<{source?: string | null; manifest_path?: string; targets?: Array<{src_path?: string}>}>};
		return (metadata.packages ?? [])
			.filter(pkg => !pkg.source && typeof pkg.manifest_path === 'string')
			.flatMap(pkg => [pkg.manifest_path!, path.dirname(pkg.manifest_path!), ...(pkg.targets ?? []).flatMap(target => (typeof target.src_path === 'string' ? [path.dirname(target.src_path)] : []))]);
	} catch {
		return [];
	}
}

/**
`cargo metadata` in `crateDir` through the cache. Its answer changes with the toolchain, the
workspace's manifests, member folders and Cargo.lock, cargo's config files and the CARGO_, RUSTUP_ and RUSTC
variables, and the local packages' manifests and source folders (a new `src/bin/*.rs` changes its
folder). Packages from a registry are immutable once unpacked. `--locked` refusing to rewrite the
lock is kept too: it only changes with the manifests and the lock.
*/
export async function cachedCargoMetadata(context: ProbeContext, crateDir: string, args: readonly string[]): Promise<CommandResult> {
	const cargo = findOnPath('cargo', context.env, crateDir);
	if (!cargo || !context.cache) {
		return probeRun(context, 'cargo', args, crateDir);
	}

	const workspace = findWorkspace(crateDir);
	const toolchain = toolDependencies('rust', {...context, cwd: crateDir});
	const cargoEnv = Object.entries(context.env)
		.filter(([name]) => /^(CARGO|RUSTUP)_|^RUSTC/.test(name))
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, value]) => `${name}=${value ?? ''}`);
	const depends = [
		cargo,
		...toolchain.depends,
		crateDir,
		path.join(crateDir, 'Cargo.toml'),
		workspace.root,
		path.join(workspace.root, 'Cargo.toml'),
		path.join(workspace.root, 'Cargo.lock'),
		...workspace.members.flatMap(member => [member, path.join(member, 'Cargo.toml')]),
		...cargoConfigFiles(crateDir, context.env),
	];
	return cachedProbeRun({...context, cwd: crateDir}, cargo, args, {
		key: ['cargo', crateDir, ...args, ...cargoEnv].join('\0'),
		depends,
		dependsAfter: localPackageFiles,
		keepFailure: result => result.stderr.includes('cannot update the lock file'),
	});
}
