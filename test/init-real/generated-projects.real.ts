// Real-tool proof for `pyo3-doctor init`: every generated variant is built and run with the real
// tools. Run by `npm run test:init-real` (and `npm run test:real`), not by `npm test`: it needs
// cargo, a shared-libpython CPython, network access to PyPI once (maturin) and a few minutes.
//
// Without Nix (extension, embedding, both): cargo build and cargo test; the embedding program
// runs; maturin (from PyPI, in a venv) builds the wheel, pip installs it into a fresh venv and
// Python imports it; `pyo3-doctor check --project` finds nothing wrong. With Nix: every
// generated flake.nix (and the tool's own) parses with `nix-instantiate --parse` and evaluates
// against a stub nixpkgs (nixpkgs cannot be fetched here, so the flakes are not built).
import assert from 'node:assert/strict';
import {spawnSync, type SpawnSyncOptions} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(repo, 'dist', 'cli.js');
// Kept between runs (maturin's venv, compiled crates); a folder of its own, which no other suite cleans.
const cache = process.env.INIT_REAL_CACHE ? path.resolve(process.env.INIT_REAL_CACHE) : path.join(tmpdir(), 'pyo3-doctor-init-real');
const maturinVersion = process.env.MATURIN_VERSION ?? '1.16.0';
const work = mkdtempSync(path.join(tmpdir(), 'init-real-'));
// One target folder for all variants: pyo3 is compiled once per profile, not once per project.
const targetDir = path.join(cache, 'target');

type Run = {status: number | null; stdout: string; stderr: string};

function sh(command: string, args: string[], options: SpawnSyncOptions = {}): Run {
	const result = spawnSync(command, args, {encoding: 'utf8', timeout: 15 * 60 * 1000, maxBuffer: 64 * 1024 * 1024, ...options});
	return {status: result.status, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? result.error?.message ?? '')};
}

function ok(result: Run, what: string): Run {
	assert.equal(result.status, 0, `${what} failed:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
	return result;
}

const has = (tool: string) => sh('sh', ['-c', `command -v ${tool}`]).status === 0;

/** A CPython with a shared libpython that is NOT on the default loader path, so the rpath set-up is really tested. */
function choosePython(): string {
	const pyenvRoot = path.join(process.env.HOME ?? '/root', '.pyenv', 'versions');
	const candidates = existsSync(pyenvRoot)
		? readdirSync(pyenvRoot)
				.filter(version => /^3\.(1[0-3])\.\d+$/.test(version))
				.sort((a, b) => b.localeCompare(a, undefined, {numeric: true}))
				.map(version => path.join(pyenvRoot, version, 'bin', 'python3'))
		: [];
	for (const candidate of [process.env.INIT_REAL_PYTHON, ...candidates, '/usr/bin/python3'].filter(Boolean) as string[]) {
		const shared = sh(candidate, ['-c', 'import sysconfig, sys; sys.exit(0 if sysconfig.get_config_var("Py_ENABLE_SHARED") else 1)']);
		if (shared.status === 0) {
			return candidate;
		}
	}

	throw new Error('no CPython with a shared libpython found');
}

const python = choosePython();
const baseEnv = {...process.env, CARGO_TARGET_DIR: targetDir, NO_COLOR: '1', CI: 'true', PIP_DISABLE_PIP_VERSION_CHECK: '1'};
// Not inherited from the surroundings: the generated .cargo/config.toml must be what chooses.
delete baseEnv.PYO3_PYTHON;
delete baseEnv.VIRTUAL_ENV;
const maturinVenv = path.join(cache, `maturin-${maturinVersion}`);

function init(name: string, kind: string, nix: boolean): string {
	const dir = path.join(work, name);
	ok(sh(process.execPath, [cli, 'init', dir, '--kind', kind, nix ? '--nix' : '--no-nix', '--python', nix ? '3.12' : python], {env: baseEnv}), `init ${name}`);
	return dir;
}

before(() => {
	mkdirSync(cache, {recursive: true});
	if (!existsSync(path.join(maturinVenv, 'bin', 'maturin'))) {
		ok(sh(python, ['-m', 'venv', maturinVenv]), 'venv for maturin');
		ok(sh(path.join(maturinVenv, 'bin', 'pip'), ['install', '--quiet', `maturin==${maturinVersion}`]), 'pip install maturin');
	}
});

const binaryPath = (name: string) => path.join(targetDir, 'debug', name);

describe('generated projects without Nix build, test and run for real', {concurrency: false}, () => {
	for (const kind of ['extension', 'embedding', 'both'] as const) {
		const name = `real-${kind}`;
		test(`${kind}: cargo build, cargo test${kind === 'extension' ? '' : ', the program runs'}`, () => {
			// Given a project init wrote for a Python whose libpython is not on the loader path
			const dir = init(name, kind, false);
			// When it is built and tested with plain cargo
			ok(sh('cargo', ['build'], {cwd: dir, env: baseEnv}), `${name}: cargo build`);
			const tests = ok(sh('cargo', ['test'], {cwd: dir, env: baseEnv}), `${name}: cargo test`);
			// Then the tests passed, the Python ones included
			assert.match(tests.stdout, /test result: ok\. [1-9]\d* passed/);
			if (kind !== 'embedding') {
				assert.match(tests.stdout, /adds_through_python \.\.\. ok/);
			}

			if (kind !== 'extension') {
				assert.match(tests.stdout, /python_runs_embedded \.\.\. ok/);
				// And the program starts without LD_LIBRARY_PATH and runs Python code
				const program = ok(sh(binaryPath(kind === 'both' ? `${name}-embed` : name), [], {env: baseEnv}), `${name}: program`);
				assert.match(program.stdout, /^Python 3\.\d+\.\d+ from .*: the answer is 42$/m);
			}
		});

		if (kind !== 'embedding') {
			test(`${kind}: maturin builds a wheel that pip installs and Python imports`, () => {
				// Given the same project and a fresh venv of the same Python
				const dir = path.join(work, name);
				const venv = path.join(work, `${name}-venv`);
				ok(sh(python, ['-m', 'venv', venv]), 'venv');
				// When maturin builds the wheel for that venv's interpreter
				const wheels = path.join(work, `${name}-wheels`);
				rmSync(wheels, {recursive: true, force: true});
				ok(
					sh(path.join(maturinVenv, 'bin', 'maturin'), ['build', '--release', '--interpreter', path.join(venv, 'bin', 'python'), '--out', wheels], {cwd: dir, env: baseEnv}),
					`${name}: maturin build`,
				);
				const [wheel] = readdirSync(wheels).filter(file => file.endsWith('.whl'));
				assert.ok(wheel, 'a wheel was written');
				// Then pip installs it and Python imports the module and calls into Rust
				ok(sh(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--no-index', path.join(wheels, wheel)]), `${name}: pip install`);
				const module = name.replaceAll('-', '_');
				const imported = ok(sh(path.join(venv, 'bin', 'python'), ['-c', `import ${module}; print(${module}.add(40, 2))`], {cwd: work}), `${name}: import`);
				assert.equal(imported.stdout.trim(), '42');
				// And the module does not link libpython, with no extension-module feature anywhere:
				// maturin set PYO3_BUILD_EXTENSION_MODULE, which pyo3 0.26+ reads
				const located = ok(sh(path.join(venv, 'bin', 'python'), ['-c', `import ${module}, os; print(os.path.join(os.path.dirname(${module}.__file__), [f for f in os.listdir(os.path.dirname(${module}.__file__)) if f.endswith('.so')][0]))`], {cwd: work}), `${name}: module file`);
				const dynamic = ok(sh('readelf', ['-d', located.stdout.trim()]), `${name}: readelf`);
				assert.match(dynamic.stdout, /NEEDED/);
				assert.doesNotMatch(dynamic.stdout, /libpython/);
			});
		}

		test(`${kind}: pyo3-doctor check finds nothing wrong`, () => {
			// Given the generated project, with maturin on PATH as its README says
			const dir = path.join(work, name);
			const env = {...baseEnv, PATH: `${path.join(maturinVenv, 'bin')}:${process.env.PATH}`};
			// When check looks at it
			const result = sh(process.execPath, [cli, 'check', '--project', dir, '--json'], {env});
			// Then it exits 0 and proves no problem
			assert.equal(result.status, 0, `${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`);
			const report = JSON.parse(result.stdout) as {diagnoses: Array<{id: string}>};
			assert.deepEqual(report.diagnoses.map(diagnosis => diagnosis.id), []);
		});
	}
});

describe('generated Nix files parse', () => {
	const nixInstantiate = has('nix-instantiate');
	for (const kind of ['extension', 'embedding', 'both'] as const) {
		test(`${kind} with --nix: flake.nix parses`, {skip: nixInstantiate ? false : 'nix-instantiate is not installed (Debian: nix-bin)'}, () => {
			// Given a Nix project init wrote
			const dir = init(`nix-${kind}`, kind, true);
			// When Nix parses its flake
			const parsed = sh('nix-instantiate', ['--parse', path.join(dir, 'flake.nix')]);
			// Then it is valid Nix
			assert.equal(parsed.status, 0, parsed.stderr);
			assert.ok(existsSync(path.join(dir, '.envrc')));
			// And its outputs evaluate against a stub nixpkgs (every attribute it reads exists there)
			const evaluated = evaluateWithStub(path.join(dir, 'flake.nix'));
			assert.equal(evaluated.status, 0, evaluated.stderr);
			assert.match(evaluated.stdout, kind === 'both' ? /\[ "default" "nix-both-embed" ]/ : /\[ "default" ]/);
		});
	}

	test('the tool\'s own flake.nix parses and evaluates against a stub nixpkgs', {skip: nixInstantiate ? false : 'nix-instantiate is not installed (Debian: nix-bin)'}, () => {
		// Given the repository's flake
		const flake = path.join(repo, 'flake.nix');
		// Then it parses and its package, app and dev shell evaluate
		assert.equal(sh('nix-instantiate', ['--parse', flake]).status, 0);
		const evaluated = evaluateWithStub(flake);
		assert.equal(evaluated.status, 0, evaluated.stderr);
		assert.match(evaluated.stdout, /\[ "default" ]/);
	});
});

// A stub nixpkgs with just the attributes the flakes use: catches misspelt attributes and broken
// interpolations that parsing alone does not, without fetching nixpkgs.
function evaluateWithStub(flake: string): Run {
	const stub = fileURLToPath(new URL('stub-nixpkgs-eval.nix', import.meta.url));
	return sh('nix-instantiate', ['--eval', '--strict', '-E', `import ${stub} ${flake}`]);
}
