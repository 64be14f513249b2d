import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {normalizeLog} from '../../src/core/match/normalize.js';
import {rankFindings} from '../../src/core/match/rank.js';
import {LogScanner, scanLog} from '../../src/core/match/scanner.js';
import {knowledge} from '../helpers/knowledge.js';

// Pieces that real logs are made of, mixed with arbitrary text, so that the fuzzer reaches
// the interesting paths (escapes, CR redraws, prefixes, real error lines) quickly.
const fragment = fc.oneof(
	fc.string({unit: 'binary', maxLength: 40}),
	fc.constantFrom(
		'\n', '\r', '\r\n', '\u001B[31m', '\u001B[0m', '\u001B]8;;x\u0007', '\u001B', '> ', '       > ', 'pkg> ',
		'2024-05-01T10:20:30.1Z ', '\uFFFD', '\u0000', 'rust-lld: error: undefined symbol: PyExc_TypeError',
		"undefined reference to `Py_IsInitialized'", 'error: linker `cc` not found', 'libpython3.12.so.1.0',
	),
);
const logText = fc.array(fragment, {maxLength: 60}).map(parts => parts.join(''));

describe('fuzzing the normaliser and the matcher', () => {
	it('never throws, and keeps one normalised line per input line', () => {
		fc.assert(
			fc.property(logText, text => {
				assert.equal(normalizeLog(text).length, text.split('\n').length);
			}),
			{numRuns: 500},
		);
	});

	it('reports evidence only on lines that exist, whatever the input', () => {
		fc.assert(
			fc.property(logText, text => {
				const scan = scanLog(knowledge, text);
				for (const finding of rankFindings(knowledge, scan)) {
					assert.ok(finding.confidence > 0 && finding.confidence <= 1);
					for (const evidence of finding.evidence) {
						assert.ok(evidence.line >= 1 && evidence.line <= scan.lines, `line ${evidence.line} of ${scan.lines}`);
					}
				}
			}),
			{numRuns: 500},
		);
	});

	it('does not depend on where the input is cut into chunks', () => {
		fc.assert(
			fc.property(logText, fc.array(fc.nat(), {maxLength: 8}), (text, cuts) => {
				const scanner = new LogScanner(knowledge);
				let start = 0;
				for (const cut of [...cuts].map(value => value % (text.length + 1)).sort((a, b) => a - b)) {
					scanner.feed(text.slice(start, cut));
					start = cut;
				}

				scanner.feed(text.slice(start));
				assert.deepEqual(rankFindings(knowledge, scanner.end()), rankFindings(knowledge, scanLog(knowledge, text)));
			}),
			{numRuns: 300},
		);
	});
});
