import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {parseCorpus} from '../../src/core/match/corpus.js';
import {rankFindings} from '../../src/core/match/rank.js';
import {scanLog} from '../../src/core/match/scanner.js';
import {knowledge} from '../helpers/knowledge.js';

// Real logs from public reports, labelled with the canonical ids (read-only, beside the project).
const corpusFile = path.resolve('../shared/corpus/dev.jsonl');
const rows = existsSync(corpusFile) ? parseCorpus(readFileSync(corpusFile, 'utf8'), corpusFile) : [];

describe('labelled dev corpus', {skip: rows.length === 0 ? `no corpus at ${corpusFile}` : false}, () => {
	let right = 0;
	let labelled = 0;
	after(() => {
		// The figure the README quotes; printed so every run shows it.
		console.log(`dev corpus: ${right}/${labelled} labelled logs have their class first at confidence ≥ 0.5`);
	});

	for (const row of rows) {
		it(`${row.id} → ${row.class}`, () => {
			// Given a real log from a public report
			// When it is diagnosed with the shipped knowledge and no probe facts
			const findings = rankFindings(knowledge, scanLog(knowledge, row.log));
			const shown = findings.map(finding => `${finding.diagnosis.id} ${finding.confidence}`).join(', ') || 'none';
			if (row.class === 'none') {
				// Then a near miss gives no confident finding
				const confident = findings.filter(finding => finding.confidence >= 0.5);
				assert.deepEqual(confident.map(finding => finding.diagnosis.id), [], 'a near miss must not give a confident finding');
				return;
			}

			// Then its class comes first, and confidently: "possible" is not a diagnosis
			labelled++;
			assert.equal(findings[0]?.diagnosis.id, row.class, `findings: ${shown}`);
			assert.ok(findings[0]!.confidence >= 0.5, `the right class is first but at ${findings[0]!.confidence}: ${shown}`);
			right++;
		});
	}
});
