import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import {planFix} from '../../src/core/patch/plan.js';
import {loadKnowledge} from '../../src/io/knowledge-dir.js';

// Every folder test/fixtures/patch/<diagnosis-id>/<case>/ is a small project. Beside its files:
//   expected.diff  the exact patch the fix must produce, or
//   NO_PATCH       "already-applied", or words the manual reason must contain;
//   case.json      optional {"fix": "<fix id>", "facts": {...}} (log captures under facts.captures).
// UPDATE_EXPECTED=1 rewrites expected.diff files from the current output (review them with git diff).

const root = fileURLToPath(new URL('../fixtures/patch', import.meta.url));
const metaFiles = new Set(['expected.diff', 'NO_PATCH', 'case.json']);
const {entries} = await loadKnowledge();

function projectFiles(dir: string, prefix = ''): Record<string, string> {
	const files: Record<string, string> = {};
	for (const name of readdirSync(dir).sort()) {
		const full = path.join(dir, name);
		const relative = prefix ? `${prefix}/${name}` : name;
		if (statSync(full).isDirectory()) {
			Object.assign(files, projectFiles(full, relative));
		} else if (!(prefix === '' && metaFiles.has(name))) {
			files[relative] = readFileSync(full, 'utf8');
		}
	}

	return files;
}

type Case = {fix?: string; facts?: Record<string, unknown>};

const hasGit = spawnSync('git', ['--version']).status === 0;

for (const id of readdirSync(root).filter(name => statSync(path.join(root, name)).isDirectory()).sort()) {
	describe(`patches for ${id}`, () => {
		for (const name of readdirSync(path.join(root, id)).sort()) {
			const dir = path.join(root, id, name);
			it(name, () => {
				// Given the fixture project and the fix it names (or the entry's first fix with edits)
				const entry = entries.find(candidate => candidate.id === id);
				assert.ok(entry, `no knowledge entry ${id}`);
				const spec: Case = existsSync(path.join(dir, 'case.json')) ? (JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as Case) : {};
				const fix = spec.fix ? entry.fixes.find(candidate => candidate.id === spec.fix) : entry.fixes.find(candidate => candidate.edits.length > 0);
				assert.ok(fix, `${id} has no fix ${spec.fix ?? 'with edits'}`);
				const files = projectFiles(dir);
				const facts = spec.facts ?? {};

				// When the patch is planned
				const plan = planFix({entry, fix, readFile: file => files[file], facts});

				const expectedDiff = path.join(dir, 'expected.diff');
				if (existsSync(path.join(dir, 'NO_PATCH'))) {
					// Then there is no patch, for the stated reason
					const expected = readFileSync(path.join(dir, 'NO_PATCH'), 'utf8').trim();
					if (expected === 'already-applied') {
						assert.equal(plan.status, 'already-applied', JSON.stringify(plan));
					} else {
						assert.equal(plan.status, 'manual', plan.status === 'patch' ? plan.diff : plan.status);
						assert.ok(plan.reason.includes(expected), `reason "${plan.reason}" lacks "${expected}"`);
					}

					return;
				}

				assert.equal(plan.status, 'patch', JSON.stringify(plan));
				if (process.env.UPDATE_EXPECTED) {
					writeFileSync(expectedDiff, plan.diff);
				}

				// Then the diff is exactly the expected one
				assert.equal(plan.diff, readFileSync(expectedDiff, 'utf8'));

				// And planning again on the patched files finds it already applied
				const patched = {...files, ...Object.fromEntries(plan.files.map(file => [file.path, file.after]))};
				const again = planFix({entry, fix, readFile: file => patched[file], facts});
				assert.equal(again.status, 'already-applied', again.status === 'patch' ? again.diff : JSON.stringify(again));

				// And git apply accepts the expected diff on a copy of the fixture, giving the same files
				if (hasGit) {
					const copy = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-patch-'));
					try {
						cpSync(dir, copy, {recursive: true});
						for (const meta of metaFiles) {
							rmSync(path.join(copy, meta), {force: true});
						}

						const check = spawnSync('git', ['apply', '--check', '-v', expectedDiff], {cwd: copy, encoding: 'utf8'});
						assert.equal(check.status, 0, check.stderr);
						const apply = spawnSync('git', ['apply', expectedDiff], {cwd: copy, encoding: 'utf8'});
						assert.equal(apply.status, 0, apply.stderr);
						for (const file of plan.files) {
							assert.equal(readFileSync(path.join(copy, file.path), 'utf8'), file.after, `${file.path} after git apply`);
						}
					} finally {
						rmSync(copy, {recursive: true, force: true});
					}
				}
			});
		}
	});
}
