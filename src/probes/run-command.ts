import {execa} from 'execa';

/** How one external command ended, as the probes need to know it. */
export type CommandStatus = 'ok' | 'missing' | 'timed-out' | 'failed';

export type CommandResult = {
	status: CommandStatus;
	/** Present when the command ran to an exit; absent when it was missing, killed or timed out. */
	exitCode?: number;
	stdout: string;
	stderr: string;
	durationMs: number;
	/** One line for a report: what was run and how it ended, without the output. */
	shortMessage: string;
};

export type RunOptions = {
	/** Required: a probe must never wait for a hanging tool longer than this. */
	timeoutMs: number;
	env?: Record<string, string | undefined>;
	cwd?: string;
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

/** Runs one external command with a hard timeout and classifies the result; it never throws. */
export async function runCommand(file: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
	const started = performance.now();
	const display = [file, ...args].join(' ');
	try {
		const result = await execa(file, args, {
			reject: false,
			timeout: options.timeoutMs,
			// A hanging tool may ignore SIGTERM; do not wait for it beyond the timeout.
			forceKillAfterDelay: 200,
			env: {...(options.env ?? process.env), ...readOnlyEnv},
			extendEnv: false,
			cwd: options.cwd,
			stdin: 'ignore',
			stripFinalNewline: true,
			maxBuffer: 4 * 1024 * 1024,
			encoding: 'utf8',
		});
		const durationMs = Math.round(performance.now() - started);
		const stdout = typeof result.stdout === 'string' ? result.stdout : '';
		const stderr = typeof result.stderr === 'string' ? result.stderr : '';
		if (result.timedOut) {
			return {status: 'timed-out', stdout, stderr, durationMs, shortMessage: `${display}: no answer within ${options.timeoutMs} ms`};
		}

		const code = (result as {code?: string}).code;
		if (code === 'ENOENT' || (result.failed && result.exitCode === undefined && /ENOENT/.test(result.shortMessage ?? ''))) {
			return {status: 'missing', stdout, stderr, durationMs, shortMessage: `${file}: not found on PATH`};
		}

		if (code === 'EACCES') {
			return {status: 'failed', stdout, stderr, durationMs, shortMessage: `${file}: not executable (permission denied)`};
		}

		if (result.exitCode === 0 && !result.failed) {
			return {status: 'ok', exitCode: 0, stdout, stderr, durationMs, shortMessage: `${display}: ok`};
		}

		const how = result.exitCode === undefined ? `killed by ${result.signal ?? 'a signal'}` : `exit code ${result.exitCode}`;
		// The first line of stderr usually names the cause (rustup: "no default is configured").
		const firstError = stderr.split('\n').find(line => line.trim() !== '')?.trim().slice(0, 160);
		return {
			status: 'failed',
			...(result.exitCode === undefined ? {} : {exitCode: result.exitCode}),
			stdout,
			stderr,
			durationMs,
			shortMessage: `${display}: ${how}${firstError ? ` (${firstError})` : ''}`,
		};
	} catch (error) {
		// execa validates its options synchronously; a bad argument is still only a failed probe.
		return {
			status: 'failed',
			stdout: '',
			stderr: '',
			durationMs: Math.round(performance.now() - started),
			shortMessage: `${display}: could not start (${(error as Error).message.split('\n')[0]})`,
		};
	}
}
