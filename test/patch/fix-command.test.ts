import assert from 'node:assert/strict';
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, it} from 'node:test';
import type {CommandContext} from '../../src/cli/context.js';
import {ExitCode} from '../../src/cli/exit-codes.js';
import {run} from '../../src/commands/fix.js';

const fixture = fileURLToPath(new URL('../fixtures/patch/extension-module-in-binary/inline-table', import.meta.url));
const expectedDiff = readFileSync(path.join(fixture, 'expected.diff'), 'utf8');

function context(argv: string[], options: {cwd: string; stdinTTY?: boolean; answer?: string}) {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const stdin = new PassThrough() as PassThrough & {isTTY?: boolean};
	stdin.isTTY = options.stdinTTY ?? false;
	if (options.answer !== undefined) {
		stdin.end(`${options.answer}\n`);
	}

	let out = '';
	let error = '';
	stdout.on('data', chunk => (out += String(chunk)));
	stderr.on('data', chunk => (error += String(chunk)));
	const value: CommandContext = {argv, stdin, stdout, stderr, env: {CI: 'true', PATH: process.env.PATH}, cwd: options.cwd};
	return {value, output: () => out, errors: () => error};
}

describe('pyo3-doctor fix', () => {
	let project: string;
	beforeEach(() => {
		project = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-fix-'));
		cpSync(fixture, project, {recursive: true});
		rmSync(path.join(project, 'expected.diff'));
	});
	afterEach(() => rmSync(project, {recursive: true, force: true}));

	const cargo = () => readFileSync(path.join(project, 'Cargo.toml'), 'utf8');
	const original = readFileSync(path.join(fixture, 'Cargo.toml'), 'utf8');

	it('prints the diff and writes nothing without --apply', async () => {
		// Given the project as the current folder
		const run1 = context(['extension-module-in-binary', '--no-probes'], {cwd: path.join(project)});
		// When fix runs
		const code = await run(run1.value);
		// Then it exits 0, shows the expected diff, and the files are untouched
		assert.equal(code, ExitCode.ok);
		assert.ok(run1.output().includes(expectedDiff.trimEnd()), run1.output());
		assert.match(run1.output(), /--apply/);
		assert.equal(cargo(), original);
	});

	it('refuses --apply without --yes when it cannot ask (exit 4, nothing written)', async () => {
		// Given standard input is not a terminal
		const attempt = context(['extension-module-in-binary', '--no-probes', '--project', project, '--apply'], {cwd: tmpdir()});
		// When fix --apply runs
		const code = await run(attempt.value);
		// Then it refuses and says how to confirm
		assert.equal(code, ExitCode.patchRefused);
		assert.match(attempt.errors(), /Add --yes/);
		assert.equal(cargo(), original);
	});

	it('asks on a terminal and writes only after "y"', async () => {
		// Given a terminal that answers "n", then one that answers "y"
		const no = context(['extension-module-in-binary', '--no-probes', '--project', project, '--apply'], {cwd: tmpdir(), stdinTTY: true, answer: 'n'});
		const yes = context(['extension-module-in-binary', '--no-probes', '--project', project, '--apply'], {cwd: tmpdir(), stdinTTY: true, answer: 'y'});
		// When each runs
		const refused = await run(no.value);
		const afterNo = cargo();
		const written = await run(yes.value);
		// Then "n" writes nothing (exit 4) and "y" writes with a backup
		assert.equal(refused, ExitCode.patchRefused);
		assert.equal(afterNo, original);
		assert.match(no.errors(), /\[y\/N\]/);
		assert.equal(written, ExitCode.ok);
		assert.doesNotMatch(cargo(), /features = \["extension-module"/);
		assert.ok(existsSync(path.join(project, 'Cargo.toml.pyo3-doctor.bak')));
	});

	it('writes with --apply --yes, then reports the fix as already applied', async () => {
		// Given a script run with --yes and --json
		const first = context(['extension-module-in-binary', '--no-probes', '--project', project, '--apply', '--yes', '--json'], {cwd: tmpdir()});
		// When it runs twice
		const code = await run(first.value);
		const second = context(['extension-module-in-binary', '--no-probes', '--project', project, '--apply', '--yes', '--json'], {cwd: tmpdir()});
		const again = await run(second.value);
		// Then the first writes both files and the second finds nothing to do
		assert.equal(code, ExitCode.ok);
		const report = JSON.parse(first.output()) as {status: string; diff: string; applied: {written: Array<{path: string}>}};
		assert.equal(report.status, 'patch');
		assert.equal(report.diff, expectedDiff);
		assert.deepEqual(report.applied.written.map(file => file.path), ['Cargo.toml', 'pyproject.toml']);
		assert.equal(again, ExitCode.ok);
		assert.equal((JSON.parse(second.output()) as {status: string}).status, 'already-applied');
	});

	it('explains instead of patching when the project has no shape it knows (exit 4 with --apply)', async () => {
		// Given a fix that needs pyproject.toml, in a project without one
		rmSync(path.join(project, 'pyproject.toml'));
		const attempt = context(['extension-module-in-binary', '--no-probes', '--project', project, '--fix', 'feature-only-for-maturin', '--apply', '--yes'], {cwd: tmpdir()});
		// When fix --apply runs
		const code = await run(attempt.value);
		// Then it says what to do by hand and writes nothing
		assert.equal(code, ExitCode.patchRefused);
		assert.match(attempt.output(), /No patch can be made safely.*maturin build --features extension-module/s);
		assert.equal(cargo(), original);
	});

	it('rejects an unknown id or fix, and a folder without Cargo.toml, as usage errors', async () => {
		await assert.rejects(run(context(['no-such-id', '--no-probes', '--project', project], {cwd: tmpdir()}).value), /No diagnosis has the id/);
		await assert.rejects(run(context(['extension-module-in-binary', '--no-probes', '--project', project, '--fix', 'nope'], {cwd: tmpdir()}).value), /has no fix "nope"/);
		await assert.rejects(run(context(['extension-module-in-binary', '--no-probes', '--project', tmpdir()], {cwd: tmpdir()}).value), /no Cargo\.toml/);
	});
});
