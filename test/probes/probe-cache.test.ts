import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {collectFacts} from '../../src/probes/collect.js';
import {makeProbeContext} from '../../src/probes/context.js';
import {cacheDirectory, cachedCargoMetadata, cachedProbeRun, openProbeCache, ProbeCache} from '../../src/probes/probe-cache.js';
import {resolveShim} from '../../src/probes/shims.js';
import type {CommandResult} from '../../src/probes/run-command.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-cache-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

// A runner that counts calls and answers with the call number.
function countingContext(cache: ProbeCache) {
	let calls = 0;
	const run = async (): Promise<CommandResult> => {
		calls++;
		return {status: 'ok', exitCode: 0, stdout: `answer ${calls}`, stderr: '', durationMs: 1, shortMessage: 'ok', how: 'exit code 0'};
	};

	return {context: {...makeProbeContext({env: {}, cwd: scratch}), run, cache}, calls: () => calls};
}

describe('the probe cache', () => {
	it('answers again while the files it depends on are unchanged, and asks again when one changes', async () => {
		// Given a tool file and an empty cache
		const tool = path.join(scratch, 'tool');
		writeFileSync(tool, 'v1');
		const file = path.join(scratch, 'one', 'probes.json');
		const first = countingContext(new ProbeCache(file));
		// When the same command runs twice, and the cache is saved and reopened
		assert.equal((await cachedProbeRun(first.context, 'tool', ['-V'], {key: 'tool -V', depends: [tool]})).stdout, 'answer 1');
		assert.equal((await cachedProbeRun(first.context, 'tool', ['-V'], {key: 'tool -V', depends: [tool]})).stdout, 'answer 1');
		first.context.cache.save();
		const second = countingContext(new ProbeCache(file));
		// Then the command ran once; the reopened cache answers without running it
		assert.equal(first.calls(), 1);
		assert.equal((await cachedProbeRun(second.context, 'tool', ['-V'], {key: 'tool -V', depends: [tool]})).stdout, 'answer 1');
		assert.equal(second.calls(), 0);
		// And a changed tool (another mtime) is asked again
		utimesSync(tool, new Date(), new Date(Date.now() + 5000));
		assert.equal((await cachedProbeRun(second.context, 'tool', ['-V'], {key: 'tool -V', depends: [tool]})).stdout, 'answer 1');
		assert.equal(second.calls(), 1);
	});

	it('survives a corrupt cache file and replaces it', async () => {
		const file = path.join(scratch, 'corrupt', 'probes.json');
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, '{"version": 1, "entries": {"k": {"stdout": 3}} trailing garbage');
		const {context, calls} = countingContext(new ProbeCache(file));
		assert.equal((await cachedProbeRun(context, 'tool', [], {key: 'k', depends: []})).stdout, 'answer 1');
		assert.equal(calls(), 1);
		context.cache.save();
		assert.equal(JSON.parse(readFileSync(file, 'utf8')).entries.k.stdout, 'answer 1');
	});

	it('stores no failed answer, and lives in $XDG_CACHE_HOME/pyo3-doctor', async () => {
		const cache = new ProbeCache(path.join(scratch, 'failed', 'probes.json'));
		const failing = {...makeProbeContext({env: {}, cwd: scratch}), cache, run: async (): Promise<CommandResult> => ({status: 'failed', exitCode: 1, stdout: '', stderr: 'no', durationMs: 1, shortMessage: 'failed', how: 'exit code 1'})};
		await cachedProbeRun(failing, 'tool', [], {key: 'k', depends: []});
		assert.equal(cache.lookup('k'), undefined);
		assert.equal(cacheDirectory({XDG_CACHE_HOME: '/x/cache', HOME: '/home/u'}), '/x/cache/pyo3-doctor');
		assert.equal(cacheDirectory({HOME: '/home/u'}), '/home/u/.cache/pyo3-doctor');
		assert.equal(openProbeCache({XDG_CACHE_HOME: path.join(scratch, 'xdg')}).lookup('anything'), undefined);
	});

	it('makes ~/.cache in a home that exists, never the home itself', () => {
		const save = (home: string) => {
			const cache = openProbeCache({HOME: home});
			cache.store('k', 'answer', []);
			cache.save();
		};

		const missingHome = path.join(scratch, 'no-such-home');
		save(missingHome);
		assert.equal(existsSync(missingHome), false);
		const home = path.join(scratch, 'home');
		mkdirSync(home);
		save(home);
		assert.equal(JSON.parse(readFileSync(path.join(home, '.cache', 'pyo3-doctor', 'probes.json'), 'utf8')).entries.k.stdout, 'answer');
	});
});

describe('cargo metadata through the cache', () => {
	// Given a crate, a cargo on PATH (never run: a runner stands in) and an empty cache
	const crate = path.join(scratch, 'metadata-crate');
	const bin = path.join(scratch, 'metadata-bin');
	mkdirSync(path.join(crate, 'src'), {recursive: true});
	mkdirSync(bin, {recursive: true});
	writeFileSync(path.join(crate, 'Cargo.toml'), '[package]\nname = "ext"\nversion = "0.1.0"\n');
	writeFileSync(path.join(crate, 'Cargo.lock'), 'version = 4\n');
	writeFileSync(path.join(bin, 'cargo'), '#!/bin/sh\n', {mode: 0o755});
	const later = (file: string, seconds: number) => utimesSync(file, new Date(), new Date(Date.now() + seconds * 1000));
	function metadataContext(answer: (args: readonly string[]) => CommandResult) {
		let calls = 0;
		const run = async (_file: string, args: readonly string[]): Promise<CommandResult> => {
			calls++;
			return answer(args);
		};

		const cache = new ProbeCache(path.join(scratch, `metadata-cache-${Math.random()}`, 'probes.json'));
		return {context: {...makeProbeContext({env: {PATH: bin, HOME: scratch}, cwd: crate}), run, cache}, calls: () => calls};
	}

	it('keeps --locked refusing to rewrite the lock until a manifest or the lock changes; other failures are asked again', async () => {
		const refused = {status: 'failed' as const, exitCode: 101, stdout: '', stderr: 'error: cannot update the lock file Cargo.lock because --locked was passed to prevent this', durationMs: 1, shortMessage: 'cargo: exit code 101', how: 'exit code 101'};
		const {context, calls} = metadataContext(() => refused);
		const args = ['metadata', '--format-version', '1', '--offline', '--locked'];
		assert.equal((await cachedCargoMetadata(context, crate, args)).status, 'failed');
		const again = await cachedCargoMetadata(context, crate, args);
		assert.equal(calls(), 1);
		assert.deepEqual([again.status, again.exitCode, again.stderr], ['failed', 101, refused.stderr]);
		later(path.join(crate, 'Cargo.lock'), 7);
		await cachedCargoMetadata(context, crate, args);
		assert.equal(calls(), 2);
		const offline = metadataContext(() => ({...refused, stderr: 'error: no matching package named `pyo3` found'}));
		await cachedCargoMetadata(offline.context, crate, args);
		await cachedCargoMetadata(offline.context, crate, args);
		assert.equal(offline.calls(), 2);
	});

	it('keeps an answer until a local package\'s source folder changes (a new target file)', async () => {
		const metadata = JSON.stringify({packages: [{name: 'ext', source: null, manifest_path: path.join(crate, 'Cargo.toml'), targets: [{src_path: path.join(crate, 'src', 'lib.rs')}]}], workspace_root: crate});
		const {context, calls} = metadataContext(() => ({status: 'ok', exitCode: 0, stdout: metadata, stderr: '', durationMs: 1, shortMessage: 'ok', how: 'exit code 0'}));
		const args = ['metadata', '--format-version', '1', '--offline', '--no-deps'];
		assert.equal((await cachedCargoMetadata(context, crate, args)).stdout, metadata);
		assert.equal((await cachedCargoMetadata(context, crate, args)).stdout, metadata);
		assert.equal(calls(), 1);
		later(path.join(crate, 'src'), 9);
		await cachedCargoMetadata(context, crate, args);
		assert.equal(calls(), 2);
		await cachedCargoMetadata({...context, env: {...context.env, CARGO_TARGET_DIR: '/elsewhere'}}, crate, args);
		assert.equal(calls(), 3);
	});
});

describe('check and the cache', () => {
	it('keeps answers only when asked (check does; --no-cache and the other commands do not), with the same facts', async () => {
		const env = {...process.env, XDG_CACHE_HOME: path.join(scratch, 'xdg-check')};
		const file = path.join(scratch, 'xdg-check', 'pyo3-doctor', 'probes.json');
		const uncached = await collectFacts({cwd: scratch, env, timeoutMs: 10_000});
		assert.equal(existsSync(file), false);
		await collectFacts({cwd: scratch, env, cache: true, timeoutMs: 10_000});
		assert.equal(existsSync(file), true);
		const warm = await collectFacts({cwd: scratch, env, cache: true, timeoutMs: 10_000});
		assert.deepEqual(warm.facts.rust, uncached.facts.rust);
		assert.deepEqual(warm.facts.python, uncached.facts.python);
		assert.deepEqual(warm.facts.nix, uncached.facts.nix);
	});
});

describe('pyenv shims resolved without running them', () => {
	// Given a pyenv root with two versions and a shim
	const root = path.join(scratch, 'pyenv');
	for (const version of ['3.11.7', '3.12.1']) {
		mkdirSync(path.join(root, 'versions', version, 'bin'), {recursive: true});
		writeFileSync(path.join(root, 'versions', version, 'bin', 'python3'), '#!/bin/sh\n', {mode: 0o755});
	}

	mkdirSync(path.join(root, 'shims'), {recursive: true});
	writeFileSync(path.join(root, 'shims', 'python3'), '#!/bin/sh\nexec pyenv exec python3 "$@"\n', {mode: 0o755});
	writeFileSync(path.join(root, 'version'), '3.11.7\n');
	const shim = path.join(root, 'shims', 'python3');
	const project = path.join(scratch, 'project', 'sub');
	mkdirSync(project, {recursive: true});

	it('follows PYENV_VERSION, then .python-version up the tree, then the global version file', () => {
		const env = {PYENV_ROOT: root};
		assert.equal(resolveShim(shim, env, project), path.join(root, 'versions', '3.11.7', 'bin', 'python3'));
		writeFileSync(path.join(scratch, 'project', '.python-version'), '# pinned\n3.12.1\n');
		assert.equal(resolveShim(shim, env, project), path.join(root, 'versions', '3.12.1', 'bin', 'python3'));
		assert.equal(resolveShim(shim, {...env, PYENV_VERSION: '3.11.7'}, project), path.join(root, 'versions', '3.11.7', 'bin', 'python3'));
	});

	it('falls back to running the shim for system, a version not installed, or no shim', () => {
		assert.equal(resolveShim(shim, {PYENV_ROOT: root, PYENV_VERSION: 'system'}, project), undefined);
		assert.equal(resolveShim(shim, {PYENV_ROOT: root, PYENV_VERSION: '3.9.0'}, project), undefined);
		assert.equal(resolveShim('/usr/bin/python3', {PYENV_ROOT: root}, project), undefined);
	});
});

describe('asdf shims resolved without running them', () => {
	// Given an asdf data folder with one Python installed, a shim, and a home without .tool-versions
	const dataDir = path.join(scratch, 'asdf');
	const home = path.join(scratch, 'asdf-home');
	const installed = path.join(dataDir, 'installs', 'python', '3.12.1', 'bin', 'python3');
	mkdirSync(path.dirname(installed), {recursive: true});
	writeFileSync(installed, '#!/bin/sh\n', {mode: 0o755});
	mkdirSync(path.join(dataDir, 'shims'), {recursive: true});
	mkdirSync(home, {recursive: true});
	const shim = path.join(dataDir, 'shims', 'python3');
	writeFileSync(shim, '#!/usr/bin/env bash\nexec asdf exec "python3" "$@"\n', {mode: 0o755});
	const project = path.join(scratch, 'asdf-project', 'src');
	mkdirSync(project, {recursive: true});
	const env = {ASDF_DATA_DIR: dataDir, HOME: home};

	it('follows ASDF_PYTHON_VERSION, then the python line of .tool-versions up the tree, then $HOME/.tool-versions', () => {
		assert.equal(resolveShim(shim, env, project), undefined);
		writeFileSync(path.join(home, '.tool-versions'), 'python 3.12.1\n');
		assert.equal(resolveShim(shim, env, project), installed);
		writeFileSync(path.join(scratch, 'asdf-project', '.tool-versions'), 'nodejs 20.1.0\npython system # from the distribution\n');
		assert.equal(resolveShim(shim, env, project), undefined);
		assert.equal(resolveShim(shim, {...env, ASDF_PYTHON_VERSION: '3.12.1'}, project), installed);
		writeFileSync(path.join(scratch, 'asdf-project', '.tool-versions'), 'python 3.9.0 3.12.1\n');
		assert.equal(resolveShim(shim, env, project), installed);
		writeFileSync(path.join(scratch, 'asdf-project', '.tool-versions'), `python path:${path.join(dataDir, 'installs', 'python', '3.12.1')}\n`);
		assert.equal(resolveShim(shim, env, project), installed);
	});

	it('runs the shim when .asdfrc lets .python-version decide', () => {
		writeFileSync(path.join(home, '.asdfrc'), 'legacy_version_file = yes\n');
		assert.equal(resolveShim(shim, {...env, ASDF_PYTHON_VERSION: '3.12.1'}, project), undefined);
		rmSync(path.join(home, '.asdfrc'));
	});
});
