import {existsSync} from 'node:fs';
import {execa} from 'execa';

/**
How one external command ended, as the probes need to know it. Only `ok` and `failed` are
answers; the others say why there is no answer, and nothing may be concluded from them.
*/
export type CommandStatus = 'ok' | 'missing' | 'not-executable' | 'timed-out' | 'crashed' | 'flooded' | 'failed';

export type CommandResult = {
	status: CommandStatus;
	/** Present when the command ran to an exit; absent when it was missing, killed or timed out. */
	exitCode?: number;
	stdout: string;
	stderr: string;
	durationMs: number;
	/** One line for a report: what was run and how it ended, without the output. */
	shortMessage: string;
	/** How it ended, without the command: "did not answer within 3 s", "exit code 1 (…)". */
	how: string;
};

export type RunOptions = {
	/** Required: a probe must never wait for a hanging tool longer than this. */
	timeoutMs: number;
	env?: Record<string, string | undefined>;
	cwd?: string;
	/** Stops the command early (the whole check's deadline); it is then reported as timed out. */
	signal?: AbortSignal;
};

/**
Variables that keep a probe from changing the machine or reaching the network: rustup must not
install a toolchain named in rust-toolchain.toml, cargo must not update its index, pip must not
download, git must not prompt or take locks. (NIX_CONFIG is left alone: it may be where the
user enables flakes, and the nix probes only read settings.)
*/
export const readOnlyEnv: Readonly<Record<string, string>> = {
	RUSTUP_AUTO_INSTALL: '0',
	CARGO_NET_OFFLINE: 'true',
	PIP_NO_INDEX: '1',
	PIP_DISABLE_PIP_VERSION_CHECK: '1',
	PIP_NO_INPUT: '1',
	PYTHONDONTWRITEBYTECODE: '1',
	PYTHONNOUSERSITE: '1',
	GIT_TERMINAL_PROMPT: '0',
	GIT_OPTIONAL_LOCKS: '0',
	LC_ALL: 'C',
};

/** The most output kept from one command; a tool that prints more is stopped. */
export const maxOutputBytes = 4 * 1024 * 1024;
/** How long the pipes stay open after the command exits (or is killed), for its last lines. */
const pipeGraceMs = 150;
/** Between the polite SIGTERM and the SIGKILL sent to a command's process group. */
const killGraceMs = 150;

// Whether a command can be found at all (then a failed start is not "not found on PATH").
function onPath(file: string, env: Record<string, string | undefined>): boolean {
	if (file.includes('/')) {
		return existsSync(file);
	}

	return (env.PATH ?? '').split(':').some(dir => dir !== '' && existsSync(`${dir}/${file}`));
}

/** "400 ms", "3 s", "2.5 s": a limit as a report says it. */
export function formatLimit(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

const ended = (shown: string, how: string) => ({how, shortMessage: `${shown}: ${how}`});

// Process groups of commands still running, ended when pyo3-doctor itself exits (a quit wizard).
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// Already gone.
	}
}

function trackGroup(pid: number): void {
	liveGroups.add(pid);
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		process.once('exit', () => {
			for (const group of liveGroups) {
				killGroup(group, 'SIGKILL');
			}
		});
	}
}

/**
Runs one external command with a hard time limit and classifies the result; it never throws.
The command gets its own process group, so that a wrapper script (a pyenv or asdf shim, a Nix
wrapper) and every child it forked are killed together at the limit; and the pipes are closed
shortly after the command exits or is killed, so that a grandchild that escaped the group and
still holds them cannot keep the probe waiting.
*/
export async function runCommand(file: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
	const started = performance.now();
	const display = [file, ...args].join(' ');
	const elapsed = () => Math.round(performance.now() - started);
	if (options.signal?.aborted) {
		return {status: 'timed-out', stdout: '', stderr: '', durationMs: 0, ...ended(display, "not run, the check's time was up")};
	}

	// Node names the working folder by a lossy string when its path is not UTF-8; the child can
	// still enter the real one through /proc/self/cwd (resolved in the child, which inherits it).
	// Any other folder that is not there makes the command unrunnable, not missing.
	let cwd = options.cwd;
	if (cwd !== undefined && !existsSync(cwd)) {
		if (cwd === process.cwd()) {
			cwd = existsSync('/proc/self/cwd') ? '/proc/self/cwd' : '/';
		} else if (onPath(file, options.env ?? process.env)) {
			return {status: 'failed', stdout: '', stderr: '', durationMs: 0, ...ended(display, `not run: its working folder ${cwd} does not exist`)};
		}
	}

	let subprocess;
	try {
		subprocess = execa(file, args, {
			reject: false,
			detached: true,
			cleanup: false,
			env: {...(options.env ?? process.env), ...readOnlyEnv},
			extendEnv: false,
			cwd,
			stdin: 'ignore',
			stripFinalNewline: true,
			maxBuffer: maxOutputBytes,
			encoding: 'utf8',
		});
	} catch (error) {
		// execa validates its options synchronously; a bad argument is still only a failed probe.
		return {status: 'failed', stdout: '', stderr: '', durationMs: elapsed(), ...ended(display, `could not start (${(error as Error).message.split('\n')[0]})`)};
	}

	const pid = subprocess.pid;
	let stoppedBy: 'limit' | 'deadline' | undefined;
	const timers: NodeJS.Timeout[] = [];
	// After the pending reads (what the command wrote before it ended is kept), the pipes are closed.
	const stopReading = () =>
		setImmediate(() => {
			subprocess.stdout?.destroy();
			subprocess.stderr?.destroy();
		});

	let exited = false;
	const stop = (why: 'limit' | 'deadline') => {
		if (stoppedBy || exited || pid === undefined) {
			return;
		}

		stoppedBy = why;
		killGroup(pid, 'SIGTERM');
		timers.push(
			setTimeout(() => killGroup(pid, 'SIGKILL'), killGraceMs),
			setTimeout(stopReading, killGraceMs + pipeGraceMs),
		);
	};

	if (pid !== undefined) {
		trackGroup(pid);
		// Checked after the pending I/O: when our own event loop was busy, an exit that came in
		// time must not be mistaken for a command that did not answer.
		timers.push(setTimeout(() => setImmediate(() => stop('limit')), options.timeoutMs));
	}

	const onAbort = () => stop('deadline');
	options.signal?.addEventListener('abort', onAbort, {once: true});
	// The command itself is done: its last lines get a moment, then a child holding the pipes is not waited for.
	subprocess.once('exit', () => {
		exited = true;
		timers.push(setTimeout(stopReading, pipeGraceMs));
	});

	const result = await subprocess;
	for (const timer of timers) {
		clearTimeout(timer);
	}

	options.signal?.removeEventListener('abort', onAbort);
	if (pid !== undefined) {
		liveGroups.delete(pid);
	}

	const durationMs = elapsed();
	const stdout = typeof result.stdout === 'string' ? result.stdout : '';
	const stderr = typeof result.stderr === 'string' ? result.stderr : '';
	if (stoppedBy === 'limit') {
		return {status: 'timed-out', stdout, stderr, durationMs, ...ended(display, `did not answer within ${formatLimit(options.timeoutMs)}`)};
	}

	if (stoppedBy === 'deadline') {
		return {status: 'timed-out', stdout, stderr, durationMs, ...ended(display, "stopped unanswered when the check's time was up")};
	}

	const code = (result as {code?: string}).code;
	if (code === 'ENOENT') {
		return {status: 'missing', stdout, stderr, durationMs, ...ended(file, 'not found on PATH')};
	}

	if (code === 'EACCES') {
		return {status: 'not-executable', stdout, stderr, durationMs, ...ended(file, 'not executable (permission denied)')};
	}

	if (result.isMaxBuffer) {
		if (pid !== undefined) {
			killGroup(pid, 'SIGKILL');
		}

		return {status: 'flooded', stdout: '', stderr: '', durationMs, ...ended(display, `printed more than ${maxOutputBytes / 1024 / 1024} MiB, stopped`)};
	}

	if (result.exitCode === undefined && result.signal) {
		return {status: 'crashed', stdout, stderr, durationMs, ...ended(display, `crashed (killed by ${result.signal})`)};
	}

	if (result.exitCode === 0 && !result.failed) {
		return {status: 'ok', exitCode: 0, stdout, stderr, durationMs, ...ended(display, 'ok')};
	}

	if (result.exitCode === undefined) {
		return {status: 'failed', stdout, stderr, durationMs, ...ended(display, `could not run (${(result.shortMessage ?? '').split('\n')[0]})`)};
	}

	// The first line of stderr usually names the cause (rustup: "no default is configured").
	const firstError = stderr.split('\n').find(line => line.trim() !== '')?.trim().slice(0, 160);
	return {
		status: 'failed',
		exitCode: result.exitCode,
		stdout,
		stderr,
		durationMs,
		...ended(display, `exit code ${result.exitCode}${firstError ? ` (${firstError})` : ''}`),
	};
}
