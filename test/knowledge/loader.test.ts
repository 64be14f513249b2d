import assert from 'node:assert/strict';
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {loadKnowledge} from '../../src/io/knowledge-dir.js';
import {knowledge} from '../helpers/knowledge.js';

describe('loading a knowledge base with a broken entry', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-knowledge-'));
	after(() => rmSync(dir, {recursive: true, force: true}));
	cpSync(new URL('../../knowledge', import.meta.url), dir, {recursive: true});
	const first = knowledge[0]!.id;
	const second = knowledge[1]?.id;

	it('names the file and the field of a typo, and keeps the other entries', async () => {
		// Given an entry whose weight was mistyped as a string
		const file = path.join(dir, 'diagnoses', first, 'diagnosis.yaml');
		
		writeFileSync(file, readFileSync(file, 'utf8').replace(/weight: [\d.]+/, 'weight: high'));
		// When the knowledge base loads
		const result = await loadKnowledge(dir);
		// Then the problem names the file and the field, and every other entry still loads
		assert.equal(result.problems.length, 1);
		assert.match(result.problems[0]!.file, new RegExp(`${first}/diagnosis\\.yaml$`));
		assert.match(result.problems[0]!.field, /^signatures\[\d+\]\.weight$/);
		assert.equal(result.entries.length, knowledge.length - 1);
	});

	it('reports broken YAML and an id that differs from its folder', {skip: !second}, async () => {
		writeFileSync(path.join(dir, 'diagnoses', first, 'diagnosis.yaml'), 'id: [unclosed\n');
		const file = path.join(dir, 'diagnoses', second!, 'diagnosis.yaml');
		
		writeFileSync(file, readFileSync(file, 'utf8').replace(/^id: .*$/m, 'id: some-other-id'));
		const result = await loadKnowledge(dir);
		assert.ok(result.problems.some(problem => problem.field === '(file)' && /not valid YAML/.test(problem.message)));
		assert.ok(result.problems.some(problem => problem.field === 'id' && /folder/.test(problem.message)));
	});
});
