import {accessSync, constants, statSync} from 'node:fs';
import path from 'node:path';
import type {ProbeCache} from './probe-cache.js';
import {runCommand, type CommandResult, type RunOptions} from './run-command.js';

/** What every probe receives: the user's environment, where to look, and how to run commands. */
export type ProbeContext = {
	env: Record<string, string | undefined>;
	cwd: string;
	/** Per command; a missing or hanging tool costs at most this. */
	timeoutMs: number;
	/** Replaceable in tests by a table of canned outputs. */
	run: (file: string, args: readonly string[], options: RunOptions) => Promise<CommandResult>;
	/** Aborted when the whole check's time is up: running commands stop, new ones do not start. */
	signal?: AbortSignal;
	/** Answers kept between runs (src/probes/probe-cache.ts); absent with --no-cache. */
	cache?: ProbeCache;
};

export function makeProbeContext(options: {env: Record<string, string | undefined>; cwd: string; timeoutMs?: number}): ProbeContext {
	return {env: options.env, cwd: options.cwd, timeoutMs: options.timeoutMs ?? defaultProbeTimeoutMs, run: runCommand};
}

/** Long enough for a cold pyenv shim or `nix show-config`, short enough that a hang is noticed. */
export const defaultProbeTimeoutMs = 3000;

/** Runs a command with the context's environment and timeout. */
export async function probeRun(context: ProbeContext, file: string, args: readonly string[], cwd?: string): Promise<CommandResult> {
	return context.run(file, args, {timeoutMs: context.timeoutMs, env: context.env, cwd: cwd ?? context.cwd, ...(context.signal ? {signal: context.signal} : {})});
}

/** Finds an executable by name on the context's PATH, or undefined; a name with a slash is checked as a path. */
export function findOnPath(name: string, env: Record<string, string | undefined>, cwd = '/'): string | undefined {
	if (name.includes('/')) {
		const full = path.resolve(cwd, name);
		return isExecutableFile(full) ? full : undefined;
	}

	for (const dir of (env.PATH ?? '').split(path.delimiter)) {
		if (dir === '') {
			continue;
		}

		const full = path.join(dir, name);
		if (isExecutableFile(full)) {
			return full;
		}
	}

	return undefined;
}

/** A file by that name that exists on PATH but cannot be executed (no x bit), or undefined. */
export function findNonExecutable(name: string, env: Record<string, string | undefined>, cwd = '/'): string | undefined {
	const dirs = name.includes('/') ? [''] : (env.PATH ?? '').split(path.delimiter).filter(Boolean);
	for (const dir of dirs) {
		const full = dir === '' ? path.resolve(cwd, name) : path.join(dir, name);
		try {
			if (statSync(full).isFile() && !isExecutableFile(full)) {
				return full;
			}
		} catch {
			// Not there.
		}
	}

	return undefined;
}

function isExecutableFile(file: string): boolean {
	try {
		accessSync(file, constants.X_OK);
		return statSync(file).isFile();
	} catch {
		return false;
	}
}
