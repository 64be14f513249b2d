// Real-terminal proof of the wizard's loop, run by `npm run test:real` (not `npm test`: it compiles
// pyo3 three times, a few minutes on two cores). In tmux, in a binary crate on pyo3 0.30.1 with
// `extension-module` on: the first screen names the proven problem; Run my build command
// (`cargo build`, which really fails to link) → the finding → apply its patch → `r` → the same
// `cargo build` runs again and passes. And a command fix: `maturin develop` (the real maturin the
// real-tool suite installs) with no virtualenv → the finding → run `python -m venv .venv` → `r` →
// maturin develop installs into it.
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(repo, 'dist', 'cli.js');
// Compiled crates are kept between runs, beside the real-tool suite's.
const targetDir = path.join(process.env.REAL_CACHE ? path.resolve(process.env.REAL_CACHE) : path.join(repo, '.real-cache'), 'target', 'wizard-loop');
const work = mkdtempSync(path.join(tmpdir(), 'wizard-loop-'));
const socket = `pyo3-doctor-loop-${process.pid}`;
const buildTimeoutMs = 15 * 60 * 1000;
const tmuxMissing = spawnSync('tmux', ['-V']).error ? 'tmux is not installed (apt-get install tmux)' : false;
const maturin = path.join(path.dirname(path.dirname(targetDir)), 'venv', 'bin', 'maturin');

after(() => {
	spawnSync('tmux', ['-L', socket, 'kill-server']);
	rmSync(work, {recursive: true, force: true});
});

function tmux(...args: string[]): string {
	const result = spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	assert.equal(result.status, 0, `tmux ${args.join(' ')}: ${result.stderr}`);
	return result.stdout;
}

async function waitForScreen(expected: RegExp, timeoutMs = 30_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const screen = tmux('capture-pane', '-p', '-t', 'loop');
		if (expected.test(screen)) {
			return screen;
		}

		if (Date.now() > deadline) {
			throw new Error(`The terminal never showed ${String(expected)}. Screen:\n${screen}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 250);
		});
	}
}

async function key(name: string, expected: RegExp, timeoutMs?: number): Promise<string> {
	tmux('send-keys', '-t', 'loop', name);
	return waitForScreen(expected, timeoutMs);
}

test('wizard: cargo build fails to link → apply the patch → r → the build passes', {skip: tmuxMissing, timeout: 3 * buildTimeoutMs}, async () => {
	// Given a binary crate on pyo3 0.30.1 with extension-module on, which cannot link
	const project = path.join(work, 'loop-demo');
	mkdirSync(path.join(project, 'src'), {recursive: true});
	writeFileSync(
		path.join(project, 'Cargo.toml'),
		'[package]\nname = "loop-demo"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\npyo3 = { version = "=0.30.1", features = ["extension-module", "auto-initialize"] }\n',
	);
	writeFileSync(
		path.join(project, 'src', 'main.rs'),
		'use pyo3::prelude::*;\n\nfn main() -> PyResult<()> {\n    Python::attach(|py| {\n        let version: String = py.import("sys")?.getattr("version")?.extract()?;\n        println!("Python {version}");\n        Ok(())\n    })\n}\n',
	);
	const wizard = `env -u CI -u PYO3_BUILD_EXTENSION_MODULE CARGO_TARGET_DIR=${targetDir} NO_COLOR=1 ${process.execPath} ${cli}`;
	tmux('new-session', '-d', '-s', 'loop', '-x', '80', '-y', '24', '-c', project, `${wizard}; echo WIZARD-EXITED $?; sleep 600`);
	// When the wizard opens, the facts already prove the problem
	const first = await waitForScreen(/❯ See the problem found before the build/);
	assert.match(first.replaceAll('\n', ' '), /1 problem found before any build: `extension-module-in-binary`/);
	// And the user runs the build from the menu
	await key('Down', /❯ Paste or load/);
	await key('Down', /❯ Run my build command/);
	await key('Enter', /> cargo build/);
	const finding = await key('Enter', /Finding 1 of \d+ · .* · cargo build \(exit code 101\)/, buildTimeoutMs);
	assert.match(finding, /^extension-module-in-binary$/m);
	// Then a fix with a patch is applied (the next fix, while the one shown has none)
	await new Promise(resolve => {
		setTimeout(resolve, 3000);
	});
	if (!/ a apply /.test(tmux('capture-pane', '-p', '-t', 'loop'))) {
		await key('f', / a apply /);
	}

	await key('a', /Apply this patch to Cargo\.toml\? \(y\/n\)/);
	await key('y', /r rebuild/);
	assert.doesNotMatch(readFileSync(path.join(project, 'Cargo.toml'), 'utf8'), /"extension-module"/);
	assert.ok(existsSync(path.join(project, 'Cargo.toml.pyo3-doctor.bak')));
	// And r runs cargo build again, which now links
	const fixed = await key('r', /Fixed: the build passes now\./, buildTimeoutMs);
	assert.match(fixed.replaceAll('\n', ' '), /`cargo build` ended with exit code 0\. The previous patch is kept; backup at Cargo\.toml\.pyo3-doctor\.bak\./);
	await key('Enter', /❯ Run my build command/);
	await key('q', /WIZARD-EXITED 0/);
});

test('wizard: maturin develop finds no virtualenv → run the command fix → r → it installs', {skip: tmuxMissing || (existsSync(maturin) ? false : `no maturin at ${maturin} (npm run test:real installs it)`), timeout: 3 * buildTimeoutMs}, async () => {
	spawnSync('tmux', ['-L', socket, 'kill-session', '-t', 'loop']);
	// Given a maturin project, maturin on PATH (alone: no venv's python beside it), and no virtualenv anywhere
	const project = path.join(work, 'develop-demo');
	mkdirSync(path.join(project, 'src'), {recursive: true});
	writeFileSync(path.join(project, 'Cargo.toml'), '[package]\nname = "develop_demo"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\npyo3 = "=0.30.1"\n');
	writeFileSync(path.join(project, 'pyproject.toml'), '[build-system]\nrequires = ["maturin>=1.9.4,<2"]\nbuild-backend = "maturin"\n\n[project]\nname = "develop_demo"\nversion = "0.1.0"\n');
	writeFileSync(
		path.join(project, 'src', 'lib.rs'),
		'use pyo3::prelude::*;\n\n#[pyfunction]\nfn greet(name: &str) -> String {\n    format!("hello, {name}")\n}\n\n#[pymodule]\nfn develop_demo(m: &Bound<\'_, PyModule>) -> PyResult<()> {\n    m.add_function(wrap_pyfunction!(greet, m)?)\n}\n',
	);
	const maturinOnly = path.join(work, 'maturin-bin');
	mkdirSync(maturinOnly, {recursive: true});
	spawnSync('ln', ['-sf', maturin, path.join(maturinOnly, 'maturin')]);
	const wizard = `env -u CI -u VIRTUAL_ENV -u CONDA_PREFIX PATH=${maturinOnly}:${process.env.PATH} CARGO_TARGET_DIR=${targetDir}-develop NO_COLOR=1 ${process.execPath} ${cli}`;
	// Wide enough for the command's full path on one line.
	tmux('new-session', '-d', '-s', 'loop', '-x', '120', '-y', '30', '-c', project, `${wizard}; echo WIZARD-EXITED $?; sleep 600`);
	// When the user runs `maturin develop` from the menu
	await waitForScreen(/Run my build command/);
	for (let moves = 0; moves < 6 && !/❯ Run my build command/.test(tmux('capture-pane', '-p', '-t', 'loop')); moves++) {
		await key('Down', /❯/);
	}

	await key('Enter', /> cargo build/);
	for (let typed = 0; typed < 'cargo build'.length; typed++) {
		tmux('send-keys', '-t', 'loop', 'BSpace');
	}

	tmux('send-keys', '-t', 'loop', '-l', 'maturin develop');
	await waitForScreen(/> maturin develop/);
	const finding = await key('Enter', /Finding 1 of \d+ · .* · maturin develop \(exit code 1\)/, buildTimeoutMs);
	assert.match(finding, /^maturin-develop-no-venv$/m);
	// Then the command fix is offered, run after a yes, and its exit code said
	await key('a', /Run `.*python\S* -m venv \.venv` in the project\? \(y\/n\)/);
	await key('y', /Ran `.* -m venv \.venv`: exit code 0\./, 60_000);
	assert.ok(existsSync(path.join(project, '.venv', 'pyvenv.cfg')), 'the venv was made in the project');
	// And r runs maturin develop again, which installs into the new .venv
	const fixed = await key('r', /Fixed: the build passes now\./, buildTimeoutMs);
	assert.match(fixed.replaceAll('\n', ' '), /`maturin develop` ended with exit code 0\./);
	const imported = spawnSync(path.join(project, '.venv', 'bin', 'python'), ['-c', 'import develop_demo; print(develop_demo.greet("world"))'], {encoding: 'utf8'});
	assert.equal(imported.stdout.trim(), 'hello, world', imported.stderr);
	await key('Enter', /❯ Run my build command/);
	await key('q', /WIZARD-EXITED 0/);
});
