import assert from 'node:assert/strict';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import {runCommand} from '../../src/probes/run-command.js';

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
		assert.match(result.shortMessage, /no answer within 300 ms/);
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
});
