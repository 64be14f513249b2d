import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {editKinds} from '../../src/core/patch/kinds.js';
import {checkEdit} from '../../src/core/patch/plan.js';
import {loadKnowledge} from '../../src/io/knowledge-dir.js';

const {entries} = await loadKnowledge();

describe('the edits of every knowledge entry', () => {
	it('name a known edit kind with parameters that fit it', () => {
		// Given every fix of every entry
		const problems: string[] = [];
		for (const entry of entries) {
			for (const fix of entry.fixes) {
				for (const [index, edit] of fix.edits.entries()) {
					// When its edit is checked
					const problem = checkEdit(edit);
					if (problem) {
						problems.push(`${entry.id} fixes.${fix.id}.edits[${index}]: ${problem}`);
					}
				}
			}
		}

		// Then none has a problem
		assert.deepEqual(problems, []);
	});

	it('knows a kind that does not exist is a problem', () => {
		// Given an edit with a misspelt kind, and one with a missing parameter
		// Then both are named
		assert.match(checkEdit({kind: 'cargo-remove-dependancy-feature', file: 'Cargo.toml'}) ?? '', /unknown edit kind/);
		assert.match(checkEdit({kind: 'cargo-remove-dependency-feature', file: 'Cargo.toml', dependency: 'pyo3'}) ?? '', /feature/);
		assert.ok(editKinds.size >= 15);
	});
});
