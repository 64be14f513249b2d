import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import {rankFindings} from '../../src/core/match/rank.js';
import {scanLog} from '../../src/core/match/scanner.js';
import {makeLog} from '../../bench/make-log.mjs';
import {knowledge} from '../helpers/knowledge.js';

// Output of builds that succeeded (real captures), plus the benchmark's synthetic noise.
const cleanDir = new URL('../fixtures/clean-logs/', import.meta.url);
const cleanLogs = readdirSync(cleanDir)
	.filter(name => name.endsWith('.log'))
	.map(name => ({name, text: readFileSync(new URL(name, cleanDir), 'utf8')}));
cleanLogs.push({name: 'benchmark noise', text: makeLog(0.05, '')});

describe('logs of successful builds', () => {
	for (const log of cleanLogs) {
		it(`${log.name} gives no confident finding`, () => {
			const confident = rankFindings(knowledge, scanLog(knowledge, log.text)).filter(finding => finding.confidence >= 0.5);
			assert.deepEqual(
				confident.map(finding => `${finding.diagnosis.id} ${finding.confidence}: ${finding.evidence[0]?.text}`),
				[],
			);
		});
	}

	it('send few lines to a pattern that then does not match (such work is repeated on every line of a log)', () => {
		// A literal that often appears without its pattern matching keeps the scanner busy for the
		// whole log; one whose pattern matches stops being looked for once it has its evidence.
		const lines = cleanLogs.flatMap(log => log.text.split('\n'));
		const wasteful: string[] = [];
		for (const entry of knowledge) {
			for (const signature of [...entry.compiled.signatures, ...entry.compiled.counterSignatures]) {
				for (const literal of signature.literals) {
					const misses = lines.filter(line => line.includes(literal) && !signature.regex.test(line)).length;
					if (misses > lines.length * 0.01) {
						wasteful.push(`${entry.id}/${signature.id}: "${literal}" is in ${misses} of ${lines.length} clean lines that the pattern does not match`);
					}
				}
			}
		}

		assert.deepEqual(wasteful, [], 'choose literals that carry more of the pattern');
	});

	it('rarely contain an anchor literal (a common one invites false positives)', () => {
		const lines = cleanLogs.flatMap(log => log.text.split('\n'));
		const common: string[] = [];
		for (const entry of knowledge) {
			for (const signature of entry.signatures.filter(signature => signature.role === 'anchor')) {
				for (const literal of signature.literals) {
					const count = lines.filter(line => line.includes(literal)).length;
					if (count > lines.length * 0.01) {
						common.push(`${entry.id}/${signature.id}: "${literal}" is in ${count} of ${lines.length} clean lines`);
					}
				}
			}
		}

		assert.deepEqual(common, [], 'choose a rarer literal for these anchors');
	});
});
