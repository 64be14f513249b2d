import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {findOnPath, makeProbeContext} from '../../src/probes/context.js';
import {pythonProbeScript} from '../../src/probes/parsers/python.js';
import {probePythonCandidates} from '../../src/probes/python.js';
import {readCargoConfigChain} from '../../src/probes/workspace.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-isolation-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

function write(file: string, text: string): string {
	mkdirSync(path.dirname(file), {recursive: true});
	writeFileSync(file, text);
	return file;
}

/** A folder holding an importable package named `maturin` (what a checkout of maturin's sources looks like to Python). */
function folderWithMaturinPackage(name: string): string {
	const folder = path.join(scratch, name);
	write(path.join(folder, 'maturin', '__init__.py'), '');
	return folder;
}

const python = findOnPath('python3', process.env);
const hasMaturin = (stdout: string) => (JSON.parse(stdout) as {hasMaturin?: boolean}).hasMaturin;

describe('the Python probe describes the interpreter, not the folder it is run from', {skip: python ? false : 'no python3 on PATH'}, () => {
	const baseEnv: Record<string, string | undefined> = {...process.env};
	for (const name of ['PYTHONPATH', 'PYTHONSAFEPATH', 'PYO3_PYTHON', 'VIRTUAL_ENV', 'CONDA_PREFIX']) {
		delete baseEnv[name];
	}

	const run = (cwd: string, env: Record<string, string | undefined>) => hasMaturin(execFileSync(python!, ['-c', pythonProbeScript], {cwd, env, encoding: 'utf8'}));
	const installed = python ? run('/', baseEnv) : undefined;

	it('a maturin/ folder where the user stands, or under a relative PYTHONPATH entry, does not make maturin importable', {skip: installed ? 'maturin is installed for this interpreter' : false}, async () => {
		// Given a working folder with maturin/ in it, and a relative PYTHONPATH entry that holds another
		const workingFolder = folderWithMaturinPackage('work');
		folderWithMaturinPackage(path.join('work', 'vendored'));
		const env = {...baseEnv, PYTHONPATH: 'vendored'};
		// (run there without isolation, the interpreter does import it: the folder would fool a naive probe)
		assert.equal(run(workingFolder, env), true);

		// When every candidate interpreter is probed from that folder
		const candidates = await probePythonCandidates(makeProbeContext({cwd: workingFolder, env, timeoutMs: 20_000}));

		// Then each one that answered says maturin is not importable
		const answered = candidates.filter(candidate => candidate.status === 'ok');
		assert.ok(answered.length > 0, JSON.stringify(candidates.map(candidate => candidate.problem)));
		for (const candidate of answered) {
			assert.equal(candidate.status === 'ok' && candidate.info.hasMaturin, false, candidate.command);
		}
	});

	it('an absolute PYTHONPATH entry still counts, as it does for pyo3 and maturin', {skip: installed ? 'maturin is installed for this interpreter' : false}, async () => {
		// Given PYTHONPATH naming, by its full path, a folder with maturin in it
		const env = {...baseEnv, PYTHONPATH: folderWithMaturinPackage('absolute')};
		const candidates = await probePythonCandidates(makeProbeContext({cwd: scratch, env, timeoutMs: 20_000}));
		const answered = candidates.filter(candidate => candidate.status === 'ok');
		assert.ok(answered.length > 0);
		for (const candidate of answered) {
			assert.equal(candidate.status === 'ok' && candidate.info.hasMaturin, true, candidate.command);
		}
	});
});

describe('.cargo/config.toml is merged as cargo merges it', () => {
	it('from the crate folder up to the root, then $CARGO_HOME: the nearer file wins a key, each file adds its own keys', () => {
		// Given a config in the workspace root, one in the crate folder, one in CARGO_HOME, and none in between
		const root = path.join(scratch, 'cargo-chain');
		const rootConfig = write(path.join(root, '.cargo', 'config.toml'), '[target.x86_64-unknown-linux-gnu]\nlinker = "clang"\n\n[env]\nPYO3_PYTHON = "/opt/root/python3"\nFROM_ROOT = "root"\n');
		const crateConfig = write(path.join(root, 'crates', 'py', '.cargo', 'config.toml'), '[env]\nPYO3_PYTHON = "/opt/crate/python3"\n');
		mkdirSync(path.join(root, 'crates', 'py', 'src'), {recursive: true});
		const cargoHome = path.join(scratch, 'cargo-home');
		const homeConfig = write(path.join(cargoHome, 'config.toml'), '[target.x86_64-unknown-linux-gnu]\nlinker = "home-cc"\n\n[target.aarch64-unknown-linux-gnu]\nlinker = "aarch64-linux-gnu-gcc"\n\n[env]\nFROM_ROOT = "home"\nFROM_HOME = "home"\n');

		// When the chain is read for a build started in the crate's src/ folder
		const chain = readCargoConfigChain(path.join(root, 'crates', 'py', 'src'), {CARGO_HOME: cargoHome, HOME: path.join(scratch, 'nobody')});

		// Then the files come nearest first, and the merge keeps the nearest value of each key
		assert.deepEqual(chain.files, [crateConfig, rootConfig, homeConfig]);
		assert.deepEqual(chain.config.env, {PYO3_PYTHON: '/opt/crate/python3', FROM_ROOT: 'root', FROM_HOME: 'home'});
		assert.deepEqual(chain.config.linkers, {'x86_64-unknown-linux-gnu': 'clang', 'aarch64-unknown-linux-gnu': 'aarch64-linux-gnu-gcc'});
	});

	it('reads the legacy name .cargo/config, and $HOME/.cargo when CARGO_HOME is not set', () => {
		const root = path.join(scratch, 'cargo-legacy');
		const legacy = write(path.join(root, '.cargo', 'config'), '[env]\nLEGACY = "yes"\n');
		const home = path.join(scratch, 'home');
		const homeConfig = write(path.join(home, '.cargo', 'config.toml'), '[env]\nFROM_HOME = "yes"\n');
		const chain = readCargoConfigChain(root, {HOME: home});
		assert.deepEqual(chain.files, [legacy, homeConfig]);
		assert.deepEqual(chain.config.env, {LEGACY: 'yes', FROM_HOME: 'yes'});
	});
});
