import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {extensionsForAnotherPython} from '../../src/core/facts/derive-build.js';
import {deriveFacts, expectedPlatformTag, wheelTagMismatch} from '../../src/core/facts/derive.js';
import {findBuiltExtensions, projectVenvPythons} from '../../src/probes/build-inputs.js';
import {pyo3PythonSupport, pyo3SupportFor} from '../../src/core/facts/pyo3-support.js';
import {readFact, type Facts} from '../../src/core/knowledge/conditions.js';

const python = (version: string, extra: Record<string, unknown> = {}) => ({
	selected: {version, implementation: 'CPython', runs: true, source: 'PATH', sharedLibpython: true, ...extra},
	candidates: [{command: 'python3', source: 'PATH', runs: true, version}],
});
const project = (pyo3: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	found: true,
	hasBins: false,
	hasTests: false,
	hasExamples: false,
	pyo3: {declared: true, features: [], extensionModuleDefault: false, autoInitialize: false, versions: [pyo3.version], ...pyo3},
	...extra,
});
const derived = (facts: Facts, name: string, env: Record<string, string> = {}) => readFact(deriveFacts(facts, env), name);

describe('pyo3 supported Python versions', () => {
	it('matches the ranges read from pyo3-ffi/build.rs at the release tags', () => {
		// Given the table, When a few known releases are looked up, Then their ranges are those of pyo3's sources
		assert.deepEqual(pyo3SupportFor('0.20.3'), {series: '0.20', minPython: '3.7', maxPython: '3.12', nextIsExperimental: false});
		assert.equal(pyo3SupportFor('0.22.6')?.maxPython, '3.13');
		assert.equal(pyo3SupportFor('0.25.1')?.maxPython, '3.14');
		assert.equal(pyo3SupportFor('0.29.0')?.minPython, '3.8');
		assert.equal(pyo3SupportFor('0.16.6')?.maxPython, '3.10');
		assert.equal(pyo3SupportFor('0.12.0'), undefined);
		assert.equal(pyo3SupportFor('1.0.0'), undefined, 'a series newer than the table is unknown, not guessed');
	});

	it('lists every series once, newest first, with min ≤ max', () => {
		const series = pyo3PythonSupport.map(row => row.series);
		assert.equal(new Set(series).size, series.length);
		for (const row of pyo3PythonSupport) {
			assert.ok(Number(row.minPython.split('.')[1]) <= Number(row.maxPython.split('.')[1]), row.series);
		}
	});
});

describe('derived facts', () => {
	it('flags a Python newer than the locked pyo3 supports, unless abi3 or forward compatibility applies', () => {
		assert.equal(derived({python: python('3.11'), project: project({version: '0.16.6'})}, 'derived.pythonAbovePyo3Max'), true);
		assert.equal(derived({python: python('3.10'), project: project({version: '0.16.6'})}, 'derived.pythonAbovePyo3Max'), false);
		assert.equal(derived({python: python('3.11'), project: project({version: '0.16.6', abi3: 'abi3-py37'})}, 'derived.pythonAbovePyo3Max'), false);
		assert.equal(derived({python: python('3.11'), project: project({version: '0.16.6'})}, 'derived.pythonAbovePyo3Max', {PYO3_USE_ABI3_FORWARD_COMPATIBILITY: '1'}), false);
		// pyo3 0.28 builds the version after its maximum with a warning only.
		assert.equal(derived({python: python('3.15'), project: project({version: '0.28.3'})}, 'derived.pythonAbovePyo3Max'), false);
		assert.equal(derived({python: python('3.16'), project: project({version: '0.28.3'})}, 'derived.pythonAbovePyo3Max'), true);
		assert.equal(derived({python: python('3.7'), project: project({version: '0.29.0'})}, 'derived.pythonBelowPyo3Min'), true);
		assert.equal(readFact(deriveFacts({python: python('3.11'), project: project({version: '0.22.0'})}), 'project.pyo3.maxPython'), '3.13');
	});

	it('checks PyPy against its own minimum where the release states one', () => {
		// pyo3 0.30 accepts PyPy from 3.11 (SUPPORTED_VERSIONS_PYPY), CPython from 3.9
		assert.equal(derived({python: python('3.9', {implementation: 'PyPy'}), project: project({version: '0.30.1'})}, 'derived.pythonBelowPyo3Min'), true);
		assert.equal(derived({python: python('3.11', {implementation: 'PyPy'}), project: project({version: '0.30.1'})}, 'derived.pythonBelowPyo3Min'), false);
		assert.equal(derived({python: python('3.9', {implementation: 'PyPy'}), project: project({version: '0.30.1'})}, 'derived.pythonAbovePyo3Max'), undefined);
	});

	it('leaves the version checks unknown for PyPy or an unknown pyo3', () => {
		assert.equal(derived({python: python('3.11', {implementation: 'PyPy'}), project: project({version: '0.16.6'})}, 'derived.pythonAbovePyo3Max'), undefined);
		assert.equal(derived({python: python('3.11'), project: project({version: '9.0.0'})}, 'derived.pythonAbovePyo3Max'), undefined);
	});

	it('flags extension-module with binaries, tests or examples, also when set through the environment', () => {
		assert.equal(derived({project: project({version: '0.22.0', extensionModuleDefault: true}, {hasTests: true})}, 'derived.extensionModuleWithBinsOrTests'), true);
		assert.equal(derived({project: project({version: '0.22.0', extensionModuleDefault: true})}, 'derived.extensionModuleWithBinsOrTests'), false);
		assert.equal(derived({project: project({version: '0.22.0'}, {hasBins: true})}, 'derived.extensionModuleWithBinsOrTests'), false);
		assert.equal(derived({project: project({version: '0.26.0'}, {hasBins: true}), env: {PYO3_BUILD_EXTENSION_MODULE: '1'}}, 'derived.extensionModuleWithBinsOrTests'), true);
		assert.equal(derived({project: {found: false}}, 'derived.extensionModuleWithBinsOrTests'), undefined);
	});

	it('flags auto-initialize only with a Python that has no shared libpython', () => {
		const embedding = project({version: '0.22.0', autoInitialize: true});
		assert.equal(derived({project: embedding, python: python('3.11', {sharedLibpython: false})}, 'derived.autoInitializeWithoutShared'), true);
		assert.equal(derived({project: embedding, python: python('3.11')}, 'derived.autoInitializeWithoutShared'), false);
		assert.equal(derived({project: embedding}, 'derived.autoInitializeWithoutShared'), undefined);
	});

	it('flags an invalid PYO3_PYTHON, no Python at all, differing interpreters and several pyo3 versions', () => {
		assert.equal(derived({env: {PYO3_PYTHON: '/nope'}, python: {selected: {runs: false, source: 'PYO3_PYTHON'}, candidates: []}}, 'derived.pyo3PythonInvalid'), true);
		assert.equal(derived({env: {}, python: python('3.11')}, 'derived.pyo3PythonInvalid'), false);
		assert.equal(derived({python: {candidates: [{source: 'PATH', runs: false}]}}, 'derived.noPythonFound'), true);
		const differing = {python: {selected: {version: '3.12', source: 'PYO3_PYTHON', runs: true}, candidates: [{source: 'PYO3_PYTHON', runs: true, version: '3.12'}, {source: 'PATH', command: 'python3', runs: true, version: '3.11'}]}};
		assert.equal(derived(differing, 'derived.interpretersDiffer'), true);
		assert.equal(derived({python: python('3.11')}, 'derived.interpretersDiffer'), false);
		assert.equal(derived({project: project({version: '0.22.0', versions: ['0.22.0', '0.20.3']})}, 'derived.multiplePyo3Versions'), true);
		assert.equal(derived({project: project({version: '0.22.0', versions: ['0.22.0', '0.22.0']})}, 'derived.multiplePyo3Versions'), false);
	});

	it('does not change the facts it is given', () => {
		const facts = {python: python('3.11'), project: project({version: '0.16.6'})};
		const before = JSON.stringify(facts);
		deriveFacts(facts);
		assert.equal(JSON.stringify(facts), before);
	});
});

describe('hard-coded wheel tags', () => {
	const system = {os: 'linux', arch: 'x86_64', manylinuxTag: 'manylinux_2_36_x86_64'};
	const withWheel = (wheel: string, nix: Record<string, unknown>) => ({system, project: {found: true, nix: {hardcodedWheels: [wheel], ...nix}}});

	it('expects linux_<arch> from maturinBuildHook or --compatibility off, and the flag value otherwise', () => {
		assert.equal(expectedPlatformTag(withWheel('x', {usesMaturinBuildHook: true})), 'linux_x86_64');
		assert.equal(expectedPlatformTag(withWheel('x', {manylinuxFlag: 'off'})), 'linux_x86_64');
		assert.equal(expectedPlatformTag(withWheel('x', {manylinuxFlag: 'manylinux2014'})), 'manylinux_2_17_x86_64');
		assert.equal(expectedPlatformTag(withWheel('x', {})), undefined);
	});

	it('finds a differing Python tag, architecture or platform', () => {
		assert.equal(wheelTagMismatch(withWheel('p-0.1.0-cp310-cp310-linux_x86_64.whl', {usesMaturinBuildHook: true, pythonAttr: 'python311'})), true);
		assert.equal(wheelTagMismatch(withWheel('p-0.1.0-cp311-cp311-linux_aarch64.whl', {pythonAttr: 'python311'})), true);
		assert.equal(wheelTagMismatch(withWheel('p-0.1.0-cp311-cp311-manylinux_2_17_x86_64.whl', {usesMaturinBuildHook: true, pythonAttr: 'python311'})), true);
		assert.equal(wheelTagMismatch(withWheel('p-0.1.0-cp311-cp311-linux_x86_64.whl', {usesMaturinBuildHook: true, pythonAttr: 'python311'})), false);
		assert.equal(wheelTagMismatch(withWheel('p-0.1.0-cp311-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', {manylinuxFlag: 'manylinux2014', pythonAttr: 'python311'})), false);
		assert.equal(wheelTagMismatch({system, project: {found: true, nix: {hardcodedWheels: []}}}), false);
	});
});

describe('#[pymodule] name against the import name', () => {
	const facts = (pymoduleNames: string[], pyproject: Record<string, unknown> = {}) => ({
		project: {found: true, libName: 'my_ext', pymoduleNames, pyproject, pyo3: {declared: true}},
	});

	it('compares with the last part of module-name, else the lib name', () => {
		assert.equal(derived(facts(['my_ext']), 'derived.pymoduleNameMismatch'), false);
		assert.equal(derived(facts(['other']), 'derived.pymoduleNameMismatch'), true);
		assert.equal(derived(facts(['_core'], {maturinModuleName: 'pkg._core'}), 'derived.pymoduleNameMismatch'), false);
		assert.equal(derived(facts(['my_ext'], {maturinModuleName: 'pkg._core'}), 'derived.pymoduleNameMismatch'), true);
		assert.equal(derived(facts([]), 'derived.pymoduleNameMismatch'), undefined);
	});
});

describe('report lines for a toolchain that rustup has not installed', () => {
	it('names the toolchain from rustup\'s own message (rustup 1.29, captured)', async () => {
		const {checkForArea} = await import('../../src/core/facts/checks.js');
		const {readFileSync} = await import('node:fs');
		const stderr = readFileSync(new URL('../fixtures/probe-outputs/rustup-1.29-toolchain-not-installed.stderr', import.meta.url), 'utf8');
		const problem = `cargo --version: exit code 1 (${stderr.split('\n')[0]!})`;
		const line = checkForArea('rust', {}, {rust: problem});
		assert.equal(line.status, 'error');
		assert.match(line.hint ?? '', /rustup toolchain install nightly-2021-03-04-x86_64-unknown-linux-gnu/);
	});
});

describe('the wheel maturin names when no flag is given', () => {
	it('is a manylinux wheel: a hard-coded linux_<arch> name does not match (maturin src/auditwheel/linux.rs, since v0.14.0)', () => {
		const facts = (flag?: string) => ({
			system: {os: 'linux', arch: 'x86_64'},
			project: {nix: {runsMaturinBuild: true, usesMaturinBuildHook: false, pythonAttr: 'python312', hardcodedWheels: ['hello_pyo3-0.1.0-cp312-cp312-linux_x86_64.whl'], ...(flag ? {manylinuxFlag: flag} : {})}},
		});
		assert.equal(wheelTagMismatch(facts()), true);
		assert.equal(wheelTagMismatch(facts('linux')), false);
		assert.equal(wheelTagMismatch(facts('off')), false);
	});
});

describe('extension modules built for another Python', () => {
	const cpython311 = ['.cpython-311-x86_64-linux-gnu.so', '.abi3.so', '.so'];

	it('names version-named files of a module that has no file this interpreter loads', () => {
		const files = ['python/pkg/_pkg.cpython-312-x86_64-linux-gnu.so', 'python/pkg/_pkg.pypy39-pp73-x86_64-linux-gnu.so', 'other/_fast.cpython-311-x86_64-linux-gnu.so'];
		assert.deepEqual(extensionsForAnotherPython(files, cpython311), files.slice(0, 2));
	});

	it('leaves a module alone when one of its files loads, or when only abi3 or bare files are there', () => {
		assert.deepEqual(extensionsForAnotherPython(['pkg/_pkg.cpython-312-x86_64-linux-gnu.so', 'pkg/_pkg.abi3.so'], cpython311), []);
		assert.deepEqual(extensionsForAnotherPython(['pkg/_pkg.abi3.so', 'pkg/plain.so'], ['.cpython-313t-x86_64-linux-gnu.so', '.so']), []);
		// A venv of the project runs that Python: a file for it is not stale.
		assert.deepEqual(extensionsForAnotherPython(['pkg/_pkg.cpython-312-x86_64-linux-gnu.so'], cpython311, ['3.12']), []);
		assert.deepEqual(extensionsForAnotherPython(['pkg/_pkg.cpython-312-x86_64-linux-gnu.so'], cpython311, ['3.10']), ['pkg/_pkg.cpython-312-x86_64-linux-gnu.so']);
		// Same module name in two folders: two modules.
		assert.deepEqual(extensionsForAnotherPython(['a/_m.cpython-311-x86_64-linux-gnu.so', 'b.d/_m.cpython-312-x86_64-linux-gnu.so'], cpython311), ['b.d/_m.cpython-312-x86_64-linux-gnu.so']);
	});
});

describe('built extensions in the project folders', () => {
	it('finds them where import looks, not in build output, hidden folders or environments', () => {
		const root = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-extensions-'));
		try {
			const files = [
				'python/pkg/_pkg.cpython-312-x86_64-linux-gnu.so',
				'pkg/_native.abi3.so',
				'target/release/_pkg.cpython-312-x86_64-linux-gnu.so',
				'build/lib.linux-x86_64-cpython-312/pkg/_pkg.cpython-312-x86_64-linux-gnu.so',
				'.venv/lib/python3.12/site-packages/pkg/_pkg.cpython-312-x86_64-linux-gnu.so',
				'env/pyvenv.cfg',
				'env/lib/_pkg.cpython-312-x86_64-linux-gnu.so',
				'python/pkg/libhelper.so.1',
				'a/b/c/d/deep.cpython-312-x86_64-linux-gnu.so',
			];
			for (const file of files) {
				mkdirSync(path.dirname(path.join(root, file)), {recursive: true});
				writeFileSync(path.join(root, file), '');
			}

			assert.deepEqual(findBuiltExtensions(root), ['pkg/_native.abi3.so', 'python/pkg/_pkg.cpython-312-x86_64-linux-gnu.so']);
			assert.deepEqual(findBuiltExtensions(root, 5), ['a/b/c/d/deep.cpython-312-x86_64-linux-gnu.so', 'pkg/_native.abi3.so', 'python/pkg/_pkg.cpython-312-x86_64-linux-gnu.so']);
			assert.deepEqual(findBuiltExtensions(path.join(root, 'missing')), []);
			writeFileSync(path.join(root, 'env', 'pyvenv.cfg'), 'home = /usr/bin\nversion = 3.12.1\n');
			writeFileSync(path.join(root, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\nversion_info = 3.11.7.final.0\n');
			assert.deepEqual(projectVenvPythons(root), ['3.11', '3.12']);
			assert.deepEqual(projectVenvPythons(path.join(root, 'missing')), []);
		} finally {
			rmSync(root, {recursive: true, force: true});
		}
	});
});
