import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {parse as parseYaml} from 'yaml';
import type {Condition} from '../../src/core/knowledge/schema.js';
import {rankFindings} from '../../src/core/match/rank.js';
import {scanLog} from '../../src/core/match/scanner.js';
import {loadExamples} from '../../src/io/knowledge-dir.js';
import {knowledge, knowledgeBase} from '../helpers/knowledge.js';
import {canonicalIds} from './canonical-ids.js';

const factCatalogue = parseYaml(readFileSync(new URL('../../knowledge/facts.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;

function factsIn(condition: Condition): string[] {
	if ('all' in condition) {
		return condition.all.flatMap(factsIn);
	}

	if ('any' in condition) {
		return condition.any.flatMap(factsIn);
	}

	if ('not' in condition) {
		return factsIn(condition.not);
	}

	return [condition.fact];
}

describe('knowledge base', () => {
	it('loads every entry without a problem', () => {
		assert.deepEqual(knowledgeBase.problems, []);
	});

	it('has an entry for every canonical id', () => {
		const ids = new Set(knowledge.map(entry => entry.id));
		const missing = canonicalIds.filter(id => !ids.has(id));
		assert.deepEqual(missing, [], `add knowledge/diagnoses/<id>/diagnosis.yaml for: ${missing.join(', ')}`);
	});

	it('agrees with the knowledge brief when it is present', {skip: !existsSync(path.resolve('../shared/knowledge-brief.md'))}, () => {
		const brief = readFileSync(path.resolve('../shared/knowledge-brief.md'), 'utf8');
		const briefIds = [...brief.matchAll(/^\| ([a-z\d-]+) \|/gm)].map(match => match[1]).filter(id => id !== 'id');
		assert.deepEqual([...briefIds].sort(), [...canonicalIds].sort());
	});

	it('refers only to facts the probes declare', () => {
		const unknown: string[] = [];
		for (const entry of knowledge) {
			const conditions = [
				...entry.facts.map(rule => rule.when),
				...(entry.provenBy ? [entry.provenBy.when] : []),
				...entry.fixes.flatMap(fix => (fix.appliesWhen ? [fix.appliesWhen] : [])),
			];
			for (const fact of conditions.flatMap(factsIn)) {
				if (!(fact in factCatalogue)) {
					unknown.push(`${entry.id}: ${fact}`);
				}
			}
		}

		assert.deepEqual(unknown, [], 'declare these in knowledge/facts.yaml or fix the name');
	});
});

describe('every entry matches its own examples', () => {
	for (const entry of knowledge) {
		const examples = loadExamples(entry.dir);
		it(`${entry.id} has positive and near-miss negative examples`, () => {
			assert.ok(examples.some(example => example.expect === 'match'), `add ${entry.dir}/examples/match/<name>.log`);
			assert.ok(examples.some(example => example.expect === 'no-match'), `add ${entry.dir}/examples/no-match/<name>.log`);
		});

		for (const example of examples) {
			const name = path.relative(entry.dir, example.file);
			it(`${entry.id}: ${name}`, () => {
				const findings = rankFindings(knowledge, scanLog(knowledge, example.text));
				if (example.expect === 'match') {
					assert.equal(findings[0]?.diagnosis.id, entry.id, `top finding was ${findings.map(f => `${f.diagnosis.id} ${f.confidence}`).join(', ') || 'nothing'}`);
				} else {
					const own = findings.find(finding => finding.diagnosis.id === entry.id);
					assert.ok(!own || own.confidence < 0.5, `near miss gave ${entry.id} with confidence ${own?.confidence}`);
				}
			});
		}
	}
});
