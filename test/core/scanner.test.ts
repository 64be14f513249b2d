import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {rankFindings} from '../../src/core/match/rank.js';
import {LogScanner, scanLog} from '../../src/core/match/scanner.js';
import {makeEntry} from '../helpers/entry.js';

const linkEntry = makeEntry({
	id: 'link-thing',
	summary: 'cannot find python {{version}}',
	signatures: [
		{id: 'cannot-find', literals: ['cannot find -lpython', 'unable to find library -lpython'], pattern: '(?:cannot find|unable to find library) -lpython(?<version>3\\.\\d+)', weight: 0.7},
		{id: 'auto-init', role: 'context', literals: ['auto-initialize'], pattern: 'auto-initialize', weight: 0.5},
	],
	counterSignatures: [{id: 'maturin', literals: ['maturin failed'], pattern: 'maturin failed', penalty: 0.9}],
	facts: [
		{when: {fact: 'python.selected.sharedLibpython', equals: false}, effect: 'confirm', weight: 0.5, says: 'no shared libpython for {{python.selected.version}}'},
		{when: {fact: 'python.selected.libpythonExists', equals: true}, effect: 'refute', weight: 0.5, says: 'libpython exists'},
	],
});
const otherEntry = makeEntry({
	id: 'cc-missing',
	priority: 100,
	signatures: [{id: 'no-cc', literals: ['not found'], pattern: "linker [`']cc[`'] not found", weight: 0.7}],
});
const knowledge = [linkEntry, otherEntry];

const log = [
	'   Compiling pyo3 v0.22.6',
	'\u001B[31merror\u001B[0m: linking with `cc` failed: exit status: 1',
	'  = note: rust-lld: error: unable to find library -lpython3.12',
	'some noise',
	'error: linker `cc` not found',
	'',
].join('\n');

describe('scanning a log', () => {
	it('finds each class with its evidence line numbers and captures', () => {
		const findings = rankFindings(knowledge, scanLog(knowledge, log));
		assert.deepEqual(
			findings.map(finding => [finding.diagnosis.id, finding.confidence, finding.evidence.map(evidence => evidence.line)]),
			[
				['cc-missing', 0.7, [5]],
				['link-thing', 0.7, [3]],
			],
		);
		assert.equal(findings[1]!.summary, 'cannot find python 3.12');
		assert.equal(findings[1]!.captures.version, '3.12');
	});

	it('gives the same result however the log is cut into chunks', () => {
		const whole = scanLog(knowledge, log);
		for (const size of [1, 2, 3, 7, 64]) {
			const scanner = new LogScanner(knowledge);
			for (let start = 0; start < log.length; start += size) {
				scanner.feed(log.slice(start, start + size));
			}

			const chunked = scanner.end();
			assert.equal(chunked.lines, whole.lines);
			assert.deepEqual(rankFindings(knowledge, chunked), rankFindings(knowledge, whole), `chunk size ${size}`);
		}
	});

	it('counts the last line even without a final newline', () => {
		const scan = scanLog(knowledge, 'a\nb\nerror: linker `cc` not found');
		assert.equal(scan.lines, 3);
		assert.equal(rankFindings(knowledge, scan)[0]?.evidence[0]?.line, 3);
	});

	it('raises no finding from context signatures alone', () => {
		assert.deepEqual(rankFindings(knowledge, scanLog(knowledge, 'the auto-initialize feature is on\n')), []);
	});

	it('adds context, subtracts counter-signatures', () => {
		const withContext = rankFindings(knowledge, scanLog(knowledge, `${log}feature auto-initialize\n`));
		assert.equal(withContext.find(finding => finding.diagnosis.id === 'link-thing')?.confidence, 0.85);
		const withCounter = rankFindings(knowledge, scanLog(knowledge, `${log}💥 maturin failed\n`));
		assert.equal(withCounter.find(finding => finding.diagnosis.id === 'link-thing'), undefined, '0.7 × 0.1 falls under the reporting floor');
	});

	it('lets facts confirm or refute, and says what they showed', () => {
		const confirmed = rankFindings(knowledge, scanLog(knowledge, log), {python: {selected: {sharedLibpython: false, version: '3.12'}}});
		const link = confirmed.find(finding => finding.diagnosis.id === 'link-thing')!;
		assert.equal(link.confidence, 0.85);
		assert.deepEqual(link.factEvidence, [{effect: 'confirm', says: 'no shared libpython for 3.12'}]);
		assert.equal(confirmed[0]!.diagnosis.id, 'link-thing', 'confirmed by facts, it now ranks first');

		const refuted = rankFindings(knowledge, scanLog(knowledge, log), {python: {selected: {libpythonExists: true}}});
		assert.equal(refuted.find(finding => finding.diagnosis.id === 'link-thing')?.confidence, 0.35);
	});

	it('breaks confidence ties by priority', () => {
		const findings = rankFindings(knowledge, scanLog(knowledge, log));
		assert.equal(findings[0]!.diagnosis.priority, 100);
	});

	it('clips evidence from a huge line to a readable window around the match', () => {
		const huge = `${'x'.repeat(5_000_000)} error: linker \`cc\` not found ${'y'.repeat(5_000_000)}\n`;
		const [finding] = rankFindings(knowledge, scanLog(knowledge, huge));
		assert.equal(finding?.diagnosis.id, 'cc-missing');
		assert.ok(finding.evidence[0]!.text.length < 500);
		assert.match(finding.evidence[0]!.text, /linker `cc` not found/);
	});

	it('finds a match inside a CR progress line and after Nix prefixes', () => {
		const nixLog = 'last 10 log lines:\n       > Building [==> ] 3/9\rerror: linker `cc` not found\n';
		const [finding] = rankFindings(knowledge, scanLog(knowledge, nixLog));
		assert.deepEqual(finding?.evidence.map(evidence => [evidence.line, evidence.text]), [[2, 'error: linker `cc` not found']]);
	});
});
