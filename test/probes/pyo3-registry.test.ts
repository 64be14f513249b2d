import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {readPyo3Sources} from '../../src/core/facts/pyo3-sources.js';
import {pyo3SupportFor} from '../../src/core/facts/pyo3-support.js';
import {pyo3SupportFromRegistry} from '../../src/probes/pyo3-registry.js';
import {runCli} from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-registry-'));
after(() => rmSync(dir, {recursive: true, force: true}));

/** A build.rs shaped like pyo3-ffi's (0.30 layout: named version constants), for a release the table does not know. */
function ffiBuildRs({min, max, freeThreaded, abi3t}: {min: number; max: number; freeThreaded: number; abi3t: number}): string {
	const constant = (minor: number) => `const PY_3_${minor}: PythonVersion = PythonVersion {\n    major: 3,\n    minor: ${minor},\n};\n`;
	return [
		...new Set([min, max, freeThreaded, 11]).values(),
	].map(minor => constant(minor)).join('') + `
const SUPPORTED_VERSIONS_CPYTHON: SupportedVersions = SupportedVersions {
    min: PY_3_${min},
    max: PY_3_${max},
};

const SUPPORTED_VERSIONS_PYPY: SupportedVersions = SupportedVersions {
    min: PY_3_11,
    max: SUPPORTED_VERSIONS_CPYTHON.max,
};

const MIN_FREE_THREADED_VERSION: PythonVersion = PY_3_${freeThreaded};

fn ensure_python_version() {
    warn!("Using experimental support for the {implementation} {}.{} ABI.");
    ensure!(version >= PY_3_${abi3t}, "Abi3t builds are not supported on CPython targets before Python 3.${abi3t}")
}
`;
}

/** A CARGO_HOME whose registry holds pyo3 `version` with the given files. */
function fakeCargoHome(name: string, version: string, files: {buildRs?: string; cargoToml?: string; buildRsIsFolder?: boolean}): string {
	const home = path.join(dir, name);
	const index = path.join(home, 'registry', 'src', 'index.crates.io-0000000000000000');
	mkdirSync(path.join(index, `pyo3-ffi-${version}`), {recursive: true});
	if (files.buildRsIsFolder) {
		mkdirSync(path.join(index, `pyo3-ffi-${version}`, 'build.rs'));
	} else if (files.buildRs !== undefined) {
		writeFileSync(path.join(index, `pyo3-ffi-${version}`, 'build.rs'), files.buildRs);
	}

	if (files.cargoToml !== undefined) {
		mkdirSync(path.join(index, `pyo3-${version}`), {recursive: true});
		writeFileSync(path.join(index, `pyo3-${version}`, 'Cargo.toml'), files.cargoToml);
	}

	return home;
}

/** A crate locked to pyo3 `version` (no Cargo.toml dependency resolution needed: the lock says it). */
function lockedProject(name: string, version: string): string {
	const root = path.join(dir, name);
	mkdirSync(path.join(root, 'src'), {recursive: true});
	writeFileSync(path.join(root, 'Cargo.toml'), `[package]\nname = "locked"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\npyo3 = "${version}"\n`);
	writeFileSync(path.join(root, 'Cargo.lock'), `version = 4\n\n[[package]]\nname = "pyo3"\nversion = "${version}"\n\n[[package]]\nname = "pyo3-ffi"\nversion = "${version}"\n`);
	writeFileSync(path.join(root, 'src', 'lib.rs'), '');
	return root;
}

function checkJson(project: string, cargoHome: string): Record<string, unknown> {
	const result = runCli(['check', '--json', '--project', project], {env: {...process.env, CARGO_HOME: cargoHome, PYO3_PYTHON: '/usr/bin/python3'}, encoding: 'utf8'});
	assert.ok(result.stdout.startsWith('{'), `check --json printed: ${result.stdout.slice(0, 200)} ${result.stderr.slice(0, 200)}`);
	return (JSON.parse(result.stdout) as {facts: {project: {pyo3: Record<string, unknown>}}}).facts.project.pyo3;
}

describe('pyo3 support read from the locked release in cargo registry', () => {
	it('reports the range of a pyo3 newer than the bundled table, read from the registry, in check --json', () => {
		// Given a project locked to pyo3 0.31.0, which the bundled table does not know, and its sources in a registry
		assert.equal(pyo3SupportFor('0.31.0'), undefined);
		const home = fakeCargoHome('newer', '0.31.0', {buildRs: ffiBuildRs({min: 10, max: 16, freeThreaded: 14, abi3t: 15}), cargoToml: '[package]\nname = "pyo3"\nrust-version = "1.88"\nversion = "0.31.0"\n'});
		const project = lockedProject('newer-project', '0.31.0');
		// When check --json runs
		const pyo3 = checkJson(project, home);
		// Then the range, the minimum Rust and the rules come from those sources, and the source is named
		assert.equal(pyo3.supportSource, 'registry');
		assert.equal(pyo3.minPython, '3.10');
		assert.equal(pyo3.maxPython, '3.16');
		assert.equal(pyo3.minRust, '1.88');
		assert.equal(pyo3.minPyPy, '3.11');
		assert.equal(pyo3.freeThreadedMinPython, '3.14');
		assert.equal(pyo3.abi3tMinPython, '3.15');
		assert.equal(pyo3.nextPythonExperimental, true);
		assert.equal(pyo3.supportSourceDir, path.join(home, 'registry', 'src', 'index.crates.io-0000000000000000', 'pyo3-ffi-0.31.0'));
	});

	it('the locked pyo3\'s rust-version read from the registry is the Rust the build requires', () => {
		// Given pyo3 0.31.0 in a registry whose Cargo.toml asks for a Rust no one has yet
		const home = fakeCargoHome('future-rust', '0.31.0', {buildRs: ffiBuildRs({min: 10, max: 16, freeThreaded: 14, abi3t: 15}), cargoToml: '[package]\nname = "pyo3"\nrust-version = "1.999"\nversion = "0.31.0"\n'});
		const project = lockedProject('future-rust-project', '0.31.0');
		// When check --json runs
		const result = runCli(['check', '--json', '--project', project], {env: {...process.env, CARGO_HOME: home, PYO3_PYTHON: '/usr/bin/python3'}, encoding: 'utf8'});
		const json = JSON.parse(result.stdout) as {facts: {project: {pyo3: Record<string, unknown>}; derived?: Record<string, unknown>; rust?: Record<string, unknown>}};
		// Then that one fact (project.pyo3.minRust) sets the required Rust, and a rustc below it is flagged
		assert.equal(json.facts.project.pyo3.minRust, '1.999');
		assert.equal(json.facts.project.pyo3.rustVersion, undefined, 'one fact for the locked pyo3\'s rust-version');
		assert.equal(json.facts.derived?.requiredRustVersion, '1.999');
		if (typeof json.facts.rust?.rustcVersion === 'string') {
			assert.equal(json.facts.derived?.rustcBelowRequired, true);
		}
	});

	it('falls back to the bundled table, with a note, when the registry build.rs says nothing usable', () => {
		// Given pyo3 0.30.1 in a registry whose build.rs has no supported range and whose Cargo.toml has no rust-version
		const home = fakeCargoHome('odd', '0.30.1', {buildRs: 'fn main() {}\n', cargoToml: '[package]\nname = "pyo3"\n'});
		// When its support is read
		const pyo3 = checkJson(lockedProject('odd-project', '0.30.1'), home);
		// Then the bundled 0.30 row is used and the note says why
		assert.equal(pyo3.supportSource, 'bundled table');
		assert.equal(pyo3.maxPython, '3.15');
		assert.equal(pyo3.minRust, '1.85');
		assert.match(String((pyo3.supportNotes as string[]).join(' | ')), /no SUPPORTED_VERSIONS_CPYTHON.*used the bundled table/);
	});

	it('falls back without a crash when build.rs cannot be read, or the version is newer than both', () => {
		// Given a build.rs that is a folder (EISDIR), and then no sources at all for an unknown release
		const unreadable = pyo3SupportFromRegistry('0.30.1', {CARGO_HOME: fakeCargoHome('unreadable', '0.30.1', {buildRsIsFolder: true})});
		assert.equal(unreadable.supportSource, undefined);
		assert.match((unreadable.supportNotes as string[])[0]!, /build\.rs: EISDIR/);
		// When the release is in neither the registry nor the table
		const pyo3 = checkJson(lockedProject('unknown-project', '0.99.0'), path.join(dir, 'empty-home'));
		// Then nothing is guessed
		assert.equal(pyo3.supportSource, undefined);
		assert.equal(pyo3.maxPython, undefined);
		assert.deepEqual(pyo3SupportFromRegistry('0.30', {CARGO_HOME: path.join(dir, 'empty-home')}), {}, 'a requirement, not a locked release, is not looked up');
	});

	it('a garbled range (a max that is not a version) is a note, not a fact', () => {
		const reading = readPyo3Sources({version: '0.31.0', ffiBuildRs: 'const SUPPORTED_VERSIONS_CPYTHON: SupportedVersions = SupportedVersions {\n    min: PY_3_9,\n    max: NOT_DEFINED,\n};\n'});
		assert.equal(reading.support, undefined);
		assert.match(reading.notes[0]!, /not a plain Python version/);
	});
});

// The real crates cargo unpacked on this machine (the real-tool suite's set-up fetches them).
const registry = path.join(process.env.CARGO_HOME || path.join(homedir(), '.cargo'), 'registry', 'src');
const realFfi = (version: string) => (existsSync(registry) ? readdirSync(registry).map(index => path.join(registry, index, `pyo3-ffi-${version}`)).find(candidate => existsSync(candidate)) : undefined);

describe('the bundled table agrees with the real pyo3 sources', () => {
	for (const version of ['0.30.1', '0.22.6', '0.21.2']) {
		const ffi = realFfi(version);
		it(`pyo3 ${version}`, {skip: ffi ? false : `pyo3-ffi-${version} is not in cargo's registry here`}, () => {
			// Given the real pyo3-ffi/build.rs and pyo3/Cargo.toml of the release
			const pyo3Toml = path.join(path.dirname(ffi!), `pyo3-${version}`, 'Cargo.toml');
			const reading = readPyo3Sources({version, ffiBuildRs: readFileSync(path.join(ffi!, 'build.rs'), 'utf8'), cargoToml: existsSync(pyo3Toml) ? readFileSync(pyo3Toml, 'utf8') : undefined});
			// When they are read, Then they say what the bundled row says
			assert.deepEqual(reading.support, pyo3SupportFor(version));
			assert.deepEqual(reading.notes, []);
		});
	}

	it('check --json on a project locked to the real 0.30.1 reads the registry', {skip: realFfi('0.30.1') ? false : 'pyo3-ffi-0.30.1 is not in cargo registry here'}, () => {
		const pyo3 = checkJson(lockedProject('real-0.30.1', '0.30.1'), process.env.CARGO_HOME || path.join(homedir(), '.cargo'));
		assert.equal(pyo3.supportSource, 'registry');
		assert.deepEqual([pyo3.minPython, pyo3.maxPython, pyo3.minRust, pyo3.freeThreadedMinPython, pyo3.abi3tMinPython], ['3.9', '3.15', '1.85', '3.14', '3.15']);
	});
});
