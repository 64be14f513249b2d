import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {arch, tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {readFact, type Facts} from '../../src/core/knowledge/conditions.js';
import {findingsFromFacts} from '../../src/core/match/from-facts.js';
import {collectFacts} from '../../src/probes/collect.js';
import {knowledge} from '../helpers/knowledge.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-projects-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

/** Probes a fixture project with the real tools, the build interpreter given by PYO3_PYTHON (a fake one by default). */
async function probe(projectDir: string, python = 'bin-python-3.12'): Promise<{facts: Facts; ids: string[]}> {
	const env = {...process.env, PYO3_PYTHON: path.join(fixture(python), 'python3')};
	delete env.VIRTUAL_ENV;
	delete env.CONDA_PREFIX;
	delete env.PYO3_BUILD_EXTENSION_MODULE;
	const {facts} = await collectFacts({cwd: scratch, projectDir, env, timeoutMs: 10_000});
	return {facts, ids: findingsFromFacts(knowledge, facts).map(finding => finding.diagnosis.id)};
}

const project = (name: string) => fixture(`projects/${name}`);
const known = new Set(knowledge.map(entry => entry.id));

// Asserts a finding only when the knowledge base ships the entry; the fact itself is always asserted.
function assertFinding(ids: string[], id: string, expected: boolean) {
	if (known.has(id)) {
		assert.equal(ids.includes(id), expected, `${id} in [${ids.join(', ')}]`);
	}
}

function copyProject(name: string): string {
	const root = path.join(scratch, `${name}-${Math.random().toString(36).slice(2, 8)}`);
	cpSync(project(name), root, {recursive: true});
	return root;
}

describe('project-file findings, each with a positive and a negative fixture', () => {
	it('extension-module with tests or a binary', async () => {
		// Given crates with extension-module always on and tests or a binary
		for (const name of ['extension-module-with-tests', 'extension-module-default-feature-bin']) {
			const {facts, ids} = await probe(project(name));
			// Then the conflict is a fact and a finding
			assert.equal(readFact(facts, 'derived.extensionModuleWithBinsOrTests'), true, name);
			assertFinding(ids, 'extension-module-in-binary', true);
		}

		// Given the feature only for maturin, no tests or binaries at all, or ones that never call into Python (they link): nothing
		for (const name of ['extension-module-for-maturin-only', 'extension-module-lib-only', 'extension-module-pure-rust-tests']) {
			const {facts, ids} = await probe(project(name));
			assert.equal(readFact(facts, 'derived.extensionModuleWithBinsOrTests'), false, name);
			assertFinding(ids, 'extension-module-in-binary', false);
		}
	});

	it('Python newer than the locked pyo3 supports, unless abi3', async () => {
		const tooNew = await probe(project('old-pyo3'), 'bin-python-3.13');
		assert.equal(readFact(tooNew.facts, 'project.pyo3.maxPython'), '3.12');
		assert.equal(readFact(tooNew.facts, 'derived.pythonAbovePyo3Max'), true);
		assertFinding(tooNew.ids, 'python-too-new-for-pyo3', true);

		const supported = await probe(project('old-pyo3'), 'bin-python-3.12');
		assert.equal(readFact(supported.facts, 'derived.pythonAbovePyo3Max'), false);
		assertFinding(supported.ids, 'python-too-new-for-pyo3', false);

		const abi3 = await probe(project('old-pyo3-abi3'), 'bin-python-3.13');
		assert.equal(readFact(abi3.facts, 'derived.pythonAbovePyo3Max'), false);
		assertFinding(abi3.ids, 'python-too-new-for-pyo3', false);
	});

	it('auto-initialize with a Python that has no shared libpython', async () => {
		const staticPython = await probe(project('embed-auto-initialize'), 'bin-static-python');
		assert.equal(readFact(staticPython.facts, 'derived.autoInitializeWithoutShared'), true);
		assertFinding(staticPython.ids, 'python-static-only-auto-initialize', true);

		const sharedPython = await probe(project('embed-auto-initialize'), 'bin-python-3.12');
		assert.equal(readFact(sharedPython.facts, 'derived.autoInitializeWithoutShared'), false);
		assertFinding(sharedPython.ids, 'python-static-only-auto-initialize', false);
	});

	it('a flake that hard-codes a wheel name this machine would not produce', {skip: arch() === 'x64' ? false : 'the fixture wheels are x86_64'}, async () => {
		const mismatch = await probe(project('flake-wheel-mismatch'));
		assert.deepEqual(readFact(mismatch.facts, 'project.nix.hardcodedWheels'), ['ext_flake-0.1.0-cp310-cp310-manylinux_2_17_x86_64.whl']);
		assert.equal(readFact(mismatch.facts, 'project.nix.hardcodedWheelTagMismatch'), true);

		const matching = await probe(project('flake-wheel-matching'));
		assert.equal(readFact(matching.facts, 'project.nix.hardcodedWheelTagMismatch'), false);
		assert.deepEqual(readFact(matching.facts, 'project.nix.files'), ['flake.nix', '.envrc']);
	});

	it('two pyo3 versions in Cargo.lock', async () => {
		assert.equal(readFact((await probe(project('two-pyo3-versions'))).facts, 'derived.multiplePyo3Versions'), true);
		assert.equal(readFact((await probe(project('extension-module-lib-only'))).facts, 'derived.multiplePyo3Versions'), false);
	});

	it('#[pymodule] named differently from the module maturin builds', async () => {
		const mismatch = await probe(project('pymodule-name-mismatch'));
		assert.equal(readFact(mismatch.facts, 'derived.pymoduleNameMismatch'), true);
		assertFinding(mismatch.ids, 'pyinit-symbol-missing', true);

		const matching = await probe(project('extension-module-for-maturin-only'));
		assert.equal(readFact(matching.facts, 'derived.pymoduleNameMismatch'), false);
		assertFinding(matching.ids, 'pyinit-symbol-missing', false);
	});

	it('target/ files copied read-only and dated 1970 out of the Nix store', async () => {
		// Given a target/ with a file as `cp -r result/` leaves it: mode 444, mtime 1
		const root = copyProject('extension-module-lib-only');
		mkdirSync(path.join(root, 'target', 'release'), {recursive: true});
		const copied = path.join(root, 'target', 'release', 'libext_lib_only.rlib');
		writeFileSync(copied, 'not really an rlib');
		utimesSync(copied, 1, 1);
		chmodSync(copied, 0o444);
		const {facts, ids} = await probe(root);
		assert.equal(readFact(facts, 'project.target.readOnlyFiles'), 1);
		assert.equal(readFact(facts, 'project.target.epochDatedFiles'), 1);
		assertFinding(ids, 'nix-store-readonly-artifacts', true);

		// Given an ordinary target/: nothing
		chmodSync(copied, 0o644);
		utimesSync(copied, new Date(), new Date());
		const clean = await probe(root);
		assert.equal(readFact(clean.facts, 'project.target.readOnlyFiles'), 0);
		assertFinding(clean.ids, 'nix-store-readonly-artifacts', false);
	});

	it('a Cargo.lock that git does not track, in a flake project', {skip: spawnSync('git', ['--version']).status === 0 ? false : 'git missing'}, async () => {
		const root = copyProject('flake-wheel-matching');
		spawnSync('git', ['init', '-q'], {cwd: root});
		const untracked = await probe(root);
		assert.equal(readFact(untracked.facts, 'project.cargoLockTracked'), false);

		spawnSync('git', ['add', 'Cargo.lock'], {cwd: root});
		assert.equal(readFact((await probe(root)).facts, 'project.cargoLockTracked'), true);
	});

	it('a workspace root with a root flake: the pyo3 member gets its Nix findings and its inherited extension-module', {skip: arch() === 'x64' ? false : 'the fixture wheel is x86_64'}, async () => {
		// Given a virtual workspace whose flake imports nix/ws-py.nix (maturin build -m crates/py/Cargo.toml, a linux_x86_64
		// wheel name), and crates/py with pyo3.workspace = true (extension-module in [workspace.dependencies]) and a test calling Python
		const root = copyProject('workspace-root-flake');
		const env = {...process.env, PYO3_PYTHON: path.join(fixture('bin-python-3.12'), 'python3')};
		delete env.VIRTUAL_ENV;
		delete env.CONDA_PREFIX;
		const {facts, crates = []} = await collectFacts({cwd: scratch, projectDir: root, env, timeoutMs: 10_000});
		// Then the root names its pyo3 member, and the member's section has both findings
		assert.deepEqual(readFact(facts, 'project.workspace.pyo3Members'), [{name: 'ws-py', path: 'crates/py'}]);
		assert.deepEqual(crates.map(crate => crate.name), ['ws-py']);
		const member = crates[0]!.facts;
		assert.deepEqual(readFact(member, 'project.pyo3.features'), ['extension-module']);
		assert.deepEqual(readFact(member, 'project.nix.paths'), ['../../flake.nix', '../../nix/ws-py.nix']);
		assert.equal(readFact(member, 'project.nix.runsMaturinBuild'), true);
		const ids = findingsFromFacts(knowledge, member).map(finding => finding.diagnosis.id);
		assertFinding(ids, 'extension-module-in-binary', true);
		assertFinding(ids, 'wheel-filename-hardcoded', true);

		// Given maturin told to name the wheel linux_x86_64 (--compatibility linux): the wheel name is right
		const nixFile = path.join(root, 'nix', 'ws-py.nix');
		writeFileSync(nixFile, readFileSync(nixFile, 'utf8').replace('-m crates/py/Cargo.toml', '-m crates/py/Cargo.toml --compatibility linux'));
		const fixed = await collectFacts({cwd: scratch, projectDir: path.join(root, 'crates', 'py'), env, timeoutMs: 10_000});
		assert.equal(readFact(fixed.facts, 'project.nix.hardcodedWheelTagMismatch'), false);
		assertFinding(findingsFromFacts(knowledge, fixed.facts).map(finding => finding.diagnosis.id), 'wheel-filename-hardcoded', false);
	});

	it('outputHashes that importCargoLock will reject: a stale key, a git source without one', async () => {
		// Given a lock with one git source and a flake whose outputHashes names another crate
		const root = copyProject('workspace-root-flake');
		const lock = path.join(root, 'Cargo.lock');
		writeFileSync(lock, `${readFileSync(lock, 'utf8')}\n[[package]]\nname = "pyo3-log"\nversion = "0.11.0"\nsource = "git+https://github.com/vorner/pyo3-log?rev=0123456#0123456789abcdef0123456789abcdef01234567"\n`);
		const nixFile = path.join(root, 'nix', 'ws-py.nix');
		const withHashes = (keys: string) => readFileSync(nixFile, 'utf8').replace('lockFile = ../Cargo.lock;', `lockFile = ../Cargo.lock; outputHashes = { ${keys} };`);
		writeFileSync(nixFile, withHashes('"pyo3-0.21.0" = "sha256-AAAA";'));
		const stale = (await probe(path.join(root, 'crates', 'py'))).facts;
		assert.deepEqual(readFact(stale, 'derived.cargoOutputHashesStale'), ['pyo3-0.21.0']);
		assert.deepEqual(readFact(stale, 'derived.cargoOutputHashesMissing'), ['pyo3-log-0.11.0']);
		assertFinding(findingsFromFacts(knowledge, stale).map(finding => finding.diagnosis.id), 'cargo-git-dep-output-hash', true);

		// Given the right key: nothing
		const base = readFileSync(nixFile, 'utf8').replace(/ outputHashes = \{[^}]*\};/, '');
		writeFileSync(nixFile, base);
		writeFileSync(nixFile, withHashes('"pyo3-log-0.11.0" = "sha256-AAAA";'));
		const right = (await probe(path.join(root, 'crates', 'py'))).facts;
		assert.deepEqual(readFact(right, 'derived.cargoOutputHashesStale'), []);
		assert.deepEqual(readFact(right, 'derived.cargoOutputHashesMissing'), []);
		assertFinding(findingsFromFacts(knowledge, right).map(finding => finding.diagnosis.id), 'cargo-git-dep-output-hash', false);
	});
});
