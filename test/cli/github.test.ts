import assert from 'node:assert/strict';
import {chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {parseWorkflowCommand} from '../helpers/workflow-command.js';
import {realLogPath} from '../ui/fakes.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-github-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

/** A checkout whose crate (in crates/ext) has extension-module always on and tests, and a fake cargo that fails as the real one does. */
function brokenCheckout(): {workspace: string; crate: string; bin: string; summary: string} {
	const workspace = mkdtempSync(path.join(scratch, 'checkout-'));
	const crate = path.join(workspace, 'crates', 'ext');
	cpSync(path.join(fixtures, 'projects', 'extension-module-with-tests'), crate, {recursive: true});
	writeFileSync(path.join(crate, 'pyproject.toml'), '[build-system]\nrequires = ["maturin>=1.0,<2.0"]\nbuild-backend = "maturin"\n\n[project]\nname = "ext-with-tests"\n');
	const bin = path.join(workspace, 'fake-bin');
	mkdirSync(bin);
	writeFileSync(path.join(bin, 'cargo'), `#!/bin/sh\ncat '${realLogPath}' >&2\nexit 101\n`);
	chmodSync(path.join(bin, 'cargo'), 0o755);
	return {workspace, crate, bin, summary: path.join(workspace, 'step-summary.md')};
}

const commands = (stdout: string) => stdout.split('\n').filter(line => line.startsWith('::'));

describe('GitHub Actions output', () => {
	it('run -- cargo build in a GitHub job: valid ::error lines on the patched line, the summary appended, the build\'s exit code', () => {
		// Given a failing build in a GitHub Actions job, with a step-summary file that already has content
		const {workspace, crate, bin, summary} = brokenCheckout();
		writeFileSync(summary, '# Earlier step\n');
		const env = {GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summary, PATH: `${bin}:${process.env.PATH}`, PYO3_PYTHON: path.join(fixtures, 'bin-python-3.12', 'python3')};
		// When pyo3-doctor runs it
		const result = runCli(['run', '--project', crate, '--', 'cargo', 'build'], {cwd: workspace, env});
		// Then the exit code is cargo's
		assert.equal(result.status, 101, result.stderr);
		// And the first annotation names the diagnosis, on the pyo3 line of crates/ext/Cargo.toml, as GitHub parses it
		const [first, ...rest] = commands(result.stdout).map(line => parseWorkflowCommand(line));
		assert.ok(first, result.stdout);
		assert.equal(first.command, 'error');
		assert.deepEqual(first.properties, {file: 'crates/ext/Cargo.toml', line: '11', title: 'pyo3-doctor: extension-module-in-binary'});
		assert.equal(readFileSync(path.join(crate, 'Cargo.toml'), 'utf8').split('\n')[10], 'pyo3 = { version = "0.22.0", features = ["extension-module"] }');
		assert.match(first.message, /Fix: /);
		for (const other of rest) {
			assert.equal(other.command, 'error');
			assert.match(other.properties.title ?? '', /^pyo3-doctor: [a-z0-9-]+$/);
		}

		// And the summary was appended, with the patch, after what was there
		const written = readFileSync(summary, 'utf8');
		assert.match(written, /^# Earlier step\n### pyo3-doctor: `cargo build` failed with exit code 101\n/);
		assert.match(written, /`extension-module-in-binary`/);
		assert.match(written, /```diff\n[\s\S]*\+\[features\][\s\S]*```/);
	});

	it('--format github works outside a job, and --json keeps stdout JSON while the summary is written', () => {
		const {workspace, crate, bin, summary} = brokenCheckout();
		const env = {GITHUB_STEP_SUMMARY: summary, PATH: `${bin}:${process.env.PATH}`, PYO3_PYTHON: path.join(fixtures, 'bin-python-3.12', 'python3')};
		const github = runCli(['run', '--format', 'github', '--project', crate, '--', 'cargo', 'build'], {cwd: workspace, env});
		assert.equal(github.status, 101);
		assert.ok(commands(github.stdout).length > 0, github.stdout);
		const json = runCli(['run', '--json', '--format', 'github', '--project', crate, '--', 'cargo', 'build'], {cwd: workspace, env});
		assert.equal(json.status, 101);
		assert.equal((JSON.parse(json.stdout) as {diagnoses: Array<{id: string}>}).diagnoses[0]?.id, 'extension-module-in-binary');
		// Two runs, two summaries
		assert.equal(readFileSync(summary, 'utf8').match(/^### pyo3-doctor: /gm)?.length, 2);
		// And outside a job, without the option, nothing of it
		const plain = runCli(['run', '--project', crate, '--', 'cargo', 'build'], {cwd: workspace, env: {...env, GITHUB_STEP_SUMMARY: ''}});
		assert.deepEqual(commands(plain.stdout), []);
	});

	it('diagnose LOG in a GitHub job annotates and summarises; a summary path that cannot be written is a warning only', () => {
		const {workspace, crate, summary} = brokenCheckout();
		const result = runCli(['diagnose', realLogPath, '--no-probe', '--project', crate], {cwd: workspace, env: {GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: workspace, GITHUB_STEP_SUMMARY: summary}});
		assert.equal(result.status, 0, result.stderr);
		assert.equal(parseWorkflowCommand(commands(result.stdout)[0]!).properties.title, 'pyo3-doctor: extension-module-in-binary');
		assert.match(readFileSync(summary, 'utf8'), /^### pyo3-doctor: .*rust-lld-cargo-test\.log/m);
		const unwritable = runCli(['diagnose', realLogPath, '--no-probe', '--format', 'github'], {cwd: workspace, env: {GITHUB_STEP_SUMMARY: path.join(workspace, 'no', 'such', 'dir', 'summary.md')}});
		assert.equal(unwritable.status, 0);
		assert.match(unwritable.stderr, /no summary written/);
		assert.ok(commands(unwritable.stdout).length > 0);
	});

	it('refuses an unknown format', () => {
		assert.equal(runCli(['run', '--format', 'gitlab', '--', 'true']).status, 2);
		assert.equal(runCli(['diagnose', realLogPath, '--format', 'gitlab']).status, 2);
	});
});
