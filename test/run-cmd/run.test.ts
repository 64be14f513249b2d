import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {splitRunArgs} from '../../src/commands/run.js';
import {buildEnvironment, signalExitCode} from '../../src/io/run-build.js';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const baseEnv = {...process.env, NO_COLOR: '1', CI: 'true'};
// A line the knowledge base knows: extension-module on while linking a test binary.
const linkerLine = 'rust-lld: error: undefined symbol: PyExc_TypeError';

function runWrapper(args: string[], options: {input?: string; env?: Record<string, string>} = {}) {
	const result = spawnSync(process.execPath, [cliPath, 'run', ...args], {
		input: Buffer.from(options.input ?? ''),
		env: {...baseEnv, ...options.env},
		timeout: 30_000,
	});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr.toString('utf8')};
}

test('splitRunArgs: options before --, the command after it, untouched', () => {
	// Given options, then -- and a command that has options of its own
	const {options, command} = splitRunArgs(['--json', '--project', 'py', '--', 'cargo', 'test', '--json', '--', 'x']);
	// Then only the words before -- are ours
	assert.deepEqual(options, {json: true, inherit: false, probe: true, fix: false, yes: false, help: false, project: 'py'});
	assert.deepEqual(command, ['cargo', 'test', '--json', '--', 'x']);
});

test('splitRunArgs: without --, the command starts at the first non-option word', () => {
	// Given no -- at all
	const {options, command} = splitRunArgs(['--no-probe', 'cargo', 'build', '--release']);
	// Then cargo's own --release is left to cargo
	assert.equal(options.probe, false);
	assert.deepEqual(command, ['cargo', 'build', '--release']);
});

test('splitRunArgs: an unknown option before the command is a usage error', () => {
	// Given a typo in our own option
	// Then it is refused rather than run as a command
	assert.throws(() => splitRunArgs(['--jsn', '--', 'true']), /unknown option --jsn/);
});

test('signalExitCode follows the shell convention', () => {
	// Given the signals a build most often dies from
	// Then the codes are 128 + the signal number
	assert.equal(signalExitCode('SIGINT'), 130);
	assert.equal(signalExitCode('SIGKILL'), 137);
	assert.equal(signalExitCode('SIGTERM'), 143);
});

test('buildEnvironment asks for colour only in tee mode on a terminal, never against NO_COLOR or the user', () => {
	// Given the four situations
	const tee = buildEnvironment({}, 'tee', true);
	const inherit = buildEnvironment({}, 'inherit', true);
	const piped = buildEnvironment({}, 'tee', false);
	const noColour = buildEnvironment({NO_COLOR: '1'}, 'tee', true);
	const userChoice = buildEnvironment({CARGO_TERM_COLOR: 'never'}, 'tee', true);
	// Then colour is asked for in the first case alone, and the user's own setting wins
	assert.equal(tee.CARGO_TERM_COLOR, 'always');
	assert.equal(tee.FORCE_COLOR, '1');
	assert.equal(inherit.CARGO_TERM_COLOR, undefined);
	assert.equal(piped.CARGO_TERM_COLOR, undefined);
	assert.equal(noColour.FORCE_COLOR, undefined);
	assert.equal(userChoice.CARGO_TERM_COLOR, 'never');
});

test('a successful build: output byte for byte, nothing extra, exit 0', () => {
	// Given a build that writes colour codes, no final newline, and to both streams
	const script = String.raw`printf '\033[1;32m   Compiling\033[0m demo\r\nok'; printf 'warn\n' >&2`;
	// When it runs under the wrapper
	const result = runWrapper(['--', 'sh', '-c', script]);
	// Then stdout is exactly the build's, stderr is exactly the build's, and the code is 0
	assert.equal(result.status, 0);
	assert.equal(result.stdout.toString('latin1'), '\u001B[1;32m   Compiling\u001B[0m demo\r\nok');
	assert.equal(result.stderr, 'warn\n');
});

test('a failed build: the build exit code, the cause named on stderr, stdout untouched', () => {
	// Given a build that fails with a linker error pyo3-doctor knows
	const script = `echo building; echo '${linkerLine}' >&2; echo 'collect2: error: ld returned 1 exit status' >&2; exit 101`;
	// When it runs under the wrapper
	const result = runWrapper(['--no-probe', '--', 'sh', '-c', script]);
	// Then the code is the build's, stdout has only the build's stdout, and stderr names the cause
	assert.equal(result.status, 101);
	assert.equal(result.stdout.toString('utf8'), 'building\n');
	assert.match(result.stderr, /failed with exit code 101/);
	assert.match(result.stderr, /\[extension-module-in-binary]/);
	assert.match(result.stderr, /line 2: .*undefined symbol: PyExc_TypeError/);
});

test('--json: stdout is one JSON object, the build output goes to stderr', () => {
	// Given the same failing build
	const script = `echo building; echo '${linkerLine}' >&2; exit 101`;
	// When it runs with --json
	const result = runWrapper(['--json', '--no-probe', '--', 'sh', '-c', script]);
	// Then stdout parses and names the cause and the code; the build's lines are on stderr
	assert.equal(result.status, 101);
	const output = JSON.parse(result.stdout.toString('utf8')) as {command: {exitCode: number}; diagnoses: Array<{id: string}>; tail: string[]};
	assert.equal(output.command.exitCode, 101);
	assert.equal(output.diagnoses[0]?.id, 'extension-module-in-binary');
	assert.deepEqual(output.tail, ['building', linkerLine]);
	assert.match(result.stderr, /^building\n/);
});

test('--json on success still prints one object, with no diagnoses', () => {
	// Given a build that succeeds
	const result = runWrapper(['--json', '--', 'true']);
	// Then the JSON says exit 0 and nothing was diagnosed
	assert.equal(result.status, 0);
	const output = JSON.parse(result.stdout.toString('utf8')) as {command: {exitCode: number}; diagnoses: unknown[]};
	assert.equal(output.command.exitCode, 0);
	assert.deepEqual(output.diagnoses, []);
});

test('standard input reaches the build', () => {
	// Given a build that reads its input
	// When input is piped into the wrapper
	const result = runWrapper(['--', 'cat'], {input: 'yes\nfrom the user\n'});
	// Then the build saw it
	assert.equal(result.status, 0);
	assert.equal(result.stdout.toString('utf8'), 'yes\nfrom the user\n');
});

test('a build killed by a signal is reported as such, with 128+n', () => {
	// Given a build that the kernel kills
	const result = runWrapper(['--no-probe', '--', 'sh', '-c', 'kill -KILL $$']);
	// Then the code is 137 and the report names the signal
	assert.equal(result.status, 137);
	assert.match(result.stderr, /was killed by SIGKILL/);
});

test('a command that does not exist exits 127 with a plain message', () => {
	// Given a misspelt command
	const result = runWrapper(['--', 'cargoo', 'build']);
	// Then the shell's code for "not found" and a hint
	assert.equal(result.status, 127);
	assert.match(result.stderr, /cannot run "cargoo": command not found/);
});

test('no command is a usage error', () => {
	// Given run with nothing to run
	const result = runWrapper(['--json']);
	// Then exit 2 with the usage
	assert.equal(result.status, 2);
	assert.match(result.stderr, /run needs the build command after --/);
});

test('--project runs the command in that directory', () => {
	// Given a project directory elsewhere
	const dir = mkdtempSync(path.join(tmpdir(), 'run-project-'));
	// When pwd runs there
	const result = runWrapper(['--project', dir, '--', 'pwd']);
	// Then it ran in the project
	assert.equal(result.stdout.toString('utf8').trim(), dir);
});

// Starts the wrapper without a terminal and resolves once the build has printed `ready`.
function startWrapper(script: string) {
	const child = spawn(process.execPath, [cliPath, 'run', '--no-probe', '--', 'sh', '-c', script], {env: baseEnv, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const ready = new Promise<void>(resolve => {
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			if (stdout.includes('ready')) {
				resolve();
			}
		});
	});
	const done = new Promise<{code: number | null; stdout: string; stderr: string}>(resolve => {
		child.on('close', code => resolve({code, stdout, stderr}));
	});
	return {child, ready, done};
}

test('SIGTERM to the wrapper reaches the build, and the wrapper exits after it with its code', async () => {
	// Given a build that cleans up on SIGTERM and exits 7
	const wrapper = startWrapper('trap "echo cleaned up; exit 7" TERM; echo ready; while :; do sleep 0.05; done');
	await wrapper.ready;
	// When the wrapper is sent SIGTERM
	wrapper.child.kill('SIGTERM');
	const result = await wrapper.done;
	// Then the build ran its clean-up and the wrapper exits with the build's code, no diagnosis
	assert.match(result.stdout, /cleaned up/);
	assert.equal(result.code, 7);
	assert.doesNotMatch(result.stderr, /possible causes|likely cause|No known/);
});

test('SIGINT without a terminal is passed on; the build ends by it and the code is 130', async () => {
	// Given a build that does not handle SIGINT
	const wrapper = startWrapper('echo ready; exec sleep 30');
	await wrapper.ready;
	// When the wrapper gets SIGINT (as from kill -INT or a CI cancel)
	wrapper.child.kill('SIGINT');
	const result = await wrapper.done;
	// Then the build died of SIGINT and the wrapper says so, without diagnosing
	assert.equal(result.code, 130);
	assert.match(result.stderr, /was interrupted \(SIGINT\)/);
	assert.match(result.stderr, /nothing is diagnosed/);
});

const hasScript = spawnSync('script', ['--version']).status === 0;

// Runs the wrapper inside a pseudo-terminal (util-linux `script`), as in an interactive shell.
function runInTerminal(args: string): string {
	const result = spawnSync('script', ['-qec', `${process.execPath} ${cliPath} run ${args}`, '/dev/null'], {
		encoding: 'utf8',
		env: {...process.env, NO_COLOR: '', CI: 'true'},
		timeout: 30_000,
	});
	return result.stdout;
}

test('tee mode on a terminal: the build gets pipes but is asked for colour', {skip: hasScript ? false : 'util-linux script is not installed'}, () => {
	// Given the wrapper on a terminal, in the default mode
	// When the build reports what it sees
	const output = runInTerminal(String.raw`-- sh -c 'test -t 1 && echo stdout=tty || echo stdout=pipe; echo colour=$CARGO_TERM_COLOR'`);
	// Then its stdout is a pipe (the wrapper reads it) and colour was asked for
	assert.match(output, /stdout=pipe/);
	assert.match(output, /colour=always/);
});

test('--inherit on a terminal: the build writes to the terminal itself', {skip: hasScript ? false : 'util-linux script is not installed'}, () => {
	// Given the wrapper on a terminal with --inherit
	const output = runInTerminal(String.raw`--inherit -- sh -c 'test -t 1 && echo stdout=tty || echo stdout=pipe; echo colour=$CARGO_TERM_COLOR'`);
	// Then the build has the terminal and needs no colour override
	assert.match(output, /stdout=tty/);
	assert.match(output, /colour=\r?\n/);
});

test('memory stays bounded while a large output streams through', () => {
	// Given 200 MB of build output and a wrapper limited to a 64 MB JavaScript heap
	const script = "yes '   Compiling some-crate v0.1.0 (/build/source) with a long enough line' | head -c 200000000; exit 1";
	// When it runs under the wrapper
	const result = spawnSync(process.execPath, ['--max-old-space-size=64', cliPath, 'run', '--no-probe', '--', 'sh', '-c', script], {
		env: baseEnv,
		stdio: ['ignore', 'ignore', 'pipe'],
		encoding: 'utf8',
		timeout: 120_000,
	});
	// Then the wrapper did not run out of memory and reported the failure with the line count
	assert.equal(result.status, 1, result.stderr.slice(-2000));
	assert.match(result.stderr, /No known PyO3\/maturin\/Nix failure found in the build output \(2[\d,]* lines read\)/);
});

test('a build that leaves a background child holding the pipes: the verdict comes soon after the build exits', async () => {
	// Given a build that starts a long-lived child (a compiler cache server, a daemon) and then fails
	const folder = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-run-stray-'));
	const pidFile = path.join(folder, 'stray.pid');
	const exitedFile = path.join(folder, 'exited-at');
	const build = `/bin/sleep 20 & echo $! > ${pidFile}; echo "${linkerLine}"; date +%s%3N > ${exitedFile}; exit 3`;
	const child = spawn(process.execPath, [cliPath, 'run', '--no-probe', '--', 'sh', '-c', build], {env: baseEnv, stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.on('data', chunk => (stderr += String(chunk)));
	// When it runs
	const code = await new Promise(resolve => child.once('exit', resolve));
	const ms = Date.now() - Number(readFileSync(exitedFile, 'utf8'));
	const stray = Number(readFileSync(pidFile, 'utf8'));
	try {
		// Then the wrapper ends within 2 s of the build, with the build's code and the diagnosis
		assert.equal(code, 3);
		assert.ok(ms < 2000, `ended ${ms} ms after the build`);
		await new Promise(resolve => setTimeout(resolve, 50));
		assert.match(stderr, /failed with exit code 3/);
		assert.match(stderr, /extension-module-in-binary/);
	} finally {
		process.kill(stray, 'SIGKILL');
	}
});

test('a failed build with no known class: the lines read as the failure are named, in text and in --json', () => {
	// Given a build that fails with an error pyo3-doctor has no class for
	const script = 'echo "   Compiling demo v0.1.0"; echo "error: could not compile \\`demo\\` (lib) due to 1 previous error" >&2; exit 101';
	// When it runs under pyo3-doctor
	const text = runWrapper(['--no-probe', '--', 'sh', '-c', script]);
	const json = runWrapper(['--no-probe', '--json', '--', 'sh', '-c', script]);
	// Then the report names that line instead of only "nothing found", and the exit code stays the build's
	assert.equal(text.status, 101);
	assert.match(text.stderr, /These lines read as the failure:\n {2}line \d+: error: could not compile/);
	const parsed = JSON.parse(json.stdout.toString('utf8')) as {diagnoses: unknown[]; unmatched: {failureLines: Array<{text: string}>}};
	assert.deepEqual(parsed.diagnoses, []);
	assert.match(parsed.unmatched.failureLines[0]!.text, /error: could not compile/);
});
