import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {planFix} from '../../src/core/patch/plan.js';
import {loadKnowledge} from '../../src/io/knowledge-dir.js';
import {caseFix, metaFiles, patchFixtureCases} from '../helpers/patch-fixtures.js';

// Every folder test/fixtures/patch/<diagnosis-id>/<case>/ is a small project. Beside its files:
//   expected.diff  the exact patch the fix must produce, or
//   NO_PATCH       "already-applied", or words the manual reason must contain;
//   case.json      optional {"fix": "<fix id>", "facts": {...}} (log captures under facts.captures),
//                  and "removes": words the plan says after a removal, when nothing is left to remove.
// UPDATE_EXPECTED=1 rewrites expected.diff files from the current output (review them with git diff).

const {entries} = await loadKnowledge();
const cases = patchFixtureCases();

const hasGit = spawnSync('git', ['--version']).status === 0;

for (const id of [...new Set(cases.map(fixture => fixture.id))]) {
	describe(`patches for ${id}`, () => {
		for (const {name, dir, spec, files} of cases.filter(fixture => fixture.id === id)) {
			it(name, () => {
				// Given the fixture project and the fix it names (or the entry's first fix with edits)
				const entry = entries.find(candidate => candidate.id === id);
				assert.ok(entry, `no knowledge entry ${id}`);
				const fix = caseFix(entry, spec);
				assert.ok(fix, `${id} has no fix ${spec.fix ?? 'with edits'}`);
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

				// And planning again on the patched files finds it already applied (a removal: finds nothing left to remove)
				const patched = {...files, ...Object.fromEntries(plan.files.map(file => [file.path, file.after]))};
				const again = planFix({entry, fix, readFile: file => patched[file], facts});
				if (spec.removes) {
					assert.equal(again.status, 'manual', again.status === 'patch' ? again.diff : JSON.stringify(again));
					assert.ok(again.reason.includes(spec.removes), `reason "${again.reason}" lacks "${spec.removes}"`);
				} else {
					assert.equal(again.status, 'already-applied', again.status === 'patch' ? again.diff : JSON.stringify(again));
				}

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
