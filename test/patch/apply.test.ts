import assert from 'node:assert/strict';
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, it} from 'node:test';
import type {PatchPlan} from '../../src/core/patch/plan.js';
import {renderDiff} from '../../src/core/patch/plan.js';
import {applyPlan, findProjectRoot, planHashes, projectReader} from '../../src/io/patch-files.js';

type Plan = Extract<PatchPlan, {status: 'patch'}>;

function plan(files: Array<{path: string; before: string | undefined; after: string}>): Plan {
	return {status: 'patch', files, diff: renderDiff(files), notes: []};
}

const cargo = '[package]\nname = "demo"\nversion = "0.1.0"\n';
const cargoAfter = '[package]\nname = "demo"\nversion = "0.1.0"\n\n[features]\nextension-module = ["pyo3/extension-module"]\n';
const pyproject = '[build-system]\nbuild-backend = "maturin"\n';
const pyprojectAfter = '[build-system]\nbuild-backend = "maturin"\n\n[tool.maturin]\nfeatures = ["extension-module"]\n';
const fixedDate = () => new Date('2026-01-02T03:04:05.000Z');

describe('applying a patch plan', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-apply-'));
		writeFileSync(path.join(dir, 'Cargo.toml'), cargo);
		writeFileSync(path.join(dir, 'pyproject.toml'), pyproject);
	});
	afterEach(() => rmSync(dir, {recursive: true, force: true}));

	const twoFiles = () =>
		plan([
			{path: 'Cargo.toml', before: cargo, after: cargoAfter},
			{path: 'pyproject.toml', before: pyproject, after: pyprojectAfter},
		]);

	it('writes every file, keeps a backup of each, and creates new files', async () => {
		// Given a plan that changes two files and creates build.rs
		const files = [...twoFiles().files, {path: 'build.rs', before: undefined, after: 'fn main() {}\n'}];
		// When it is applied
		const result = await applyPlan(dir, plan(files), {now: fixedDate});
		// Then the files say what the plan says, and the originals are in backups
		assert.equal(result.ok, true, JSON.stringify(result));
		assert.equal(readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'), cargoAfter);
		assert.equal(readFileSync(path.join(dir, 'pyproject.toml'), 'utf8'), pyprojectAfter);
		assert.equal(readFileSync(path.join(dir, 'build.rs'), 'utf8'), 'fn main() {}\n');
		assert.equal(readFileSync(path.join(dir, 'Cargo.toml.pyo3-doctor.bak'), 'utf8'), cargo);
		assert.deepEqual(result.ok && result.written.map(file => [file.path, file.backup ?? null, file.created]), [
			['Cargo.toml', 'Cargo.toml.pyo3-doctor.bak', false],
			['pyproject.toml', 'pyproject.toml.pyo3-doctor.bak', false],
			['build.rs', null, true],
		]);
		// And no temporary file is left behind
		assert.deepEqual(readdirSync(dir).filter(name => name.includes('.tmp')), []);
	});

	it('keeps an older backup and makes a timestamped one beside it', async () => {
		// Given a backup from an earlier run
		writeFileSync(path.join(dir, 'Cargo.toml.pyo3-doctor.bak'), 'earlier\n');
		// When a patch is applied
		const result = await applyPlan(dir, plan([{path: 'Cargo.toml', before: cargo, after: cargoAfter}]), {now: fixedDate});
		// Then the earlier backup is untouched and the new one has the time in its name
		assert.equal(result.ok, true);
		assert.equal(readFileSync(path.join(dir, 'Cargo.toml.pyo3-doctor.bak'), 'utf8'), 'earlier\n');
		assert.equal(readFileSync(path.join(dir, 'Cargo.toml.pyo3-doctor.2026-01-02T03-04-05-000Z.bak'), 'utf8'), cargo);
	});

	it('refuses a file that changed since its diff was made, and writes nothing', async () => {
		// Given hashes taken when the diff was shown, then an edit by the user
		const shown = twoFiles();
		const hashes = planHashes(shown);
		writeFileSync(path.join(dir, 'pyproject.toml'), `${pyproject}# edited\n`);
		// When the plan is applied
		const result = await applyPlan(dir, shown, {hashes});
		// Then it is refused, naming the file, and neither file changed
		assert.equal(result.ok, false);
		assert.match(!result.ok ? result.reason : '', /pyproject\.toml has changed since its diff was made/);
		assert.equal(readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'), cargo);
		assert.equal(existsSync(path.join(dir, 'Cargo.toml.pyo3-doctor.bak')), false);
	});

	it('refuses to create a file that appeared since the diff was made', async () => {
		// Given a plan that creates build.rs, and a build.rs written meanwhile
		const creating = plan([{path: 'build.rs', before: undefined, after: 'fn main() {}\n'}]);
		writeFileSync(path.join(dir, 'build.rs'), 'fn main() { println!("mine"); }\n');
		// When it is applied
		const result = await applyPlan(dir, creating);
		// Then it is refused and the user's build.rs stays
		assert.match(!result.ok ? result.reason : '', /build\.rs now exists/);
		assert.match(readFileSync(path.join(dir, 'build.rs'), 'utf8'), /mine/);
	});

	it('refuses a symbolic link into the Nix store', async () => {
		// Given flake.nix is a link into /nix/store (as home-manager or a result link makes it)
		symlinkSync('/nix/store/0a1b2c3d-source/flake.nix', path.join(dir, 'flake.nix'));
		// When a plan for it is applied
		const result = await applyPlan(dir, plan([{path: 'flake.nix', before: '{ }\n', after: '{ x = 1; }\n'}]));
		// Then it is refused with the reason
		assert.match(!result.ok ? result.reason : '', /symbolic link into the Nix store/);
	});

	it('refuses a read-only file by its mode, even for root', async () => {
		// Given Cargo.toml is r--r--r-- (root could still write it; the tool must not)
		chmodSync(path.join(dir, 'Cargo.toml'), 0o444);
		// When a two-file plan is applied
		const result = await applyPlan(dir, twoFiles());
		// Then it is refused and the other file is not written either
		assert.match(!result.ok ? result.reason : '', /Cargo\.toml is read-only \(mode 444\)/);
		assert.equal(readFileSync(path.join(dir, 'pyproject.toml'), 'utf8'), pyproject);
	});

	it('refuses paths outside the project, directly or through a linked folder', async () => {
		// Given a plan that names ../outside.toml, and a folder linked to outside the project
		const outside = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-outside-'));
		try {
			writeFileSync(path.join(outside, 'config.toml'), '');
			symlinkSync(outside, path.join(dir, '.cargo'));
			// When each is applied
			const direct = await applyPlan(dir, plan([{path: '../outside.toml', before: undefined, after: 'a = 1\n'}]));
			const linked = await applyPlan(dir, plan([{path: '.cargo/config.toml', before: '', after: 'a = 1\n'}]));
			// Then both are refused and nothing is written outside
			assert.match(!direct.ok ? direct.reason : '', /outside the project/);
			assert.match(!linked.ok ? linked.reason : '', /outside the project/);
			assert.equal(readFileSync(path.join(outside, 'config.toml'), 'utf8'), '');
		} finally {
			rmSync(outside, {recursive: true, force: true});
		}
	});

	it('refuses a result that is not valid TOML or Nix', async () => {
		// Given plans whose new texts do not parse
		writeFileSync(path.join(dir, 'flake.nix'), '{ }\n');
		const badToml = await applyPlan(dir, plan([{path: 'Cargo.toml', before: cargo, after: `${cargo}[features\n`}]));
		const badNix = await applyPlan(dir, plan([{path: 'flake.nix', before: '{ }\n', after: '{ x = "1; }\n'}]));
		// Then both are refused and the files are as they were
		assert.match(!badToml.ok ? badToml.reason : '', /would not be valid TOML/);
		assert.match(!badNix.ok ? badNix.reason : '', /would not be valid Nix: line 1: a " string is never closed/);
		assert.equal(readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'), cargo);
	});

	it('refuses what nix-instantiate --parse rejects, and removes its temporary file', async () => {
		// Given a Nix parser that rejects the new text (the built-in check passes it)
		writeFileSync(path.join(dir, 'flake.nix'), '{ }\n');
		const parsed: string[] = [];
		const parseNix = async (file: string) => {
			parsed.push(readFileSync(file, 'utf8'));
			return 'error: syntax error, unexpected INHERIT';
		};

		// When the plan is applied
		const result = await applyPlan(dir, plan([{path: 'flake.nix', before: '{ }\n', after: '{ inherit; }\n'}]), {parseNix});
		// Then the parser saw the new text, the write is refused, and no temporary file stays
		assert.deepEqual(parsed, ['{ inherit; }\n']);
		assert.match(!result.ok ? result.reason : '', /nix-instantiate --parse rejects the patched flake\.nix: error: syntax error/);
		assert.equal(readFileSync(path.join(dir, 'flake.nix'), 'utf8'), '{ }\n');
		assert.deepEqual(readdirSync(dir).filter(name => name.includes('.tmp')), []);
	});

	it('uses nix-instantiate when it is there and the built-in check when it is not', async () => {
		// Given a valid Nix edit and a parser that reports nix missing (null)
		writeFileSync(path.join(dir, 'flake.nix'), '{ }\n');
		const result = await applyPlan(dir, plan([{path: 'flake.nix', before: '{ }\n', after: '{ x = 1; }\n'}]), {parseNix: async () => null});
		// Then it is written, and the result says nix did not check it
		assert.equal(result.ok && result.nixChecked, false);
		assert.equal(readFileSync(path.join(dir, 'flake.nix'), 'utf8'), '{ x = 1; }\n');
	});
});

describe('finding and reading the project', () => {
	it('walks up to the folder with Cargo.toml and reads only inside it', () => {
		// Given a project with a nested folder
		const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-root-'));
		try {
			mkdirSync(path.join(dir, 'src', 'deep'), {recursive: true});
			writeFileSync(path.join(dir, 'Cargo.toml'), cargo);
			// When the root is searched from the nested folder, and files are read
			const root = findProjectRoot(path.join(dir, 'src', 'deep'));
			const read = projectReader(dir);
			// Then the root is found, project files read, and nothing outside or missing
			assert.equal(root, dir);
			assert.equal(read('Cargo.toml'), cargo);
			assert.equal(read('missing.toml'), undefined);
			assert.equal(read('../../etc/passwd'), undefined);
			assert.equal(read('src'), undefined);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
