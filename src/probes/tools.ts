import {findNonExecutable, findOnPath, probeRun, type ProbeContext} from './context.js';
import {parseMaturinVersion} from './parsers/tools.js';

export type MaturinFacts = {installed: boolean; version?: string; problem?: string};

/** maturin on PATH and its version. */
export async function probeMaturin(context: ProbeContext): Promise<MaturinFacts> {
	if (!findOnPath('maturin', context.env)) {
		const notExecutable = findNonExecutable('maturin', context.env);
		return notExecutable ? {installed: true, problem: `${notExecutable}: not executable (permission denied)`} : {installed: false};
	}

	const result = await probeRun(context, 'maturin', ['--version']);
	const version = parseMaturinVersion(result.stdout);
	const problem = result.status === 'ok' ? (version ? undefined : 'maturin --version: printed no version') : result.shortMessage;
	return {installed: true, ...(version ? {version} : {}), ...(problem ? {problem} : {})};
}

/** patchelf on PATH (no need to run it); unknown when one is there but cannot be executed. */
export function probePatchelf(env: Record<string, string | undefined>): {installed?: boolean} {
	if (findOnPath('patchelf', env)) {
		return {installed: true};
	}

	return findNonExecutable('patchelf', env) ? {} : {installed: false};
}
