import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {runCli} from '../helpers/cli.js';
import {realLogPath} from '../ui/fakes.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-run-fix-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

/**
A crate with extension-module always on, and a fake cargo that fails to link as the real one does
while pyo3's line still turns the feature on (or always, with `alwaysFails`). Each run is counted.
*/
function brokenCrate(alwaysFails = false): {crate: string; env: Record<string, string>; runs: () => number} {
	const crate = mkdtempSync(path.join(scratch, 'crate-'));
	cpSync(path.join(fixtures, 'projects', 'extension-module-with-tests'), crate, {recursive: true});
	writeFileSync(path.join(crate, 'pyproject.toml'), '[build-system]\nrequires = ["maturin>=1.0,<2.0"]\nbuild-backend = "maturin"\n\n[project]\nname = "ext-with-tests"\n');
	const bin = path.join(crate, '.fake-bin');
	mkdirSync(bin);
	const counter = path.join(crate, '.runs');
	const broken = alwaysFails ? 'true' : `grep -q '^pyo3 = .*extension-module' Cargo.toml`;
	// Only `cargo build` is faked; the probes' `cargo --version` reaches the real one, when there is one.
	const realCargo = spawnSync('sh', ['-c', 'command -v cargo'], {encoding: 'utf8'}).stdout.trim();
	const others = realCargo ? `exec '${realCargo}' "$@"` : 'exit 127';
	writeFileSync(
		path.join(bin, 'cargo'),
		`#!/bin/sh\n[ "$1" = build ] || ${others}\necho run >> '${counter}'\nif ${broken}; then cat '${realLogPath}' >&2; exit 101; fi\necho '    Finished dev profile'\n`,
	);
	chmodSync(path.join(bin, 'cargo'), 0o755);
	const env = {PATH: `${bin}:${process.env.PATH}`, PYO3_PYTHON: path.join(fixtures, 'bin-python-3.12', 'python3'), VIRTUAL_ENV: '', CONDA_PREFIX: ''};
	return {crate, env, runs: () => (existsSync(counter) ? readFileSync(counter, 'utf8').trim().split('\n').length : 0)};
}

describe('pyo3-doctor run --fix', () => {
	it('writes the patch with --yes, runs the build once more, and says it passes', () => {
		// Given a build that fails until the patch is written
		const {crate, env, runs} = brokenCrate();
		// When run --fix --yes wraps it
		const result = runCli(['run', '--fix', '--yes', '--', 'cargo', 'build'], {cwd: crate, env});
		// Then the patch was written with a backup, the build ran twice, and the second run's exit code is returned
		assert.equal(result.status, 0, result.stderr);
		assert.equal(runs(), 2);
		assert.doesNotMatch(readFileSync(path.join(crate, 'Cargo.toml'), 'utf8'), /^pyo3 = .*extension-module/m);
		assert.ok(existsSync(path.join(crate, 'Cargo.toml.pyo3-doctor.bak')));
		assert.match(result.stderr, /pyo3-doctor --fix: extension-module-in-binary: /);
		assert.match(result.stderr, /running `cargo build` again/);
		assert.match(result.stderr, /fixed: the build passes now\. The patch is kept; backup at Cargo\.toml\.pyo3-doctor\.bak, pyproject\.toml\.pyo3-doctor\.bak\./);
		assert.match(result.stdout, /Finished dev profile/);
	});

	it('when the build still fails, reports its diagnosis and keeps the patch', () => {
		const {crate, env, runs} = brokenCrate(true);
		const result = runCli(['run', '--fix', '--yes', '--', 'cargo', 'build'], {cwd: crate, env});
		assert.equal(result.status, 101);
		assert.equal(runs(), 2);
		assert.match(result.stderr, /the build still fails \(exit 101\); the previous patch is kept; backup at Cargo\.toml\.pyo3-doctor\.bak, pyproject\.toml\.pyo3-doctor\.bak\./);
		// The second run was diagnosed too
		assert.equal(result.stderr.match(/extension-module-in-binary\]/g)?.length, 2);
	});

	it('without a terminal and without --yes, writes nothing and does not build again', () => {
		const {crate, env, runs} = brokenCrate();
		const before = readFileSync(path.join(crate, 'Cargo.toml'), 'utf8');
		const result = runCli(['run', '--fix', '--', 'cargo', 'build'], {cwd: crate, env});
		assert.equal(result.status, 101);
		assert.equal(runs(), 1);
		assert.equal(readFileSync(path.join(crate, 'Cargo.toml'), 'utf8'), before);
		assert.match(result.stderr, /Not writing without confirmation: standard input is not a terminal\. Add --yes/);
		// The diff was shown first
		assert.match(result.stderr, /^-pyo3 = \{ version = "0\.22\.0", features = \["extension-module"\] \}$/m);
	});

	it('leaves --fix and --yes inside the build command alone, and refuses --fix with --json', () => {
		const {crate, env} = brokenCrate();
		const result = runCli(['run', '--', 'sh', '-c', 'echo "$@"', 'sh', '--fix', '--yes'], {cwd: crate, env});
		assert.equal(result.status, 0);
		assert.equal(result.stdout.trim(), '--fix --yes');
		assert.equal(runCli(['run', '--fix', '--json', '--', 'true'], {cwd: crate, env}).status, 2);
		assert.equal(runCli(['run', '--yes', '--', 'true'], {cwd: crate, env}).status, 2);
	});
});
