import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {findingsFromFacts} from '../../src/core/match/from-facts.js';
import {findingToJson} from '../../src/core/report/findings-json.js';
import {collectFacts} from '../../src/probes/collect.js';
import {knowledge} from '../helpers/knowledge.js';

// Each proof `check` makes before any build, on a small project that has the cause and on one
// that does not: the real probes run, with the fake interpreter of bin-python-3.12 (shared
// libpython) unless a case says otherwise.

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-proofs-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

const manifest = (extra = '', dependencies = 'pyo3 = "0.22.6"') => `[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n${extra}\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\n${dependencies}\n`;
const lock = (rootDependencies: string[], packages: Array<[string, string]> = [['pyo3', '0.22.6'], ['pyo3-ffi', '0.22.6']]) =>
	`version = 3\n\n[[package]]\nname = "demo"\nversion = "0.1.0"\ndependencies = [\n${rootDependencies.map(name => ` "${name}",`).join('\n')}\n]\n\n${packages
		.map(([name, version]) => `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`)
		.join('\n')}`;
const pyproject = (tool = '') => `[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n\n[project]\nname = "demo"\n\n[tool.maturin]\nfeatures = ["pyo3/extension-module"]\n${tool}`;

let counter = 0;
function project(files: Record<string, string>): string {
	const root = path.join(scratch, `p${counter++}`);
	for (const [name, text] of Object.entries({'Cargo.toml': manifest(), 'Cargo.lock': lock(['pyo3']), 'src/lib.rs': '', ...files})) {
		mkdirSync(path.dirname(path.join(root, name)), {recursive: true});
		writeFileSync(path.join(root, name), text);
	}

	return root;
}

async function check(root: string, env: Record<string, string | undefined> = {}) {
	const base: Record<string, string | undefined> = {...process.env, PYO3_PYTHON: path.join(fixture('bin-python-3.12'), 'python3')};
	for (const name of ['VIRTUAL_ENV', 'CONDA_PREFIX', 'PYO3_CONFIG_FILE', 'PYO3_BUILD_EXTENSION_MODULE']) {
		delete base[name];
	}

	const {facts} = await collectFacts({cwd: scratch, projectDir: root, env: {...base, ...env}, timeoutMs: 10_000});
	const findings = findingsFromFacts(knowledge, facts);
	return {facts, findings, top: findings[0]?.diagnosis.id, ids: findings.map(finding => finding.diagnosis.id)};
}

function assertProof(result: Awaited<ReturnType<typeof check>>, id: string, fact: string) {
	assert.equal(result.top, id, `top of [${result.ids.join(', ')}]`);
	const json = findingToJson(result.findings[0]!);
	assert.ok(json.proof, 'the finding carries its proof');
	assert.ok(
		json.proof.facts.some(item => item.fact === fact),
		`proof facts ${JSON.stringify(json.proof.facts)} name ${fact}`,
	);
}

const configFile = (lines: string) => {
	const file = path.join(scratch, `pyo3-config-${counter++}.txt`);
	writeFileSync(file, lines);
	return file;
};

describe('proofs before any build', () => {
	it('pyo3-links-conflict: two pyo3-ffi versions in Cargo.lock', async () => {
		const two = await check(project({'Cargo.lock': lock(['pyo3', 'numpy'], [['pyo3', '0.22.6'], ['pyo3-ffi', '0.22.6'], ['pyo3', '0.21.2'], ['pyo3-ffi', '0.21.2']])}));
		assertProof(two, 'pyo3-links-conflict', 'derived.multiplePyo3Versions');
		assert.ok(!(await check(project({}))).ids.includes('pyo3-links-conflict'));
	});

	it('rust-toolchain-missing-or-old: rustc older than rust-version', async () => {
		const tooOld = await check(project({'Cargo.toml': manifest('rust-version = "1.999"')}));
		assertProof(tooOld, 'rust-toolchain-missing-or-old', 'derived.rustcBelowRequired');
		assert.equal(tooOld.facts.derived && (tooOld.facts.derived as Record<string, unknown>).requiredRustVersion, '1.999');
		assert.ok(!(await check(project({'Cargo.toml': manifest('rust-version = "1.56"')}))).ids.includes('rust-toolchain-missing-or-old'));
	});

	it('cargo-lock-out-of-sync: a dependency Cargo.lock does not list', async () => {
		const stale = await check(project({'Cargo.toml': manifest('', 'pyo3 = "0.22.6"\nserde = "1"')}));
		assertProof(stale, 'cargo-lock-out-of-sync', 'project.cargoLockInSync');
		assert.ok(!(await check(project({}))).ids.includes('cargo-lock-out-of-sync'));
	});

	it('pyo3-config-file-invalid: a relative PYO3_CONFIG_FILE in .cargo/config.toml, or a file pyo3 cannot parse', async () => {
		const relative = await check(project({'.cargo/config.toml': '[env]\nPYO3_CONFIG_FILE = "pyo3.txt"\n', 'pyo3.txt': 'version=3.11\n'}));
		assertProof(relative, 'pyo3-config-file-invalid', 'env.PYO3_CONFIG_FILEAbsolute');
		const unparsable = await check(project({}), {PYO3_CONFIG_FILE: configFile('implementation=CPython\nshared\n')});
		assertProof(unparsable, 'pyo3-config-file-invalid', 'pyo3Config.parses');
		assert.match(findingToJson(unparsable.findings[0]!).proof!.says, /expected key=value pair on line 2/);
		const fine = await check(project({}), {PYO3_CONFIG_FILE: configFile('implementation=CPython\nversion=3.11\nshared=true\n')});
		assert.ok(!fine.ids.includes('pyo3-config-file-invalid'), fine.ids.join(', '));
	});

	it('a PYO3_CONFIG_FILE stands for the Python: too new, free-threaded, static with auto-initialize', async () => {
		const tooNew = await check(project({}), {PYO3_CONFIG_FILE: configFile('implementation=CPython\nversion=3.14\nshared=true\n')});
		assertProof(tooNew, 'python-too-new-for-pyo3', 'derived.pythonAbovePyo3Max');
		const freeThreaded = await check(project({}), {PYO3_CONFIG_FILE: configFile('version=3.13\nshared=true\nbuild_flags=Py_GIL_DISABLED\n')});
		assertProof(freeThreaded, 'free-threaded-unsupported', 'python.selected.gilDisabled');
		const autoInitialize = project({'Cargo.toml': manifest('', 'pyo3 = { version = "0.22.6", features = ["auto-initialize"] }')});
		assertProof(await check(autoInitialize, {PYO3_CONFIG_FILE: configFile('version=3.11\nshared=false\n')}), 'python-static-only-auto-initialize', 'derived.autoInitializeWithoutShared');
		assert.deepEqual((await check(autoInitialize, {PYO3_CONFIG_FILE: configFile('version=3.11\nshared=true\n')})).ids, []);
	});

	it('pyo3-python-interpreter-invalid and python-too-old-for-pyo3 from .cargo/config.toml [env]', async () => {
		const missing = await check(project({'.cargo/config.toml': '[env]\nPYO3_PYTHON = "/nonexistent/python3.9"\n'}), {PYO3_PYTHON: undefined});
		assertProof(missing, 'pyo3-python-interpreter-invalid', 'derived.pyo3PythonInvalid');
		// The process environment wins over [env] unless force = true.
		const overridden = await check(project({'.cargo/config.toml': '[env]\nPYO3_PYTHON = "/nonexistent/python3.9"\n'}));
		assert.ok(!overridden.ids.includes('pyo3-python-interpreter-invalid'), overridden.ids.join(', '));
		const forced = await check(project({'.cargo/config.toml': '[env]\nPYO3_PYTHON = { value = "/nonexistent/python3.9", force = true }\n'}));
		assert.equal(forced.top, 'pyo3-python-interpreter-invalid');
	});

	it('maturin-cli-flag-drift: a script passes flags maturin 1.x removed', async () => {
		const maturinOnPath = {PATH: `${fixture('bin-maturin-1.16')}${path.delimiter}${process.env.PATH ?? ''}`};
		const old = await check(project({'pyproject.toml': pyproject(), 'build.sh': 'maturin build --release --no-sdist --cargo-extra-args="--locked"\n'}), maturinOnPath);
		assertProof(old, 'maturin-cli-flag-drift', 'project.maturinFlags');
		const current = await check(project({'pyproject.toml': pyproject(), 'build.sh': 'maturin build --release --locked --sdist\n'}), maturinOnPath);
		assert.ok(!current.ids.includes('maturin-cli-flag-drift'));
	});

	it('native-build-deps-missing: a -sys crate needs pkg-config and PATH has none', async () => {
		const bin = path.join(scratch, 'no-pkg-config');
		mkdirSync(bin, {recursive: true});
		for (const tool of ['git', 'cargo', 'rustc', 'cc', 'readelf', 'ldconfig', 'getconf', 'uname']) {
			const found = spawnSync('sh', ['-c', `command -v ${tool}`], {encoding: 'utf8'}).stdout.trim();
			if (found) {
				symlinkSync(found, path.join(bin, tool));
			}
		}

		const files = {'Cargo.lock': lock(['pyo3', 'x11'], [['pyo3', '0.22.6'], ['pyo3-ffi', '0.22.6'], ['x11', '2.21.0'], ['pkg-config', '0.3.31']])};
		assertProof(await check(project(files), {PATH: bin}), 'native-build-deps-missing', 'pkgConfig.installed');
		assert.ok(!(await check(project({}), {PATH: bin})).ids.includes('native-build-deps-missing'));
	});

	it('maturin-patchelf-missing: build.rs links a library maturin must bundle, and no patchelf', async () => {
		const bin = path.join(scratch, 'no-patchelf');
		mkdirSync(bin, {recursive: true});
		const cc = spawnSync('sh', ['-c', 'command -v cc'], {encoding: 'utf8'}).stdout.trim();
		if (cc) {
			symlinkSync(cc, path.join(bin, 'cc'));
		}

		const files = {'pyproject.toml': pyproject(), 'build.rs': 'fn main() { println!("cargo:rustc-link-lib=dylib=greet"); }\n'};
		assertProof(await check(project(files), {PATH: bin}), 'maturin-patchelf-missing', 'project.linksNativeLibraries');
		// With --compatibility linux maturin does not repair the wheel, so needs no patchelf.
		assert.ok(!(await check(project({...files, 'pyproject.toml': pyproject('compatibility = "linux"\n')}), {PATH: bin})).ids.includes('maturin-patchelf-missing'));
	});

	it('manylinux-audit-failure: an old manylinux policy asked for on glibc 2.34 or newer', async t => {
		const result = await check(project({'pyproject.toml': pyproject('compatibility = "manylinux2014"\n')}));
		const glibc = (result.facts.system as Record<string, string> | undefined)?.glibcVersion;
		if (!glibc || Number(glibc.split('.')[1]) < 34) {
			t.skip('needs glibc 2.34 or newer');
			return;
		}

		assertProof(result, 'manylinux-audit-failure', 'project.pyproject.maturinCompatibility');
		assert.ok(!(await check(project({'pyproject.toml': pyproject('compatibility = "linux"\n')}))).ids.includes('manylinux-audit-failure'));
	});

	it('wheel-unsupported-platform-tag: a wheel in target/wheels the selected Python refuses', async () => {
		const root = project({'target/wheels/demo-0.1.0-cp313-cp313-manylinux_2_17_x86_64.whl': ''});
		const result = await check(root);
		assertProof(result, 'wheel-unsupported-platform-tag', 'derived.wheelsRejectedBySelectedPython');
		// The fake interpreter is 3.12 and accepts manylinux_2_17: a cp312 wheel is fine.
		const fine = await check(project({'target/wheels/demo-0.1.0-cp312-cp312-manylinux_2_17_x86_64.whl': ''}));
		assert.ok(!fine.ids.includes('wheel-unsupported-platform-tag'), fine.ids.join(', '));
	});

	it('extension-built-for-other-python: a module in the project built only for another Python than python3 on PATH', async () => {
		// python3 on PATH is the fake 3.12, which imports .cpython-312-x86_64-linux-gnu.so, .abi3.so and .so files.
		const env = {PATH: `${fixture('bin-python-3.12')}:${process.env.PATH}`};
		const stale = 'python/demo/_demo.cpython-311-x86_64-linux-gnu.so';
		const result = await check(project({'pyproject.toml': pyproject(), [stale]: ''}), env);
		assertProof(result, 'extension-built-for-other-python', 'derived.extensionsForAnotherPython');
		assert.deepEqual((result.facts.derived as Record<string, unknown>).extensionsForAnotherPython, [stale]);
		for (const beside of ['python/demo/_demo.cpython-312-x86_64-linux-gnu.so', 'python/demo/_demo.abi3.so']) {
			const fine = await check(project({'pyproject.toml': pyproject(), [stale]: '', [beside]: ''}), env);
			assert.ok(!fine.ids.includes('extension-built-for-other-python'), `${beside}: ${fine.ids.join(', ')}`);
		}

		// The Python that imports is python3 on PATH, not the one the build selects (PYO3_PYTHON, the fake 3.12 here).
		const built = 'python/demo/_demo.cpython-312-x86_64-linux-gnu.so';
		const otherOnPath = await check(project({'pyproject.toml': pyproject(), [built]: ''}), {PATH: `${fixture('bin-python-3.13')}:${process.env.PATH}`});
		assert.deepEqual((otherOnPath.facts.derived as Record<string, unknown>).extensionsForAnotherPython, [built]);

		// A venv of the project for that Python is where the module is meant to run.
		const venv = await check(project({'pyproject.toml': pyproject(), [stale]: '', '.venv/pyvenv.cfg': 'home = /usr/bin\nversion = 3.11.7\n'}), env);
		assert.ok(!venv.ids.includes('extension-built-for-other-python'), venv.ids.join(', '));

		// Build output and environments are not where the project imports from.
		const elsewhere = await check(project({'pyproject.toml': pyproject(), 'target/release/_demo.cpython-311-x86_64-linux-gnu.so': '', '.venv/lib/_demo.cpython-311-x86_64-linux-gnu.so': ''}), env);
		assert.ok(!elsewhere.ids.includes('extension-built-for-other-python'), elsewhere.ids.join(', '));
	});
});
