import assert from 'node:assert/strict';
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {runCommand} from '../../src/probes/run-command.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'pyo3-doctor-run-command-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

// A shell script standing in for a tool; `$PIDS` is where it notes the children it starts.
function script(name: string, body: string, mode = 0o755): string {
	const file = path.join(scratch, name);
	writeFileSync(file, `#!/bin/sh\nPIDS=${file}.pids\n${body}\n`);
	chmodSync(file, mode);
	return file;
}

// Running, not a zombie waiting for a parent to reap it.
const alive = (pid: number) => {
	try {
		return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return false;
	}
};

const childPids = (file: string) => readFileSync(`${file}.pids`, 'utf8').trim().split('\n').map(Number);

const bin = (name: string) => fileURLToPath(new URL(`../fixtures/bin-${name}`, import.meta.url));
const onlyPath = (name: string) => ({PATH: bin(name)});

describe('runCommand: one bounded, classified run of an external tool', () => {
	it('says ok with the output of a working command', async () => {
		// Given a real command, When it runs, Then status ok and its output
		const result = await runCommand('node', ['-e', 'console.log("hi")'], {timeoutMs: 5000, env: process.env});
		assert.equal(result.status, 'ok');
		assert.equal(result.exitCode, 0);
		assert.equal(result.stdout, 'hi');
	});

	it('says missing for a tool that is not on PATH', async () => {
		const result = await runCommand('nix', ['--version'], {timeoutMs: 2000, env: onlyPath('missing')});
		assert.equal(result.status, 'missing');
		assert.equal(result.exitCode, undefined);
		assert.match(result.shortMessage, /not found/);
	});

	it('stops a hanging tool at the timeout', async () => {
		// Given a nix that never answers
		const started = performance.now();
		// When it is run with a 300 ms timeout
		const result = await runCommand('nix', ['--version'], {timeoutMs: 300, env: onlyPath('hanging')});
		// Then it is reported as timed out, well before the tool's own 60 s
		assert.equal(result.status, 'timed-out');
		assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
		assert.match(result.shortMessage, /did not answer within 300 ms/);
	});

	it('says failed with the exit code of a broken tool, and keeps stderr', async () => {
		const result = await runCommand('cargo', ['--version'], {timeoutMs: 2000, env: onlyPath('failing')});
		assert.equal(result.status, 'failed');
		assert.equal(result.exitCode, 3);
		assert.match(result.stderr, /broken/);
		assert.match(result.shortMessage, /exit code 3/);
	});

	it('returns garbage output as text without throwing', async () => {
		const result = await runCommand('rustc', ['-vV'], {timeoutMs: 2000, env: onlyPath('garbage')});
		assert.equal(result.status, 'ok');
		assert.match(result.stdout, /garbage/);
	});

	it('runs every tool with the variables that keep it offline and read-only', async () => {
		const result = await runCommand('node', ['-e', 'const e = process.env; console.log([e.RUSTUP_AUTO_INSTALL, e.CARGO_NET_OFFLINE, e.PIP_NO_INDEX, e.GIT_TERMINAL_PROMPT].join(","))'], {
			timeoutMs: 5000,
			env: {...process.env, RUSTUP_AUTO_INSTALL: '1', CARGO_NET_OFFLINE: 'false'},
		});
		assert.equal(result.stdout, '0,true,1,0');
	});

	it('never throws, even for a command that cannot be started', async () => {
		const result = await runCommand(fileURLToPath(new URL('../fixtures/projects', import.meta.url)), [], {timeoutMs: 1000, env: process.env});
		assert.notEqual(result.status, 'ok');
	});

	it('stops a wrapper script whose forked child never answers, and ends that child too', async () => {
		// Given a shim that forks a long sleep and waits for it (no exec), as pyenv, asdf and Nix wrappers do
		const wrapper = script('forking-python3', 'echo starting\n/bin/sleep 30 &\necho $! > "$PIDS"\nwait\necho never');
		const started = performance.now();
		// When it is run with a 400 ms limit
		const result = await runCommand(wrapper, ['-c', 'pass'], {timeoutMs: 400, env: process.env});
		// Then it is reported as not answering, soon after the limit, and its child is gone
		assert.equal(result.status, 'timed-out');
		assert.ok(performance.now() - started < 2000, `took ${Math.round(performance.now() - started)} ms`);
		assert.match(result.how, /^did not answer within 400 ms$/);
		await new Promise(resolve => setTimeout(resolve, 100));
		assert.equal(alive(childPids(wrapper)[0]!), false, 'the forked child still runs');
	});

	it('does not wait for a child that left the process group and still holds the pipe', async () => {
		// Given a tool that answers and exits, leaving a child in its own session holding stdout
		const tool = script('answers-then-leaves', 'echo "Python 3.12.1"\nsetsid /bin/sleep 30 &\necho $! > "$PIDS"\nexit 0');
		const started = performance.now();
		const result = await runCommand(tool, [], {timeoutMs: 5000, env: process.env});
		const ms = performance.now() - started;
		const [child] = childPids(tool);
		try {
			// Then its answer is taken when it exits, not when the child lets go of the pipe
			assert.equal(result.status, 'ok');
			assert.equal(result.stdout, 'Python 3.12.1');
			assert.ok(ms < 2000, `took ${Math.round(ms)} ms`);
		} finally {
			process.kill(child!, 'SIGKILL');
		}
	});

	it('stops a command when the whole check\'s time is up', async () => {
		const wrapper = script('slow', '/bin/sleep 30');
		const deadline = new AbortController();
		setTimeout(() => deadline.abort(), 200);
		const result = await runCommand(wrapper, [], {timeoutMs: 10_000, env: process.env, signal: deadline.signal});
		assert.equal(result.status, 'timed-out');
		assert.match(result.how, /time was up/);
		assert.ok(result.durationMs < 2000, `took ${result.durationMs} ms`);
	});

	it('tells a crash, a flood and a file that is not executable apart from an answer', async () => {
		const crashed = await runCommand(script('crashes', 'kill -SEGV $$'), [], {timeoutMs: 3000, env: process.env});
		assert.equal(crashed.status, 'crashed');
		assert.match(crashed.how, /crashed \(killed by SIGSEGV\)/);
		const flooded = await runCommand(script('floods', 'exec /usr/bin/yes'), [], {timeoutMs: 10_000, env: process.env});
		assert.equal(flooded.status, 'flooded');
		assert.equal(flooded.stdout, '');
		const notExecutable = await runCommand(script('no-x-bit', 'echo hi', 0o644), [], {timeoutMs: 3000, env: process.env});
		assert.equal(notExecutable.status, 'not-executable');
	});
});
