import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {rankFindings} from '../../src/core/match/rank.js';
import {scanLog} from '../../src/core/match/scanner.js';
import {knowledge} from '../helpers/knowledge.js';

// Real logs from public reports, labelled with the canonical ids (read-only, beside the project).
const corpusFile = path.resolve('../shared/corpus/dev.jsonl');
type Row = {id: string; class: string; log: string};
const rows: Row[] = existsSync(corpusFile)
	? readFileSync(corpusFile, 'utf8')
			.split('\n')
			.filter(line => line.trim() !== '')
			.map(line => JSON.parse(line) as Row)
	: [];

describe('labelled corpus', {skip: rows.length === 0 ? `no corpus at ${corpusFile}` : false}, () => {
	let right = 0;
	let labelled = 0;
	after(() => {
		// The figure the README quotes; printed so every run shows it.
		console.log(`corpus accuracy: ${right}/${labelled} labelled excerpts have their class as the top finding`);
	});

	for (const row of rows) {
		it(`${row.id} → ${row.class}`, () => {
			const findings = rankFindings(knowledge, scanLog(knowledge, row.log));
			if (row.class === 'none') {
				const confident = findings.filter(finding => finding.confidence >= 0.5);
				assert.deepEqual(confident.map(finding => finding.diagnosis.id), [], 'a near miss must not give a confident finding');
				return;
			}

			labelled++;
			const top = findings[0]?.diagnosis.id;
			if (top === row.class) {
				right++;
			}

			assert.equal(top, row.class, `findings: ${findings.map(finding => `${finding.diagnosis.id} ${finding.confidence}`).join(', ') || 'none'}`);
		});
	}
});
