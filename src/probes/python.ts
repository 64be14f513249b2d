import {createHash} from 'node:crypto';
import {closeSync, openSync, readSync, realpathSync} from 'node:fs';
import path from 'node:path';
import {findNonExecutable, findOnPath, type ProbeContext} from './context.js';
import {cachedProbeRun} from './probe-cache.js';
import {resolveShim} from './shims.js';
import type {CommandStatus} from './run-command.js';
import {unansweredStatuses} from '../core/facts/checks.js';

export {unansweredStatuses} from '../core/facts/checks.js';
import {parsePythonProbe, pythonProbeScript, type PythonInfo} from './parsers/python.js';

export type CandidateSource = 'PYO3_PYTHON' | 'VIRTUAL_ENV' | 'CONDA_PREFIX' | 'PATH';

/**
How a candidate answered: `ok` (it described itself), `missing`, `failed` (it ran and exited with an
error: not a usable interpreter), or a state that is no answer at all: `not-executable`,
`timed-out`, `crashed`, `flooded`, `bad-output` (it printed something that is not a description).
*/
export type CandidateStatus = CommandStatus | 'bad-output';


/** One interpreter pyo3 or maturin could pick, and what it said about itself. */
export type PythonCandidate = {
	command: string;
	source: CandidateSource;
	status: CandidateStatus;
	resolved?: string;
	info?: PythonInfo;
	problem?: string;
	/** The limit it did not answer within (status `timed-out`). */
	timeoutMs?: number;
};

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
Python 3. Unknown (undefined) when a `python` ahead of it in that order did not answer, since
pyo3 might have picked that one.
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

	for (const candidate of candidates.filter(candidate => candidate.source === 'PATH')) {
		if (candidate.info?.version.startsWith('3.')) {
			return candidate;
		}

		if (unansweredStatuses.has(candidate.status)) {
			return undefined;
		}
	}

	return undefined;
}

/** A folder with nothing importable in it: the probe must describe the interpreter, not the caller's folder. */
export const neutralFolder = path.parse(process.cwd()).root;

/**
The user's environment for the interpreter probe, minus what makes imports depend on the folder:
PYTHONSAFEPATH=1 (3.11+, the same as -P) keeps the working folder off sys.path, and relative
PYTHONPATH entries are dropped. Not -I: it would also drop PYTHONHOME and absolute PYTHONPATH
entries, which pyo3's own build-time run of the interpreter honours.
*/
export function isolatedPythonEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
	const entries = (env.PYTHONPATH ?? '').split(path.delimiter).filter(entry => path.isAbsolute(entry));
	const isolated: Record<string, string | undefined> = {...env, PYTHONSAFEPATH: '1'};
	if (entries.length > 0) {
		isolated.PYTHONPATH = entries.join(path.delimiter);
	} else {
		delete isolated.PYTHONPATH;
	}

	return isolated;
}

/** A wrapper script outside the Nix store: what it runs may change while the script itself does not. */
function isMutableScript(file: string): boolean {
	if (file.startsWith('/nix/store/')) {
		return false;
	}

	try {
		const start = Buffer.alloc(2);
		const fd = openSync(file, 'r');
		try {
			readSync(fd, start, 0, 2, 0);
		} finally {
			closeSync(fd);
		}

		return start.toString('latin1') === '#!';
	} catch {
		return true;
	}
}

/**
Runs the probe script in one interpreter, in a neutral folder, through the cache: the answer is kept
while the interpreter, its venv's pyvenv.cfg, its site-packages, its EXTERNALLY-MANAGED marker and its
LIBDIR are unchanged, and for the same PYTHON* variables. A wrapper script is asked every time.
*/
// Answers kept by an earlier release's script lack what this one asks: the script is part of the key.
const probeScriptId = createHash('sha256').update(pythonProbeScript).digest('hex').slice(0, 12);

async function probeInterpreter(context: ProbeContext, executable: string) {
	const env = isolatedPythonEnv(context.env);
	const key = ['python', probeScriptId, executable, env.PYTHONHOME, env.PYTHONPATH, env.PYTHONNOUSERSITE, env.PYTHONSAFEPATH].join('\0');
	const dependsAfter = (stdout: string) => {
		try {
			const answer = JSON.parse(stdout) as {purelib?: string; stdlib?: string; libdir?: string};
			return [answer.purelib, answer.stdlib && path.join(answer.stdlib, 'EXTERNALLY-MANAGED'), answer.libdir].filter((file): file is string => typeof file === 'string');
		} catch {
			return [];
		}
	};

	const cached = isMutableScript(executable) ? {...context, cache: undefined} : context;
	return cachedProbeRun(cached, executable, ['-c', pythonProbeScript], {key, depends: [executable, path.join(path.dirname(path.dirname(executable)), 'pyvenv.cfg')], dependsAfter}, {env, cwd: neutralFolder});
}

/** Runs the probe script in every candidate at once. */
export async function probePythonCandidates(context: ProbeContext): Promise<PythonCandidate[]> {
	return Promise.all(
		pythonCandidateCommands(context.env).map(async ({command, source}): Promise<PythonCandidate> => {
			const resolved = findOnPath(command, context.env, context.cwd);
			if (!resolved) {
				const notExecutable = findNonExecutable(command, context.env, context.cwd);
				return notExecutable
					? {command, source, status: 'not-executable', resolved: notExecutable, problem: `\`${command}\` (${notExecutable}) is not executable`}
					: {command, source, status: 'missing', problem: `${command}: not found`};
			}

			const result = await probeInterpreter(context, resolveShim(resolved, context.env, context.cwd) ?? resolved);
			const info = result.status === 'ok' ? parsePythonProbe(result.stdout) : undefined;
			if (info) {
				return {command, source, status: 'ok', resolved, info};
			}

			const shown = `\`${command}\`${resolved === command ? '' : ` (${resolved})`}`;
			switch (result.status) {
				case 'ok': {
					return {command, source, status: 'bad-output', resolved, problem: `${shown} printed something that is not an interpreter description`};
				}

				case 'timed-out': {
					return {command, source, status: 'timed-out', resolved, timeoutMs: context.timeoutMs, problem: `${shown} ${result.how}`};
				}

				default: {
					return {command, source, status: result.status, resolved, problem: `${shown}: ${result.how}`};
				}
			}
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
