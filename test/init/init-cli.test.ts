import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {canonicalIds} from '../knowledge/canonical-ids.js';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const topicsDir = fileURLToPath(new URL('../../knowledge/topics', import.meta.url));

function cli(args: string[], cwd = process.cwd()) {
	const result = spawnSync(process.execPath, [cliPath, ...args], {cwd, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', CI: 'true'}, timeout: 30_000});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

const freshDir = () => mkdtempSync(path.join(tmpdir(), 'init-cli-'));

test('init writes the project into DIR and says what each file is for', () => {
	// Given an empty folder
	const dir = path.join(freshDir(), 'hello-ext');
	// When init runs with every answer as a flag
	const result = cli(['init', dir, '--kind', 'extension', '--no-nix', '--python', process.execPath.includes('nix') ? 'python3' : '/usr/bin/python3']);
	// Then the files exist and the report lists them
	assert.equal(result.status, 0, result.stderr);
	for (const file of ['Cargo.toml', 'pyproject.toml', 'src/lib.rs', 'build.rs', '.cargo/config.toml', 'README.md', '.gitignore']) {
		assert.ok(existsSync(path.join(dir, file)), file);
	}

	assert.match(result.stdout, /Wrote a extension project for Python 3\.\d+/);
	assert.match(result.stdout, /new +pyproject\.toml +maturin builds the wheel/);
	assert.match(readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'), /name = "hello-ext"/);
});

test('init never overwrites a file with other content unless --force', () => {
	// Given a folder whose Cargo.toml is the user's own
	const dir = freshDir();
	writeFileSync(path.join(dir, 'Cargo.toml'), '# mine\n');
	// When init runs without --force
	const refused = cli(['init', '--project', dir, '--kind', 'embedding', '--nix']);
	// Then it exits 4, writes nothing at all, and says why
	assert.equal(refused.status, 4);
	assert.match(refused.stderr, /nothing was written: Cargo\.toml already exists/);
	assert.deepEqual(readdirSync(dir), ['Cargo.toml']);
	assert.equal(readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'), '# mine\n');
	// When it runs again with --force
	const forced = cli(['init', '--project', dir, '--kind', 'embedding', '--nix', '--force']);
	// Then the file is replaced and the rest written
	assert.equal(forced.status, 0, forced.stderr);
	assert.match(readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'), /pyo3 = /);
	assert.ok(existsSync(path.join(dir, 'flake.nix')));
});

test('running init twice is harmless: the same files are left as they are', () => {
	// Given a project init wrote
	const dir = freshDir();
	assert.equal(cli(['init', dir, '--kind', 'both', '--nix', '--python', '3.13']).status, 0);
	// When init runs again with the same answers
	const again = cli(['init', dir, '--kind', 'both', '--nix', '--python', '3.13']);
	// Then it succeeds and reports every file as unchanged
	assert.equal(again.status, 0, again.stderr);
	assert.doesNotMatch(again.stdout, /new |KEPT/);
	assert.match(readFileSync(path.join(dir, 'flake.nix'), 'utf8'), /pkgs\.python313/);
});

test('--dry-run writes nothing; --json describes the plan', () => {
	// Given an empty folder
	const dir = freshDir();
	// When init runs as a dry run with JSON output
	const result = cli(['init', dir, '--kind', 'both', '--nix', '--dry-run', '--json']);
	// Then nothing is written and the plan is machine-readable
	assert.equal(result.status, 0, result.stderr);
	assert.deepEqual(readdirSync(dir), []);
	const output = JSON.parse(result.stdout) as {written: boolean; answers: {kind: string; python: {version: string}}; files: Array<{path: string; action: string}>};
	assert.equal(output.written, false);
	assert.equal(output.answers.kind, 'both');
	assert.equal(output.answers.python.version, '3.12');
	assert.ok(output.files.some(file => file.path === 'flake.nix' && file.action === 'create'));
});

test('without a terminal, a missing --kind is a usage error rather than a guess', () => {
	// Given no terminal (CI) and no --kind
	const result = cli(['init', freshDir(), '--no-nix']);
	// Then exit 2 with a pointer to the flag
	assert.equal(result.status, 2);
	assert.match(result.stderr, /pass --kind extension, embedding or both/);
});

test('an unusable Python is refused before anything is written', () => {
	// Given a Python that does not exist
	const dir = freshDir();
	const result = cli(['init', dir, '--kind', 'extension', '--no-nix', '--python', '/nonexistent/python3']);
	// Then exit 2 and an empty folder
	assert.equal(result.status, 2);
	assert.match(result.stderr, /cannot be used/);
	assert.deepEqual(readdirSync(dir), []);
});

test('explain with no argument lists the topics; explain TOPIC prints the page', () => {
	// Given the topic pages shipped in knowledge/topics
	const list = cli(['explain']);
	const page = cli(['explain', 'maturin-under-nix']);
	// Then both founding questions are listed and a page prints in plain text
	assert.equal(list.status, 0);
	assert.match(list.stdout, /maturin-under-nix +Should I use maturin under Nix\?/);
	assert.match(list.stdout, /python-from-rust-under-nix +How do I call Python from Rust under Nix\?/);
	assert.equal(page.status, 0);
	assert.match(page.stdout, /maturinBuildHook/);
	assert.doesNotMatch(page.stdout, /```/);
});

test('every diagnosis a topic page points to is a canonical id', () => {
	// Given the ids the pages cite in (`…`) or after "explain"
	for (const name of readdirSync(topicsDir)) {
		const text = readFileSync(path.join(topicsDir, name), 'utf8');
		const cited = new Set([...text.matchAll(/\(`(?:pyo3-doctor explain )?([a-z\d]+(?:-[a-z\d]+)+)`(?:, `([a-z\d]+(?:-[a-z\d]+)+)`)?\)/g)].flatMap(match => [match[1], match[2]]).filter(Boolean));
		// Then each is one of the knowledge base's ids
		assert.ok(cited.size > 0, name);
		for (const id of cited) {
			assert.ok((canonicalIds as readonly string[]).includes(id!), `${name} cites ${id}, which is not a diagnosis id`);
		}
	}
});

test('setUpProject (for the wizard) writes a project, and refuses to overwrite', async () => {
	const {setUpProject} = await import('../../src/commands/init.js');
	// Given an empty folder and answers already chosen
	const dir = freshDir();
	const answers = {name: 'from-wizard', kind: 'extension' as const, nix: true, python: {version: '3.12'}};
	// When it sets up the project twice, the second time over a changed file
	const first = setUpProject(dir, answers);
	writeFileSync(path.join(dir, 'Cargo.toml'), '# changed\n');
	const second = setUpProject(dir, answers);
	// Then the first wrote every file, the second nothing
	assert.equal(first.ok, true);
	assert.ok(first.files.includes('flake.nix'));
	assert.equal(second.ok, false);
	assert.match(second.message, /Cargo\.toml already exist/);
	assert.equal(readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'), '# changed\n');
});
