import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import {collectFacts, venvHome, type ProbeEvent} from '../../src/probes/collect.js';
import {findingsFromFacts} from '../../src/core/match/from-facts.js';
import {knowledge} from '../helpers/knowledge.js';
import {readFact} from '../../src/core/knowledge/conditions.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const project = fixture('projects/extension-module-with-tests');

// Only the fake tools on PATH: whatever is not there is missing.
async function collectWith(binFolder: string, timeoutMs = 400, env: Record<string, string> = {}) {
	const events: ProbeEvent[] = [];
	const started = performance.now();
	const result = await collectFacts({cwd: project, env: {PATH: fixture(binFolder), HOME: '/nonexistent', ...env}, timeoutMs}, event => events.push(event));
	return {...result, events, ms: performance.now() - started};
}

const check = (checks: Array<{area: string; status: string}>, area: string) => checks.find(line => line.area === area)?.status;

describe('collectFacts with broken tools on PATH', () => {
	it('reports missing tools as not found, and still reads the project', async () => {
		// Given a PATH with no tools at all
		const {facts, checks} = await collectWith('bin-missing');
		// Then cargo and Python are errors, nix is simply absent, and the project facts are there
		assert.equal(readFact(facts, 'nix.installed'), false);
		assert.equal(readFact(facts, 'rust.cargoVersion'), undefined);
		assert.equal(readFact(facts, 'derived.noPythonFound'), true);
		assert.equal(check(checks, 'rust'), 'error');
		assert.equal(check(checks, 'python'), 'error');
		assert.equal(readFact(facts, 'project.crateName'), 'ext-with-tests');
		assert.equal(readFact(facts, 'derived.extensionModuleWithBinsOrTests'), true);
	});

	it('costs no more than about one timeout when every tool hangs', async () => {
		// Given nix, cargo, rustc, python, git… that all hang, and a 400 ms timeout
		const {facts, checks, ms} = await collectWith('bin-hanging', 400);
		// Then everything finishes in well under two timeouts in a row plus start-up, and nothing is guessed
		assert.ok(ms < 2500, `took ${Math.round(ms)} ms`);
		assert.equal(readFact(facts, 'nix.installed'), true);
		assert.equal(readFact(facts, 'nix.version'), undefined);
		assert.equal(readFact(facts, 'python.selected'), undefined);
		assert.equal(check(checks, 'nix'), 'warn');
		assert.match(checks.find(line => line.area === 'nix')!.found, /did not answer within 400 ms/);
		// cargo did not answer: that is no proof that Rust is missing
		assert.equal(check(checks, 'rust'), 'warn');
		assert.match(checks.find(line => line.area === 'rust')!.found, /did not answer within 400 ms/);
		assert.equal(readFact(facts, 'derived.noPythonFound'), undefined);
		assert.deepEqual((readFact(facts, 'python.candidates') as Array<{status: string; timeoutMs: number}>).map(candidate => [candidate.status, candidate.timeoutMs]), [
			['timed-out', 400],
			['timed-out', 400],
		]);
	});

	it('parses nothing out of garbage output', async () => {
		const {facts} = await collectWith('bin-garbage', 2000);
		assert.equal(readFact(facts, 'nix.version'), undefined);
		assert.equal(readFact(facts, 'nix.flakesEnabled'), undefined);
		assert.equal(readFact(facts, 'rust.rustcVersion'), undefined);
		assert.equal(readFact(facts, 'python.selected'), undefined);
		assert.equal(readFact(facts, 'system.glibcVersion'), undefined);
		// A python that prints garbage was found but did not say what it is: not "no interpreter".
		assert.equal(readFact(facts, 'derived.noPythonFound'), undefined);
		assert.deepEqual((readFact(facts, 'python.candidates') as Array<{status: string}>).map(candidate => candidate.status), ['bad-output', 'bad-output']);
	});

	it('reports failing tools with their exit code', async () => {
		const {facts, checks} = await collectWith('bin-failing', 2000);
		assert.equal(readFact(facts, 'rust.cargoVersion'), undefined);
		assert.match(checks.find(line => line.area === 'rust')!.found, /exit code 3/);
	});

	it('announces every area as running, then once with its result', async () => {
		const {events, checks} = await collectWith('bin-missing');
		for (const {area} of checks) {
			const mine = events.filter(event => event.area === area);
			assert.equal(mine[0]?.status, 'running', area);
			assert.equal(mine.length, 2, area);
			assert.notEqual(mine[1]?.status, 'running');
		}
	});

	it('follows PYO3_PYTHON to an interpreter without a shared libpython', async () => {
		// Given PYO3_PYTHON naming a static-only CPython and an embedding project with auto-initialize
		const {facts} = await collectWith('bin-static-python', 2000, {PYO3_PYTHON: path.join(fixture('bin-static-python'), 'python3')});
		// Then it is selected from PYO3_PYTHON and its static libpython is seen
		assert.equal(readFact(facts, 'python.selected.source'), 'PYO3_PYTHON');
		assert.equal(readFact(facts, 'python.selected.sharedLibpython'), false);
		assert.equal(readFact(facts, 'env.PYO3_PYTHONExists'), true);
	});

	it('marks a PYO3_PYTHON that names nothing as invalid', async () => {
		const {facts, checks} = await collectWith('bin-missing', 400, {PYO3_PYTHON: '/opt/nowhere/python3.12'});
		assert.equal(readFact(facts, 'env.PYO3_PYTHONExists'), false);
		assert.equal(readFact(facts, 'derived.pyo3PythonInvalid'), true);
		assert.match(checks.find(line => line.area === 'python')!.found, /PYO3_PYTHON=\/opt\/nowhere\/python3.12 does not run/);
	});
});

describe('collectFacts with a venv whose base interpreter is gone', () => {
	it('names the missing base, and check puts the stale venv before the interpreter that does not run', async () => {
		// Given VIRTUAL_ENV pointing at a venv made from a store Python that was since collected
		const venv = mkdtempSync(path.join(os.tmpdir(), 'pyo3-doctor-stale-venv-'));
		const gone = '/nix/store/0000000000000000000000000000000a-python3-3.11.7/bin';
		mkdirSync(path.join(venv, 'bin'));
		symlinkSync(`${gone}/python3.11`, path.join(venv, 'bin', 'python'));
		writeFileSync(path.join(venv, 'pyvenv.cfg'), `home = ${gone}\ninclude-system-site-packages = false\nversion = 3.11.7\n`);
		try {
			// When the probes run
			const {facts} = await collectWith('bin-missing', 2000, {VIRTUAL_ENV: venv});
			// Then the interpreter does not run, the gone base is named, and the stale venv is the first finding
			assert.equal(readFact(facts, 'python.selected.runs'), false);
			assert.equal(readFact(facts, 'python.selected.venvBaseMissing'), gone);
			const findings = findingsFromFacts(knowledge, facts).map(finding => finding.diagnosis.id);
			assert.equal(findings[0], 'stale-devshell-gc', findings.join(', '));
			assert.ok(findings.includes('pyo3-python-interpreter-invalid'), findings.join(', '));
		} finally {
			rmSync(venv, {recursive: true, force: true});
		}
	});

	it('never opens a pyvenv.cfg that is not a regular file (a FIFO would block)', async () => {
		// Given a venv whose pyvenv.cfg is a named pipe nobody writes to
		const venv = mkdtempSync(path.join(os.tmpdir(), 'pyo3-doctor-fifo-venv-'));
		mkdirSync(path.join(venv, 'bin'));
		symlinkSync('/nonexistent/bin/python3', path.join(venv, 'bin', 'python'));
		spawnSync('mkfifo', [path.join(venv, 'pyvenv.cfg')]);
		try {
			// When the probes run
			const {facts, ms} = await collectWith('bin-missing', 2000, {VIRTUAL_ENV: venv});
			// Then they finish and claim nothing about the venv's base
			assert.ok(ms < 10_000, `took ${Math.round(ms)} ms`);
			assert.equal(readFact(facts, 'python.selected.runs'), false);
			assert.equal(readFact(facts, 'python.selected.venvBaseMissing'), undefined);
		} finally {
			rmSync(venv, {recursive: true, force: true});
		}
	});

	it('names nothing for a venv whose base is there', () => {
		assert.equal(venvHome('home = /usr/bin\nversion = 3.11.2\n'), '/usr/bin');
		assert.equal(venvHome('include-system-site-packages = false\n'), undefined);
	});
});
