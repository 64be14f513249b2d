import {findOnPath, probeRun, type ProbeContext} from './context.js';
import {parseMaturinVersion} from './parsers/tools.js';

export type MaturinFacts = {installed: boolean; version?: string; problem?: string};

/** maturin on PATH and its version. */
export async function probeMaturin(context: ProbeContext): Promise<MaturinFacts> {
	if (!findOnPath('maturin', context.env)) {
		return {installed: false};
	}

	const result = await probeRun(context, 'maturin', ['--version']);
	const version = parseMaturinVersion(result.stdout);
	return {installed: true, ...(version ? {version} : {}), ...(result.status === 'ok' ? {} : {problem: result.shortMessage})};
}

/** patchelf on PATH (no need to run it). */
export function probePatchelf(env: Record<string, string | undefined>): {installed: boolean} {
	return {installed: findOnPath('patchelf', env) !== undefined};
}
