import assert from 'node:assert/strict';
import {execFile, spawnSync} from 'node:child_process';
import {chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {after, before, describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {readFact} from '../../src/core/knowledge/conditions.js';
import {binWith, healthyProject, overloaded, runCheck, scratchDir, snapshot} from './harness.js';

/**
Every project file the probes read (and the file PYO3_CONFIG_FILE names), in every way it can be
broken: `check` must end in bounded time, name the file (and where the parser stopped), exit 1 as
the README says, take no fact from the file, and change nothing in the project.
*/

// The CLI from its sources, as the in-process cases run it (so that a changed source is what runs).
const cli = ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../../src/cli.ts', import.meta.url))];
const builtCli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
// Without nix-instantiate, Nix files go through the built-in scan (nix-instantiate's own faults are in tools.test.ts,
// its messages in test/files/parse-problems.test.ts).
const bin = binWith('nix-instantiate', 'missing');
const timeoutMs = 4000;
// The whole check's own limit, plus three times what a healthy check takes on this machine now.
let boundMs = 2 * timeoutMs + 2000 + 3000;
after(() => rmSync(scratchDir, {recursive: true, force: true}));
before(async () => {
	if (overloaded) {
		return;
	}

	const healthy = await runCheck({project: healthyProject(), path: bin, timeoutMs});
	boundMs = 2 * timeoutMs + 2000 + 3 * Math.max(1000, healthy.ms);
});

const files = ['Cargo.toml', 'pyproject.toml', '.cargo/config.toml', 'flake.nix', 'default.nix', 'shell.nix', 'Cargo.lock', 'PYO3_CONFIG_FILE'] as const;
type File = (typeof files)[number];
const fileFaults = ['missing', 'unreadable', 'invalid', '50 MB', 'binary', 'symlink loop', 'named pipe'] as const;
type FileFault = (typeof fileFaults)[number];

const invalidText: Record<File, string> = {
	'Cargo.toml': '[package\nname = "x"\n',
	'pyproject.toml': '[build-system]\nrequires = ["maturin"\n',
	'.cargo/config.toml': '[env]\nPYO3_PYTHON = \n',
	'flake.nix': '{\n  outputs = { self }: { x = [ 1 2 ; };\n}\n',
	'default.nix': '{ pkgs }:\npkgs.mkShell { shellHook = "echo; }\n',
	'shell.nix': '{ pkgs }: pkgs.mkShell {\n',
	'Cargo.lock': 'version = 3\n[[package]\nname = "pyo3"\n',
	PYO3_CONFIG_FILE: 'implementation=CPython\nversion\n',
};

// Where the file lives in the project (PYO3_CONFIG_FILE: a file of our choosing, named by the variable).
const location = (file: File) => (file === 'PYO3_CONFIG_FILE' ? 'pyo3-config.txt' : file);

// The facts each file feeds, which must be absent once it does not parse.
const fedFacts: Record<File, string[]> = {
	'Cargo.toml': ['project.crateName', 'project.pyo3.declared', 'project.hasBins', 'derived.extensionModuleWithBinsOrTests'],
	'pyproject.toml': ['project.pyproject.buildBackend'],
	'.cargo/config.toml': ['project.cargoConfig.dynamicLookup', 'rust.linker'],
	'flake.nix': ['project.nix.usesMaturinBuildHook', 'project.nix.hardcodedWheels'],
	'default.nix': ['project.nix.usesMaturinBuildHook'],
	'shell.nix': ['project.nix.usesMaturinBuildHook'],
	'Cargo.lock': ['project.pyo3.versions', 'derived.multiplePyo3Versions'],
	PYO3_CONFIG_FILE: [],
};

function breakFile(root: string, file: File, fault: FileFault): void {
	const full = path.join(root, location(file));
	mkdirSync(path.dirname(full), {recursive: true});
	rmSync(full, {force: true});
	switch (fault) {
		case 'missing': {
			return;
		}

		case 'unreadable': {
			writeFileSync(full, '# fine, but nobody may read it\n');
			chmodSync(full, 0o000);
			return;
		}

		case 'invalid': {
			writeFileSync(full, invalidText[file]);
			return;
		}

		case '50 MB': {
			writeFileSync(full, Buffer.alloc(50 * 1024 * 1024, '# a comment line that goes on and on\n'));
			return;
		}

		case 'binary': {
			writeFileSync(full, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe, 0, 0x0a]));
			return;
		}

		case 'symlink loop': {
			symlinkSync(path.basename(full), full);
			return;
		}

		case 'named pipe': {
			// A FIFO nobody writes to: opening it for reading would wait for ever.
			spawnSync('mkfifo', [full]);
		}
	}
}

const words: Record<Exclude<FileFault, 'missing'>, RegExp> = {
	unreadable: /cannot be read: permission denied/,
	invalid: /line \d+.*: (not valid (TOML|Nix)|expected key=value pair on line 2)/,
	'50 MB': /not read: 50\.0 MB is far too large/,
	binary: /a binary file, not text/,
	'symlink loop': /cannot be read: a loop of symbolic links/,
	'named pipe': /not read: not a regular file/,
};

// `check` in a process of its own. Root ignores file modes: the unreadable case drops the
// capabilities that let it (as the real-tool suite does). A read that blocks (a named pipe) would
// stall an in-process run for good; a child is killed at the case's limit instead.
// Asynchronous, so that the cases running beside it keep their clocks.
async function checkInChild(root: string, env: Record<string, string>, {dropCaps}: {dropCaps: boolean}) {
	const started = performance.now();
	const args = [...cli, 'check', '--json', '--project', root, '--timeout', String(timeoutMs)];
	const [file, argv] = dropCaps ? ['/usr/bin/setpriv', ['--bounding-set', '-dac_override,-dac_read_search', '--', process.execPath, ...args]] : [process.execPath, args];
	const {code, stdout} = await new Promise<{code: number | null; stdout: string}>(resolve => {
		execFile(file, argv, {encoding: 'utf8', env: {PATH: bin, HOME: '/nonexistent', NO_COLOR: '1', ...env}, timeout: 60_000}, (error, out) => {
			resolve({code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout: out});
		});
	});
	const json = JSON.parse(stdout) as {facts: Record<string, unknown>; checks: Array<{area: string; found: string}>};
	return {code, ms: performance.now() - started, json, stdout: json.checks.map(check => `${check.area}: ${check.found}`).join('\n')};
}

// Each case breaks a project of its own: several run at once.
describe('fault injection: every project file', {concurrency: 4, skip: overloaded}, () => {
	for (const file of files) {
		describe(`fault injection: ${file}`, {concurrency: 2}, () => {
			for (const fault of fileFaults) {
				// Unique names, so that one case can be run alone (test/faults/guards.mjs does).
				it(`${file}: ${fault}`, {timeout: 20_000}, async () => {
					// Given a healthy project with a flake, a Cargo.lock and a .cargo/config.toml, and one file broken
					const root = healthyProject();
					writeFileSync(path.join(root, 'flake.nix'), '{ outputs = { self }: { }; }\n');
					mkdirSync(path.join(root, '.cargo'), {recursive: true});
					writeFileSync(path.join(root, '.cargo', 'config.toml'), '[env]\nPYO3_PYTHON = "python3"\n');
					writeFileSync(path.join(root, 'pyo3-config.txt'), 'implementation=CPython\nversion=3.12\nshared=true\n');
					breakFile(root, file, fault);
					const before = snapshot(root);
					const env = {PYO3_CONFIG_FILE: path.join(root, 'pyo3-config.txt')};
					// When check runs
					const result =
						fault === 'unreadable' || fault === 'named pipe'
							? await checkInChild(root, env, {dropCaps: fault === 'unreadable'})
							: await runCheck({project: root, path: bin, timeoutMs, env});
					// Then in bounded time, with nothing changed
					assert.ok(result.ms < boundMs, `took ${Math.round(result.ms)} ms`);
					assert.deepEqual(snapshot(root), before);
					const unparsable = (readFact(result.json.facts, 'files.unparsable') ?? []) as Array<{file: string}>;
					if (file === 'Cargo.toml' && fault === 'missing') {
						// Not a crate: a usage error, as the README's table says.
						assert.equal(result.code, 2);
						assert.match(result.stdout, /there is no Cargo.toml in that folder/);
						return;
					}

					if (fault === 'missing') {
						// A missing file is no problem, except the one PYO3_CONFIG_FILE names: pyo3 fails to open it.
						assert.deepEqual(unparsable.map(problem => problem.file), file === 'PYO3_CONFIG_FILE' ? [`PYO3_CONFIG_FILE (${env.PYO3_CONFIG_FILE})`] : []);
						return;
					}

					// It is named, with the right words, as an error of the project; exit 1
					assert.equal(unparsable.length, 1, JSON.stringify(unparsable));
					assert.match(unparsable[0]!.file, file === 'PYO3_CONFIG_FILE' ? /^PYO3_CONFIG_FILE/ : new RegExp(`^${file.replaceAll('.', '\\.')}$`));
					assert.match(result.stdout, new RegExp(`project: .*${words[fault].source}`));
					assert.equal(result.code, 1);
					// And nothing is taken from it
					for (const name of fedFacts[file]) {
						assert.equal(readFact(result.json.facts, name), undefined, name);
					}
				});
			}
		});
	}
});

describe('fault injection: a project folder whose name is not UTF-8', {skip: overloaded}, () => {
	it('is checked in bounded time without a crash, and nothing in it changes', () => {
		const root = healthyProject();
		// Only a shell can name the folder: Node turns the bytes of a path argument into UTF-8 text.
		const inOdd = (script: string, ...args: string[]) =>
			spawnSync('/bin/sh', ['-c', `root="$1"; odd="$1-$(printf '\\377\\376')"; shift; ${script}`, 'sh', root, ...args], {encoding: 'utf8', env: {PATH: bin, HOME: '/nonexistent', NO_COLOR: '1'}, timeout: 60_000});
		inOdd('/bin/cp -r "$root" "$odd"');
		const listing = () => inOdd('cd "$odd" && /usr/bin/find . -exec /bin/ls -ld --time-style=+%s {} + && /usr/bin/find . -type f -exec /usr/bin/sha256sum {} +').stdout;
		const before = listing();
		assert.match(before, /Cargo\.toml/);
		const started = performance.now();
		// The built CLI: tsx cannot start its compiler in a folder Node cannot name.
		const result = inOdd('cd "$odd" && exec "$@" check', process.execPath, builtCli);
		assert.ok(performance.now() - started < boundMs);
		assert.ok(result.status === 0 || result.status === 1, `exit ${result.status}: ${result.stderr}`);
		// The tools still run there (they inherit the folder), and the project is said to be unreadable, not absent.
		assert.doesNotMatch(result.stdout, /not found on PATH|no glibc found|no pyo3 dependency|no Cargo.toml here/);
		assert.match(result.stdout, /this folder.s path is not valid UTF-8/, result.stderr);
		assert.equal(listing(), before);
		inOdd('/bin/rm -rf "$odd"');
	});
});
