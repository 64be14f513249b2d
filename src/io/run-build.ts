import {spawn} from 'node:child_process';
import {constants} from 'node:os';
import type {Readable, Writable} from 'node:stream';

/**
How the build's output reaches the terminal.
- `tee` (the default): stdout and stderr go through pipes; every byte is written on unchanged
  and also read for diagnosis. A pipe is not a terminal, so tools turn colour off on their own;
  when our own stream is a terminal we ask for colour explicitly (CARGO_TERM_COLOR, FORCE_COLOR,
  CLICOLOR_FORCE), which keeps cargo, maturin, rustc and pip coloured. Live progress bars that
  need a real terminal (cargo's, nix's) fall back to plain lines, which is also what a log shows.
- `inherit`: the build writes to our terminal directly, exactly as without pyo3-doctor
  (progress bars, prompts that check for a TTY), but nothing can be read for diagnosis, so a
  failure is diagnosed from the environment and project alone.
stdin is inherited in both modes, so prompts and Ctrl-D reach the build.
*/
export type BuildStdio = 'tee' | 'inherit';

/** Something that emits process signals: `process` in the CLI, a fake in tests. */
export type SignalSource = {
	on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
	off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
};

export type RunBuildOptions = {
	command: string;
	args: readonly string[];
	cwd: string;
	env: Record<string, string | undefined>;
	stdio?: BuildStdio;
	/** `inherit` hands the build our own standard input (fd 0); a stream is piped into it. */
	stdin?: 'inherit' | Readable;
	/** Where the build's stdout and stderr are written on in `tee` mode. */
	stdout: Writable & {isTTY?: boolean};
	stderr: Writable & {isTTY?: boolean};
	/** Complete lines of output (stdout and stderr, each line whole), in arrival order. */
	onOutput?: (text: string) => void;
	/** Signals to pass on to the build; see `forwardedSignals`. */
	signals?: SignalSource;
	/** Whether a Ctrl-C typed at a terminal also reaches the build directly (same process group). */
	terminalDeliversInterrupt?: boolean;
};

export type BuildOutcome = {
	/** The build's exit code, or 128 + the signal number when a signal ended it (as shells do). */
	exitCode: number;
	/** The signal that ended the build, if any. */
	signal?: NodeJS.Signals;
	/** Set when the command could not be started at all (exit code 127 or 126, as shells do). */
	startError?: {code: string; message: string};
	/** Whether we passed an interrupt or termination signal on to the build. */
	interrupted: boolean;
	durationMs: number;
};

/**
Signals passed on to the build. SIGINT is special: Ctrl-C at a terminal is sent by the terminal
to the whole foreground process group, so the build already has it; sending a second one makes
many tools (nix, Python, cargo's jobserver) skip their clean-up. It is therefore passed on only
when no terminal delivered it (`kill -INT`, a CI runner's cancel).
*/
export const forwardedSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** 128 + the signal's number, the exit status shells report for a process a signal ended. */
export function signalExitCode(signal: NodeJS.Signals): number {
	return 128 + (constants.signals[signal] ?? 0);
}

/** Environment for the build: asks for colour in `tee` mode when our own stream is a terminal. */
export function buildEnvironment(env: Record<string, string | undefined>, stdio: BuildStdio, outputIsTTY: boolean): Record<string, string | undefined> {
	const noColour = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
	if (stdio !== 'tee' || !outputIsTTY || noColour) {
		return env;
	}

	return {CARGO_TERM_COLOR: 'always', CLICOLOR_FORCE: '1', FORCE_COLOR: '1', ...env};
}

// Splits one stream into whole lines, so that stdout and stderr never interleave mid-line
// in what the matcher sees.
function lineAssembler(emit: (text: string) => void) {
	const decoder = new TextDecoder('utf-8', {fatal: false});
	let pending = '';
	return {
		push(chunk: Uint8Array) {
			const text = pending + decoder.decode(chunk, {stream: true});
			const lastNewline = text.lastIndexOf('\n');
			if (lastNewline === -1) {
				pending = text;
				return;
			}

			pending = text.slice(lastNewline + 1);
			emit(text.slice(0, lastNewline + 1));
		},
		end() {
			const rest = pending + decoder.decode();
			pending = '';
			if (rest !== '') {
				emit(`${rest}\n`);
			}
		},
	};
}

// Copies a child's stream to ours byte for byte, pausing the child when ours is full.
function forward(source: Readable, target: Writable, onChunk: (chunk: Uint8Array) => void): void {
	source.on('data', (chunk: Uint8Array) => {
		onChunk(chunk);
		if (!target.write(chunk)) {
			source.pause();
			target.once('drain', () => source.resume());
		}
	});
}

/** How long the pipes stay open after the build exits, for output still on its way. */
export const trailingOutputMs = 500;

/** Runs the user's build (no shell: the words are passed as they are) and waits for it to end. */
export async function runBuild(options: RunBuildOptions): Promise<BuildOutcome> {
	const stdio = options.stdio ?? 'tee';
	const started = Date.now();
	const stdinMode = options.stdin === undefined || options.stdin === 'inherit' ? 'inherit' : 'pipe';
	const outputMode = stdio === 'tee' ? 'pipe' : 'inherit';
	const env = buildEnvironment(options.env, stdio, Boolean(options.stdout.isTTY || options.stderr.isTTY));
	const child = spawn(options.command, [...options.args], {
		cwd: options.cwd,
		env: env as NodeJS.ProcessEnv,
		stdio: [stdinMode, outputMode, outputMode],
	});

	if (stdinMode === 'pipe' && typeof options.stdin === 'object') {
		options.stdin.pipe(child.stdin!);
		// A build that stops reading early closes the pipe; that is not our error.
		child.stdin!.on('error', () => {});
	}

	let interrupted = false;
	const onSignal = (signal: NodeJS.Signals) => {
		interrupted = true;
		if (signal === 'SIGINT' && options.terminalDeliversInterrupt) {
			return;
		}

		child.kill(signal);
	};

	for (const signal of forwardedSignals) {
		options.signals?.on(signal, onSignal);
	}

	const onOutput = options.onOutput;
	if (child.stdout && child.stderr) {
		const outLines = lineAssembler(text => onOutput?.(text));
		const errLines = lineAssembler(text => onOutput?.(text));
		forward(child.stdout, options.stdout, chunk => outLines.push(chunk));
		forward(child.stderr, options.stderr, chunk => errLines.push(chunk));
		// 'close' also comes when the pipes are cut below, where 'end' would not.
		child.stdout.once('close', () => outLines.end());
		child.stderr.once('close', () => errLines.end());
	}

	// Once the build's own process has exited, a background child it left (a compiler cache
	// server, a daemon, `sleep &`) may hold the pipes open for ever: its trailing output gets a
	// moment, then the pipes are closed and the verdict is given. The child itself is left alone.
	let cutPipes: NodeJS.Timeout | undefined;
	child.once('exit', () => {
		cutPipes = setTimeout(() => {
			// After the reads already pending, so that nothing the build wrote before it ended is lost.
			setImmediate(() => {
				child.stdout?.destroy();
				child.stderr?.destroy();
			});
		}, trailingOutputMs);
	});

	try {
		return await new Promise<BuildOutcome>(resolve => {
			child.once('error', (error: NodeJS.ErrnoException) => {
				const code = error.code ?? 'UNKNOWN';
				const exitCode = code === 'ENOENT' ? 127 : 126;
				resolve({exitCode, startError: {code, message: error.message}, interrupted, durationMs: Date.now() - started});
			});
			// 'close' comes after both pipes are drained (or cut, see above), so every byte read has been forwarded.
			child.once('close', (code, signal) => {
				const durationMs = Date.now() - started;
				if (signal) {
					resolve({exitCode: signalExitCode(signal), signal, interrupted, durationMs});
				} else {
					resolve({exitCode: code ?? 1, interrupted, durationMs});
				}
			});
		});
	} finally {
		clearTimeout(cutPipes);
		for (const signal of forwardedSignals) {
			options.signals?.off(signal, onSignal);
		}
	}
}
