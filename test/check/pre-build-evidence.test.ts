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
import {callsRuntimeThroughLibrary, runtimeCallingFunctions} from '../../src/probes/parsers/project.js';
import {indexedVersions, nixBuildsWithoutPython, satisfies} from '../../src/probes/pre-build-evidence.js';
import {knowledge} from '../helpers/knowledge.js';

// The proofs `check` makes before any build from the pre-build evidence (src/probes/pre-build-evidence.ts):
// each on a small project that has the cause and on one that does not, with the real probes, the
// fake interpreter of bin-python-3.12 unless a case says otherwise, and a CARGO_HOME of the test's
// own whose registry holds only what the case puts there.

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-pre-build-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

const manifest = (dependencies = 'pyo3 = "0.22.6"', extra = '') => `[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n${extra}\n[dependencies]\n${dependencies}\n`;
const lock = (rootDependencies: string[], packages: Array<[string, string]> = [['pyo3', '0.22.6'], ['pyo3-ffi', '0.22.6']], root = 'demo') =>
	`version = 3\n\n[[package]]\nname = "${root}"\nversion = "0.1.0"\ndependencies = [\n${rootDependencies.map(name => ` "${name}",`).join('\n')}\n]\n\n${packages
		.map(([name, version]) => `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n`)
		.join('\n')}`;

let counter = 0;
function write(root: string, files: Record<string, string>): string {
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(path.dirname(path.join(root, name)), {recursive: true});
		writeFileSync(path.join(root, name), text);
	}

	return root;
}

const project = (files: Record<string, string>) => write(path.join(scratch, `p${counter++}`), {'Cargo.toml': manifest(), 'Cargo.lock': lock(['pyo3']), 'src/lib.rs': '', ...files});

/** A CARGO_HOME whose index cache knows `entries` (name → index JSON lines) and whose sources hold `manifests` (folder → Cargo.toml). */
function cargoHome(entries: Record<string, object[]>, manifests: Record<string, string> = {}): string {
	const home = path.join(scratch, `cargo-home-${counter++}`);
	for (const [name, versions] of Object.entries(entries)) {
		const folder = name.length <= 2 ? [String(name.length)] : name.length === 3 ? ['3', name[0]!] : [name.slice(0, 2), name.slice(2, 4)];
		const file = path.join(home, 'registry', 'index', 'index.crates.io-test', '.cache', ...folder, name);
		mkdirSync(path.dirname(file), {recursive: true});
		// cargo's cache layout: a header, then version NUL json NUL per version.
		writeFileSync(file, `\u0003\u0002\u0000\u0000\u0000Unknown\u0000${versions.map(entry => `${(entry as {vers: string}).vers}\u0000${JSON.stringify(entry)}\u0000`).join('')}`);
	}

	for (const [folder, text] of Object.entries(manifests)) {
		write(path.join(home, 'registry', 'src', 'index.crates.io-test', folder), {'Cargo.toml': text});
	}

	return home;
}

const python312 = path.join(fixture('bin-python-3.12'), 'python3');

async function check(root: string, env: Record<string, string | undefined> = {}) {
	const base: Record<string, string | undefined> = {...process.env, PYO3_PYTHON: python312, CARGO_HOME: cargoHome({})};
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
	assert.ok(json.proof?.facts.some(item => item.fact === fact), `proof facts ${JSON.stringify(json.proof?.facts)} name ${fact}`);
}

/** A folder of links to this machine's tools, without python. */
function pathWithoutPython(): string {
	const bin = path.join(scratch, `no-python-${counter++}`);
	mkdirSync(bin, {recursive: true});
	for (const tool of ['git', 'cargo', 'rustc', 'cc', 'readelf', 'ldconfig', 'getconf', 'uname', 'pkg-config']) {
		const found = spawnSync('sh', ['-c', `command -v ${tool}`], {encoding: 'utf8'}).stdout.trim();
		if (found) {
			symlinkSync(found, path.join(bin, tool));
		}
	}

	return bin;
}

describe('reading what cargo would pick', () => {
	it('matches requirements as cargo does', () => {
		assert.equal(satisfies('0.21.2', '0.21'), true);
		assert.equal(satisfies('0.22.0', '^0.21.0'), false);
		assert.equal(satisfies('1.4.0', '1.2'), true);
		assert.equal(satisfies('2.0.0', '^1.2'), false);
		assert.equal(satisfies('0.21.5', '~0.21.2'), true);
		assert.equal(satisfies('0.21.1', '=0.21.2'), false);
		assert.equal(satisfies('0.0.3', '^0.0.3'), true);
		assert.equal(satisfies('0.0.4', '^0.0.3'), false);
		assert.equal(satisfies('0.21.0', '>=0.20, <0.22'), undefined);
	});

	it('reads every version of cargo index cache file, and nothing from a missing one', () => {
		const home = cargoHome({numpy: [{vers: '0.21.0', deps: []}, {vers: '0.22.1', deps: []}]});
		assert.deepEqual(indexedVersions('numpy', {CARGO_HOME: home}).map(entry => entry.vers), ['0.21.0', '0.22.1']);
		assert.deepEqual(indexedVersions('serde', {CARGO_HOME: home}), []);
	});

	it('finds library functions that call the runtime, and programs that call them', () => {
		const lib = 'pub fn greet() -> String { String::new() }\npub fn python_version() -> PyResult<String> {\n    Python::attach(|py| Ok(py.version().to_string()))\n}\n';
		assert.deepEqual(runtimeCallingFunctions(lib), ['python_version']);
		assert.equal(callsRuntimeThroughLibrary('fn main() { mylib::python_version().unwrap(); }', 'mylib', ['python_version']), true);
		assert.equal(callsRuntimeThroughLibrary('fn main() { mylib::greet(); }', 'mylib', ['python_version']), false);
	});

	it('a Nix derivation that compiles the crate and lists inputs without a Python', () => {
		const derivation = (inputs: string) => `mkDerivation { name = "x"; ${inputs} buildPhase = "cargo build --offline"; }`;
		assert.equal(nixBuildsWithoutPython([derivation('nativeBuildInputs = [ cargo rustc ];')]), true);
		assert.equal(nixBuildsWithoutPython([derivation('nativeBuildInputs = [ cargo rustc python3 ];')]), false);
		assert.equal(nixBuildsWithoutPython([derivation('nativeBuildInputs = [ cargo ]; PYO3_PYTHON = "/usr/bin/python3";')]), false);
		assert.equal(nixBuildsWithoutPython([derivation('')]), false, 'no input list: its tools come from elsewhere');
		assert.equal(nixBuildsWithoutPython(['mkShell { packages = [ cargo ]; }']), undefined, 'a shell builds nothing');
	});
});

describe('proofs from the pre-build evidence', () => {
	it('abi3-or-alt-implementation-misconfig: an abi3 minimum above the selected Python, or an abi3 feature the locked pyo3 dropped', async () => {
		const above = await check(project({'Cargo.toml': manifest('pyo3 = { version = "0.22.6", features = ["abi3-py313"] }')}));
		assertProof(above, 'abi3-or-alt-implementation-misconfig', 'derived.abi3AboveSelectedPython');
		assert.ok(!(await check(project({'Cargo.toml': manifest('pyo3 = { version = "0.22.6", features = ["abi3-py311"] }')}))).ids.includes('abi3-or-alt-implementation-misconfig'));
		const home = cargoHome({}, {'pyo3-0.22.6': '[package]\nname = "pyo3"\nversion = "0.22.6"\n\n[features]\nabi3 = []\nabi3-py39 = ["abi3"]\nabi3-py310 = ["abi3"]\n'});
		const dropped = await check(project({'Cargo.toml': manifest('pyo3 = { version = "0.22.6", features = ["abi3-py37"] }')}), {CARGO_HOME: home});
		assertProof(dropped, 'abi3-or-alt-implementation-misconfig', 'project.pyo3.unknownFeatures');
		assert.deepEqual((dropped.facts.project as {pyo3: {unknownFeatures: string[]}}).pyo3.unknownFeatures, ['abi3-py37']);
	});

	it('pyo3-links-conflict: a dependency whose chosen version needs another pyo3 series', async () => {
		const home = cargoHome({numpy: [
			{vers: '0.21.0', deps: [{name: 'pyo3', req: '^0.21.0', kind: 'normal', optional: false}]},
			{vers: '0.22.1', deps: [{name: 'pyo3', req: '^0.22.0', kind: 'normal', optional: false}]},
		]});
		const other = await check(project({'Cargo.toml': manifest('pyo3 = "0.22.6"\nnumpy = "0.21"')}), {CARGO_HOME: home});
		assertProof(other, 'pyo3-links-conflict', 'project.pyo3.otherSeriesDependents');
		assert.match(String((other.facts.project as {pyo3: {otherSeriesDependents: string[]}}).pyo3.otherSeriesDependents), /numpy 0\.21\.0 needs pyo3 0\.21\.0/);
		const same = await check(project({'Cargo.toml': manifest('pyo3 = "0.22.6"\nnumpy = "0.22"')}), {CARGO_HOME: home});
		assert.ok(!same.ids.includes('pyo3-links-conflict'), same.ids.join(', '));
	});

	it('native-build-deps-missing: a dependency whose build script runs pkg-config, not yet in Cargo.lock', async () => {
		const home = cargoHome({x11: [{vers: '2.21.0', deps: [{name: 'pkg-config', req: '^0.3.8', kind: 'build', optional: false}]}]});
		const bin = path.join(scratch, 'no-pkg-config');
		mkdirSync(bin, {recursive: true});
		for (const tool of ['git', 'cargo', 'rustc', 'cc']) {
			const found = spawnSync('sh', ['-c', `command -v ${tool}`], {encoding: 'utf8'}).stdout.trim();
			if (found) {
				symlinkSync(found, path.join(bin, tool));
			}
		}

		const x11 = project({'Cargo.toml': manifest('pyo3 = "0.22.6"\nx11 = "2.21"')});
		assertProof(await check(x11, {CARGO_HOME: home, PATH: bin}), 'native-build-deps-missing', 'project.dependenciesNeedPkgConfig');
		assert.ok(!(await check(project({}), {CARGO_HOME: home, PATH: bin})).ids.includes('native-build-deps-missing'));
	});

	it('embedded-interpreter-not-initialized: a program that attaches without initializing, auto-initialize off', async () => {
		const main = '// Not Python::initialize() here.\nfn main() { pyo3::Python::attach(|_py| {}); }\n';
		assertProof(await check(project({'src/main.rs': main})), 'embedded-interpreter-not-initialized', 'project.programsUsePythonUnstarted');
		const started = await check(project({'src/main.rs': 'fn main() { pyo3::Python::initialize(); pyo3::Python::attach(|_py| {}); }\n'}));
		assert.ok(!started.ids.includes('embedded-interpreter-not-initialized'), started.ids.join(', '));
		const auto = await check(project({'Cargo.toml': manifest('pyo3 = { version = "0.22.6", features = ["auto-initialize"] }'), 'src/main.rs': main}));
		assert.ok(!auto.ids.includes('embedded-interpreter-not-initialized'), auto.ids.join(', '));
	});

	it('extension-module-in-binary: a program that reaches Python through the crate library', async () => {
		const files = {
			'Cargo.toml': manifest('pyo3 = { version = "0.22.6", features = ["extension-module"] }'),
			'src/lib.rs': 'use pyo3::prelude::*;\npub fn greet() -> String { String::new() }\npub fn python_version() -> PyResult<String> {\n    Python::attach(|py| Ok(py.version().to_string()))\n}\n',
		};
		assertProof(await check(project({...files, 'src/main.rs': 'fn main() { println!("{}", demo::python_version().unwrap()); }\n'})), 'extension-module-in-binary', 'derived.extensionModuleWithBinsOrTests');
		const pure = await check(project({...files, 'src/main.rs': 'fn main() { println!("{}", demo::greet()); }\n'}));
		assert.ok(!pure.ids.includes('extension-module-in-binary'), pure.ids.join(', '));
	});

	it('maturin-interpreter-not-found before no-python-interpreter-found for a project maturin builds', async () => {
		const pyproject = '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n';
		const bin = pathWithoutPython();
		const maturinProject = await check(project({'pyproject.toml': pyproject}), {PATH: bin, PYO3_PYTHON: undefined});
		assertProof(maturinProject, 'maturin-interpreter-not-found', 'derived.noPythonFound');
		assert.ok(maturinProject.ids.includes('no-python-interpreter-found'));
		assert.equal((await check(project({}), {PATH: bin, PYO3_PYTHON: undefined})).top, 'no-python-interpreter-found');
	});

	it('no-python-interpreter-found: a Nix derivation that builds the crate with no Python among its inputs', async () => {
		const nix = (inputs: string) => `{ cargo, rustc, python3 }:\nderivation {\n  name = "demo";\n  nativeBuildInputs = [ ${inputs} ];\n  buildPhase = "cargo build --offline";\n}\n`;
		assertProof(await check(project({'default.nix': nix('cargo rustc')})), 'no-python-interpreter-found', 'project.nix.buildsWithoutPython');
		const withPython = await check(project({'default.nix': nix('cargo rustc python3')}));
		assert.ok(!withPython.ids.includes('no-python-interpreter-found'), withPython.ids.join(', '));
	});

	it('maturin-develop-no-venv: a warning (below 0.5) for an externally managed Python outside a venv, none with a .venv folder', async t => {
		const debian = '/usr/bin/python3';
		const marked = spawnSync(debian, ['-c', 'import os, sysconfig; print(os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))'], {encoding: 'utf8'}).stdout.trim();
		if (marked !== 'True') {
			t.skip('needs an externally managed /usr/bin/python3');
			return;
		}

		const pyproject = '[build-system]\nrequires = ["maturin>=1,<2"]\nbuild-backend = "maturin"\n';
		const noVenv = await check(project({'pyproject.toml': pyproject}), {PYO3_PYTHON: debian});
		const finding = noVenv.findings.find(item => item.diagnosis.id === 'maturin-develop-no-venv');
		assert.ok(finding && finding.confidence < 0.5, noVenv.ids.join(', '));
		const withVenv = await check(project({'pyproject.toml': pyproject, '.venv/pyvenv.cfg': 'home = /usr/bin\n'}), {PYO3_PYTHON: debian});
		assert.ok(!withVenv.ids.includes('maturin-develop-no-venv'), withVenv.ids.join(', '));
	});
});
