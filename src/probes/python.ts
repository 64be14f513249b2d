import {realpathSync} from 'node:fs';
import path from 'node:path';
import {findOnPath, probeRun, type ProbeContext} from './context.js';
import {parsePythonProbe, pythonProbeScript, type PythonInfo} from './parsers/python.js';

export type CandidateSource = 'PYO3_PYTHON' | 'VIRTUAL_ENV' | 'CONDA_PREFIX' | 'PATH';

/** One interpreter pyo3 or maturin could pick, and what it said about itself. */
export type PythonCandidate = {command: string; source: CandidateSource; resolved?: string; info?: PythonInfo; problem?: string};

/** Every interpreter pyo3 or maturin could pick, in pyo3's own order of preference. */
export function pythonCandidateCommands(env: Record<string, string | undefined>): Array<{command: string; source: CandidateSource}> {
	const candidates: Array<{command: string; source: CandidateSource}> = [];
	if (env.PYO3_PYTHON) {
		candidates.push({command: env.PYO3_PYTHON, source: 'PYO3_PYTHON'});
	}

	if (env.VIRTUAL_ENV) {
		candidates.push({command: path.join(env.VIRTUAL_ENV, 'bin', 'python'), source: 'VIRTUAL_ENV'});
	}

	if (env.CONDA_PREFIX) {
		candidates.push({command: path.join(env.CONDA_PREFIX, 'bin', 'python'), source: 'CONDA_PREFIX'});
	}

	candidates.push({command: 'python', source: 'PATH'}, {command: 'python3', source: 'PATH'});
	return candidates;
}

/**
The interpreter pyo3-build-config's `find_interpreter` would use: PYO3_PYTHON as given; else
VIRTUAL_ENV or CONDA_PREFIX when exactly one is set; else the first of `python`, `python3` that is
Python 3.
*/
export function selectInterpreter(candidates: readonly PythonCandidate[], env: Record<string, string | undefined>): PythonCandidate | undefined {
	const pyo3Python = candidates.find(candidate => candidate.source === 'PYO3_PYTHON');
	if (pyo3Python) {
		return pyo3Python;
	}

	if (Boolean(env.VIRTUAL_ENV) !== Boolean(env.CONDA_PREFIX)) {
		const fromEnv = candidates.find(candidate => candidate.source === 'VIRTUAL_ENV' || candidate.source === 'CONDA_PREFIX');
		if (fromEnv) {
			return fromEnv;
		}
	}

	return candidates.find(candidate => candidate.source === 'PATH' && candidate.info?.version.startsWith('3.'));
}

/** Runs the probe script in every candidate at once. */
export async function probePythonCandidates(context: ProbeContext): Promise<PythonCandidate[]> {
	return Promise.all(
		pythonCandidateCommands(context.env).map(async ({command, source}): Promise<PythonCandidate> => {
			const resolved = findOnPath(command, context.env, context.cwd);
			if (!resolved) {
				return {command, source, problem: `${command}: not found`};
			}

			const result = await probeRun(context, resolved, ['-c', pythonProbeScript]);
			const info = parsePythonProbe(result.stdout);
			if (!info) {
				const detail = result.status === 'ok' ? 'printed no interpreter description' : result.shortMessage;
				return {command, source, resolved, problem: `${command}: ${detail}`};
			}

			return {command, source, resolved, info};
		}),
	);
}

/** Where an executable really lives, following symlinks (a Nix profile link into /nix/store). */
export function realPath(file: string): string {
	try {
		return realpathSync(file);
	} catch {
		return file;
	}
}
