import path from 'node:path';
import {findNonExecutable, findOnPath, probeRun, type ProbeContext} from './context.js';
import {cachedToolRun} from './probe-cache.js';
import {parseExperimentalFeatures, parseNixVersion} from './parsers/tools.js';

export type NixFacts = {
	installed: boolean;
	version?: string;
	flakesEnabled?: boolean;
	inShell: boolean;
	shellKind?: string;
	hasNixLdflags: boolean;
	direnv: boolean;
	storePathsOnPath: number;
	/** How the nix commands ended, for the report when they did not answer. */
	problem?: string;
};

/** Facts read from the environment alone: inside a Nix shell, direnv, store paths on PATH. */
export function nixEnvironmentFacts(env: Record<string, string | undefined>): Omit<NixFacts, 'installed'> {
	const inShell = Boolean(env.IN_NIX_SHELL);
	return {
		inShell,
		...(inShell ? {shellKind: env.IN_NIX_SHELL} : {}),
		hasNixLdflags: Boolean(env.NIX_LDFLAGS),
		direnv: Boolean(env.DIRENV_DIR),
		storePathsOnPath: (env.PATH ?? '').split(path.delimiter).filter(dir => dir.startsWith('/nix/store/')).length,
	};
}

/** nix itself: version and whether flakes are on (both commands run at once, each bounded). */
export async function probeNix(context: ProbeContext): Promise<NixFacts> {
	const fromEnv = nixEnvironmentFacts(context.env);
	if (!findOnPath('nix', context.env)) {
		const notExecutable = findNonExecutable('nix', context.env);
		return notExecutable ? {installed: true, ...fromEnv, problem: `${notExecutable}: not executable (permission denied)`} : {installed: false, ...fromEnv};
	}

	const [version, config] = await Promise.all([
		cachedToolRun(context, 'nix', 'nix', ['--version']),
		cachedToolRun(context, 'nix', 'nix', ['--extra-experimental-features', 'nix-command', 'show-config']),
	]);
	let features = parseExperimentalFeatures(config.stdout);
	if (!features && config.status === 'failed') {
		// Newer Nix renamed the command; show-config may be gone.
		features = parseExperimentalFeatures((await probeRun(context, 'nix', ['--extra-experimental-features', 'nix-command', 'config', 'show'])).stdout);
	}

	const parsedVersion = parseNixVersion(version.stdout);
	const problem = [version, config].find(result => result.status !== 'ok') ?? (parsedVersion ? undefined : {shortMessage: 'nix --version: printed no version'});
	return {
		installed: true,
		...(parsedVersion ? {version: parsedVersion} : {}),
		...(features ? {flakesEnabled: features.includes('flakes')} : {}),
		...fromEnv,
		...(problem ? {problem: problem.shortMessage} : {}),
	};
}
