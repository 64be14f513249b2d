import assert from 'node:assert/strict';
import {cpSync, mkdtempSync, rmSync, symlinkSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {runCli} from '../helpers/cli.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const project = (name: string) => fixture(`projects/${name}`);
const sampleLog = fileURLToPath(new URL('../../knowledge/diagnoses/extension-module-in-binary/examples/match/dyld-symbol-not-found-test.log', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-check-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

// A Python 3.12 with a shared libpython as the build interpreter, so results do not depend on this machine's Pythons.
const stableEnv = {PYO3_PYTHON: path.join(fixture('bin-python-3.12'), 'python3'), VIRTUAL_ENV: '', CONDA_PREFIX: '', PYO3_BUILD_EXTENSION_MODULE: ''};

type CheckJson = {schemaVersion: number; facts: Record<string, any>; checks: Array<{area: string; status: string; found: string; hint?: string}>; diagnoses: Array<{id: string; confidence: number; facts: unknown[]}>};

describe('pyo3-doctor check', () => {
	it('prints one line per area and the problems proven before any build, and exits 1', () => {
		// Given a crate with extension-module always on and integration tests
		const result = runCli(['check'], {cwd: project('extension-module-with-tests'), env: stableEnv});
		// Then the doctor summary lists each area and the finding, and the exit code says "problems"
		assert.equal(result.status, 1, result.stderr);
		for (const label of ['System', 'Rust toolchain', 'Python interpreter', 'Nix', 'maturin', 'Project files']) {
			assert.match(result.stdout, new RegExp(`^\\[[✓!✗]\\] ${label}: `, 'm'));
		}

		assert.match(result.stdout, /\[extension-module-in-binary\]/);
		assert.match(result.stdout, /found before any build/);
		assert.doesNotMatch(result.stdout, /\u001B\[/);
	});

	it('gives schemaVersion, facts, checks and diagnoses with --json', () => {
		const result = runCli(['check', '--json', '--project', project('extension-module-with-tests')], {cwd: scratch, env: stableEnv});
		assert.equal(result.status, 1, result.stderr);
		const output = JSON.parse(result.stdout) as CheckJson;
		assert.equal(output.schemaVersion, 1);
		assert.equal(output.facts.project.crateName, 'ext-with-tests');
		assert.equal(output.facts.python.selected.version, '3.12');
		assert.deepEqual(output.checks.map(check => check.area), ['system', 'rust', 'python', 'nix', 'maturin', 'project']);
		assert.equal(output.diagnoses[0]?.id, 'extension-module-in-binary');
		assert.ok(output.diagnoses[0]!.facts.length > 0);
	});

	it('at a workspace root, shows what a member\'s Nix files prove in that member\'s section, its project line marked', () => {
		// Given a virtual workspace whose root flake builds one runtime crate through importCargoLock with stale outputHashes
		const root = path.join(scratch, 'workspace-output-hashes');
		cpSync(fileURLToPath(new URL('../real-repos/standins/deep-workspace-renamed-deps-output-hashes', import.meta.url)), root, {recursive: true});
		const result = runCli(['check', '--json', '--project', root], {cwd: scratch, env: stableEnv});
		const output = JSON.parse(result.stdout) as CheckJson & {crates: Array<{name: string; checks: Array<{status: string; hint?: string}>; diagnoses: Array<{id: string}>}>};
		const crate = (name: string) => output.crates.find(item => item.name === name)!;
		// Then the crate the flake builds has the finding in its own section, and its project line says so
		assert.deepEqual(crate('rt-32').diagnoses.map(diagnosis => diagnosis.id), ['cargo-git-dep-output-hash']);
		assert.equal(crate('rt-32').checks[0]!.status, 'error');
		assert.match(crate('rt-32').checks[0]!.hint ?? '', /known problem: cargo-git-dep-output-hash/);
		// And the crate it does not build has neither
		assert.deepEqual(crate('rt-64').diagnoses, []);
		assert.equal(crate('rt-64').checks[0]!.status, 'ok');
	});

	it('exits 0 for a healthy project', () => {
		const result = runCli(['check', '--json'], {cwd: project('extension-module-for-maturin-only'), env: stableEnv});
		const output = JSON.parse(result.stdout) as CheckJson;
		assert.deepEqual(output.diagnoses.map(diagnosis => diagnosis.id), []);
		assert.ok(!output.checks.some(check => check.status === 'error'), JSON.stringify(output.checks));
		assert.equal(result.status, 0);
	});

	it('writes a Markdown report without secrets or the home folder', () => {
		// Given a home folder that holds the project and a secret in the environment
		const home = mkdtempSync(path.join(scratch, 'home-'));
		cpSync(project('extension-module-with-tests'), path.join(home, 'extension-module-with-tests'), {recursive: true});
		// rustup and cargo keep using the real toolchains instead of setting up a new home.
		const toolchains = {RUSTUP_HOME: process.env.RUSTUP_HOME ?? path.join(homedir(), '.rustup'), CARGO_HOME: process.env.CARGO_HOME ?? path.join(homedir(), '.cargo')};
		const result = runCli(['check', '--format', 'markdown'], {
			cwd: path.join(home, 'extension-module-with-tests'),
			env: {...stableEnv, ...toolchains, HOME: home, PYTHONPATH: `${home}/lib:https://bob:hunter2@pypi.example.com/simple`, LD_LIBRARY_PATH: '/opt/lib'},
		});
		// Then the report is Markdown, the home folder is ~ and the password is gone
		assert.match(result.stdout, /^### pyo3-doctor check/);
		assert.match(result.stdout, /\| ✓ \| System \|/);
		assert.ok(!result.stdout.includes(home), 'home folder redacted');
		assert.match(result.stdout, /~\/extension-module-with-tests/);
		assert.ok(!result.stdout.includes('hunter2'));
		assert.match(result.stdout, /```json/);
	});

	it('is slowed by a hanging nix by no more than its timeout', () => {
		// Given a nix on PATH that never answers, in front of the real tools
		const hangingNix = mkdtempSync(path.join(scratch, 'hanging-nix-'));
		symlinkSync(path.join(fixture('bin-hanging'), 'nix'), path.join(hangingNix, 'nix'));
		// When check runs with a 700 ms timeout per tool, once without and once with the hanging nix
		const timed = (env: Record<string, string>) => {
			const started = performance.now();
			const result = runCli(['check', '--json', '--timeout', '700'], {cwd: project('extension-module-lib-only'), env: {...stableEnv, ...env}});
			return {result, ms: performance.now() - started};
		};

		const baseline = timed({});
		const {result, ms} = timed({PATH: `${hangingNix}:${process.env.PATH}`});
		// Then the hang costs about one timeout (plus slack for a busy machine), and the rest of the facts are there
		const output = JSON.parse(result.stdout) as CheckJson;
		assert.ok(ms - baseline.ms < 700 + 1500, `took ${Math.round(ms)} ms against ${Math.round(baseline.ms)} ms without the hang`);
		assert.equal(output.facts.nix.installed, true);
		assert.equal(output.facts.nix.version, undefined);
		const nix = output.checks.find(check => check.area === 'nix')!;
		assert.equal(nix.status, 'warn');
		assert.match(nix.found, /did not answer within 700 ms/);
		assert.equal(output.facts.project.crateName, 'ext-lib-only');
	});

	const usageErrors: Array<[string, string[], RegExp]> = [
		['an unknown format', ['check', '--format', 'xml'], /--format must be text or markdown/],
		['a missing project folder', ['check', '--project', '/nonexistent/crate'], /no such folder/],
		['a folder without Cargo.toml', ['check', '--project', '/'], /no Cargo.toml/],
		['an argument', ['check', 'extra'], /takes no arguments/],
		['two outputs', ['check', '--json', '--format', 'markdown'], /pick one/],
		['a bad timeout', ['check', '--timeout', 'soon'], /--timeout expects milliseconds/],
		['an unknown option', ['check', '--frobnicate'], /Unknown option/],
	];
	for (const [what, args, message] of usageErrors) {
		it(`exits 2 for ${what}`, () => {
			const result = runCli(args, {cwd: scratch});
			assert.equal(result.status, 2, result.stderr);
			assert.match(result.stderr, message);
		});
	}
});

describe('pyo3-doctor diagnose with probes', () => {
	it('gains confidence when the facts confirm the log', () => {
		const probed = JSON.parse(runCli(['diagnose', '--json', sampleLog], {cwd: project('extension-module-with-tests'), env: stableEnv}).stdout) as CheckJson;
		const logOnly = JSON.parse(runCli(['diagnose', '--json', '--no-probe', sampleLog], {cwd: project('extension-module-with-tests'), env: stableEnv}).stdout) as CheckJson;
		assert.ok(probed.diagnoses[0]!.confidence > logOnly.diagnoses[0]!.confidence, `${probed.diagnoses[0]!.confidence} vs ${logOnly.diagnoses[0]!.confidence}`);
		assert.match(JSON.stringify(probed.diagnoses[0]!.facts), /"effect":"confirm"/);
		assert.deepEqual(logOnly.diagnoses[0]!.facts, []);
	});

	it('loses confidence when the facts refute it', () => {
		const refuted = JSON.parse(runCli(['diagnose', '--json', '--project', project('extension-module-for-maturin-only'), sampleLog], {cwd: scratch, env: stableEnv}).stdout) as CheckJson;
		const logOnly = JSON.parse(runCli(['diagnose', '--json', '--no-probe', sampleLog], {cwd: scratch, env: stableEnv}).stdout) as CheckJson;
		const finding = refuted.diagnoses.find(diagnosis => diagnosis.id === 'extension-module-in-binary');
		assert.ok(finding && finding.confidence < logOnly.diagnoses[0]!.confidence);
		assert.match(JSON.stringify(finding.facts), /"effect":"refute"/);
	});
});
