import assert from 'node:assert/strict';
import {spawnSync, type SpawnSyncOptions} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';

// Packs the package as `npm publish` would, installs the tarball into an empty folder (from
// npm's cache when it can) and runs the installed command there, away from the repository.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const packageJson = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {version: string};
const scratch = mkdtempSync(path.join(tmpdir(), 'pack-'));
const consumer = path.join(scratch, 'consumer');
const cleanEnv = {...process.env, NO_COLOR: '1', CI: 'true', npm_config_update_notifier: 'false'};
delete cleanEnv.PYO3_DOCTOR_KNOWLEDGE_DIR;

function sh(command: string, args: string[], options: SpawnSyncOptions = {}) {
	const result = spawnSync(command, args, {encoding: 'utf8', timeout: 240_000, env: cleanEnv, ...options});
	return {status: result.status, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '')};
}

let packedFiles: string[] = [];

describe('the npm package', {timeout: 300_000}, () => {
	before(() => {
		const packed = sh('npm', ['pack', '--json', '--pack-destination', scratch], {cwd: repo});
		assert.equal(packed.status, 0, packed.stderr);
		const [info] = JSON.parse(packed.stdout) as Array<{filename: string; files: Array<{path: string}>}>;
		packedFiles = info!.files.map(file => file.path);
		sh('mkdir', ['-p', consumer]);
		writeFileSync(path.join(consumer, 'package.json'), '{"name": "consumer", "private": true}\n');
		const installed = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(scratch, info!.filename)], {cwd: consumer});
		assert.equal(installed.status, 0, installed.stderr);
	});

	test('ships the built CLI, the knowledge, templates and topics, and nothing else', () => {
		// Given the file list of the tarball
		// Then what the CLI needs at run time is in it
		for (const needed of ['package.json', 'README.md', 'dist/cli.js', 'knowledge/facts.yaml', 'knowledge/templates/flake.nix.tmpl', 'knowledge/topics/maturin-under-nix.md']) {
			assert.ok(packedFiles.includes(needed), `${needed} is missing from the package`);
		}

		assert.ok(packedFiles.some(file => /^knowledge\/diagnoses\/[^/]+\/diagnosis\.yaml$/.test(file)));
		// And sources, tests, example logs and the repository's own tooling are not
		const unwanted = packedFiles.filter(file => /^(src|test|bench|\.ci|node_modules)\/|\/examples\/|^flake\.nix$|^tsconfig\.json$|^package-lock\.json$/.test(file));
		assert.deepEqual(unwanted, []);
	});

	const npx = (args: string[]) => sh('npx', ['--no-install', 'pyo3-doctor', ...args], {cwd: consumer});

	test('npx pyo3-doctor --version prints the package version', () => {
		// When the installed command is asked its version
		const result = npx(['--version']);
		// Then it is the one in package.json
		assert.equal(result.status, 0, result.stderr);
		assert.equal(result.stdout.trim(), packageJson.version);
	});

	test('diagnose works from the installed package', () => {
		// Given a log of a linker failure, written in the consumer's folder
		const log = path.join(consumer, 'build.log');
		writeFileSync(log, 'error: linking with `cc` failed: exit status: 1\n  = note: rust-lld: error: undefined symbol: PyExc_TypeError\n');
		// When the installed command diagnoses it
		const result = npx(['diagnose', log, '--json']);
		// Then the knowledge shipped in the package names the cause
		assert.equal(result.status, 0, result.stderr);
		const output = JSON.parse(result.stdout) as {diagnoses: Array<{id: string}>};
		assert.equal(output.diagnoses[0]?.id, 'extension-module-in-binary');
	});

	test('check runs from the installed package', () => {
		// Given a project the installed command wrote
		const project = path.join(consumer, 'checked');
		const written = npx(['init', project, '--kind', 'extension', '--nix']);
		assert.equal(written.status, 0, written.stderr);
		// When the installed command checks it
		const result = npx(['check', '--project', project, '--json']);
		// Then it answers with its JSON report and a check exit code (0 healthy, 1 problems)
		assert.ok(result.status === 0 || result.status === 1, `status ${result.status}: ${result.stderr}`);
		const output = JSON.parse(result.stdout) as {schemaVersion: number; checks: unknown[]};
		assert.equal(output.schemaVersion, 1);
		assert.ok(Array.isArray(output.checks));
	});

	test('init and explain find their templates and topics in the installed package', () => {
		// When the installed command plans a project and prints a topic
		const planned = npx(['init', path.join(consumer, 'new'), '--kind', 'both', '--nix', '--dry-run', '--json']);
		const topic = npx(['explain', 'python-from-rust-under-nix']);
		// Then both work
		assert.equal(planned.status, 0, planned.stderr);
		assert.ok((JSON.parse(planned.stdout) as {files: Array<{path: string}>}).files.some(file => file.path === 'flake.nix'));
		assert.equal(topic.status, 0, topic.stderr);
		assert.match(topic.stdout, /withPackages/);
	});
});
