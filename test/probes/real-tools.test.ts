import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {parse as parseYaml} from 'yaml';
import {readFact} from '../../src/core/knowledge/conditions.js';
import {collectFacts} from '../../src/probes/collect.js';
import {findOnPath} from '../../src/probes/context.js';

// These run the real python3, cargo, rustc, nix, readelf and cc of this machine (test/setup-tools.sh installs nix).
const catalogue = Object.keys(parseYaml(readFileSync(new URL('../../knowledge/facts.yaml', import.meta.url), 'utf8')) as Record<string, unknown>);
const has = (tool: string) => findOnPath(tool, process.env) !== undefined;
// The python3 on PATH, by its real path and prefix, so that PYTHONHOME can be set without breaking it.
const pathPython = spawnSync('python3', ['-c', 'import sys; print(sys.executable); print(sys.prefix)'], {encoding: 'utf8'}).stdout?.trim().split('\n') ?? [];
const systemPython = pathPython[0] || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : undefined);
const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-real-'));
after(() => rmSync(dir, {recursive: true, force: true}));

// A project that exercises every project fact: pyproject, Nix files, .cargo/config, git, target/ with a built program.
function richProject(): string {
	const root = path.join(dir, 'rich');
	cpSync(fileURLToPath(new URL('../fixtures/projects/extension-module-for-maturin-only', import.meta.url)), root, {recursive: true});
	const manifest = readFileSync(path.join(root, 'Cargo.toml'), 'utf8')
		.replace('pyo3 = "0.22.0"', 'pyo3 = { version = "0.22.0", features = ["abi3-py38"] }')
		.replace('[package]\n', '[package]\nrust-version = "1.63"\n');
	writeFileSync(path.join(root, 'pyproject.toml'), `${readFileSync(path.join(root, 'pyproject.toml'), 'utf8')}compatibility = "linux"\n`);
	writeFileSync(path.join(root, 'Cargo.toml'), manifest);
	mkdirSync(path.join(root, '.cargo'));
	writeFileSync(path.join(root, '.cargo', 'config.toml'), '[target.x86_64-unknown-linux-gnu]\nlinker = "cc"\n');
	writeFileSync(path.join(root, 'flake.nix'), '{ outputs = { self, nixpkgs }: with nixpkgs; { packages.x86_64-linux.default = python311.pkgs.buildPythonPackage { nativeBuildInputs = [ rustPlatform.maturinBuildHook ]; cargoDeps = rustPlatform.importCargoLock { lockFile = ./Cargo.lock; }; maturinBuildFlags = [ "--compatibility" "off" ]; src = ./ext_maturin_only-0.1.0-cp311-cp311-linux_x86_64.whl; }; }; }\n');
	writeFileSync(path.join(root, '.envrc'), 'use flake\nexport PYO3_PYTHON=python3\n');
	mkdirSync(path.join(root, 'target', 'debug'), {recursive: true});
	if (has('cc')) {
		// A program that needs a libpython the loader cannot find (no rpath, not in ld.so.cache).
		writeFileSync(path.join(dir, 'needs.c'), 'int Py_IsInitialized(void);\nint main(void) { return Py_IsInitialized(); }\n');
		writeFileSync(path.join(dir, 'libpython3.99.so.1.0.c'), 'int Py_IsInitialized(void) { return 0; }\n');
		spawnSync('cc', ['-shared', '-fPIC', '-Wl,-soname,libpython3.99.so.1.0', '-o', path.join(dir, 'libpython3.99.so.1.0'), path.join(dir, 'libpython3.99.so.1.0.c')]);
		spawnSync('cc', ['-o', path.join(root, 'target', 'debug', 'needs-python'), path.join(dir, 'needs.c'), path.join(dir, 'libpython3.99.so.1.0')]);
	}

	if (has('git')) {
		spawnSync('git', ['init', '-q'], {cwd: root});
		spawnSync('git', ['add', 'Cargo.lock'], {cwd: root});
	}

	return root;
}

/** Names that this machine cannot know, and why; every other catalogue name must be produced. */
function unknowable(): Record<string, string> {
	const reasons: Record<string, string> = {
		'project.modelProblem': 'only when cargo metadata cannot describe the workspace',
		'env.cwdUnnamed': 'only in a folder whose path is not UTF-8 (test/faults/files.test.ts runs there)',
		'project.pyproject.path': 'only when the pyproject.toml that builds the crate sits above it',
		'project.cargoGenerateTemplate': 'only for a cargo-generate template',
		'project.pythonCalledFrom.bins': 'only for a crate with a binary source to read',
		'project.pythonCalledFrom.examples': 'only for a crate with examples to read',
		'python.selected.venvBaseMissing': 'only for a venv whose base interpreter is gone (test/probes/collect.test.ts)',
	};
	if (!has('nix')) {
		reasons['nix.version'] = 'nix is not installed';
		reasons['nix.flakesEnabled'] = 'nix is not installed';
	}

	if (!has('maturin')) {
		reasons['maturin.version'] = 'maturin is not installed';
	}

	if (!has('cc')) {
		reasons['rust.linker'] = 'no C compiler';
	}

	if (!has('readelf')) {
		reasons['project.target.binariesMissingLibpython'] = 'readelf is not installed';
	}

	if (!has('git')) {
		reasons['project.cargoLockTracked'] = 'git is not installed';
	}

	// The rich project locks pyo3 0.22.0, whose sources cargo has not downloaded: its ranges come from
	// the bundled table (test/probes/pyo3-registry.test.ts covers the registry).
	for (const name of ['supportSourceDir', 'supportNotes', 'freeThreadedMinPython', 'abi3tMinPython']) {
		reasons[`project.pyo3.${name}`] = 'read only from a pyo3 release in cargo\'s registry (0.22.0 is not there, nor has it these rules)';
	}

	reasons['project.pyo3.unknownFeatures'] = 'read from the locked pyo3\'s Cargo.toml in cargo\'s registry sources (0.22.0 is not there)';
	for (const name of ['project.pyo3.otherSeriesDependents', 'project.dependenciesNeedPkgConfig']) {
		reasons[name] = 'read from cargo\'s index cache for registry dependencies other than pyo3; the rich project has none';
	}

	reasons['project.programsUsePythonUnstarted'] = 'the rich project has no program (src/main.rs, src/bin/)';
	return reasons;
}

describe('probes against the real tools of this machine', {skip: process.platform === 'linux' ? false : 'the fixtures assume Linux'}, () => {
	const env = {
		...process.env,
		PYO3_PYTHON: systemPython,
		PYO3_CONFIG_FILE: 'pyo3-config.txt',
		PYO3_BUILD_EXTENSION_MODULE: '1',
		PYTHONHOME: pathPython[1] ?? '/usr',
		PYTHONPATH: path.join(dir, 'nothing'),
		VIRTUAL_ENV: path.join(dir, 'venv'),
		CONDA_PREFIX: path.join(dir, 'conda'),
		LD_LIBRARY_PATH: path.join(dir, 'no-lib'),
		CARGO_NET_OFFLINE: 'true',
		IN_NIX_SHELL: 'impure',
	};

	it('produces every fact named in knowledge/facts.yaml, or knows why it cannot', {skip: systemPython ? false : 'no python3'}, async () => {
		// Given the real tools and a project with every kind of file
		const root = richProject();
		// When the probes run
		const {facts} = await collectFacts({cwd: root, env, timeoutMs: 10_000});
		// Then each catalogue name has a value, unless this machine cannot know it
		const skipped = unknowable();
		const missing = catalogue.filter(name => readFact(facts, name) === undefined && !(name in skipped));
		assert.deepEqual(missing, [], `not produced: ${missing.join(', ')}`);
	});

	it('describes the real python3, cargo and rustc', {skip: has('cargo') && systemPython ? false : 'cargo or python3 missing'}, async () => {
		const {facts, checks} = await collectFacts({cwd: dir, env: {...process.env, PYO3_PYTHON: systemPython}, timeoutMs: 10_000});
		const rustc = spawnSync('rustc', ['--version'], {encoding: 'utf8'}).stdout;
		assert.ok(rustc.includes(String(readFact(facts, 'rust.rustcVersion'))), rustc);
		assert.match(String(readFact(facts, 'rust.hostTriple')), /^\w+-\w+/);
		const version = spawnSync(systemPython!, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {encoding: 'utf8'}).stdout.trim();
		assert.equal(readFact(facts, 'python.selected.version'), version);
		assert.equal(readFact(facts, 'python.selected.executable'), systemPython);
		assert.equal(checks.find(line => line.area === 'rust')?.status, 'ok');
	});

	it('reads the real nix version and flakes setting', {skip: has('nix') ? false : 'nix is not installed (test/setup-tools.sh installs it)'}, async () => {
		const {facts} = await collectFacts({cwd: dir, env: process.env, timeoutMs: 10_000});
		const version = spawnSync('nix', ['--version'], {encoding: 'utf8'}).stdout;
		assert.ok(version.includes(String(readFact(facts, 'nix.version'))), version);
		assert.equal(typeof readFact(facts, 'nix.flakesEnabled'), 'boolean');
	});

	it('finds a built program whose libpython the loader cannot find', {skip: has('cc') && has('readelf') ? false : 'cc or readelf missing'}, async () => {
		const root = path.join(dir, 'rich');
		if (!existsSync(root)) {
			richProject();
		}

		const {facts} = await collectFacts({cwd: root, env: process.env, timeoutMs: 10_000});
		assert.deepEqual(readFact(facts, 'project.target.binariesMissingLibpython'), [path.join(root, 'target', 'debug', 'needs-python')]);
	});
});
