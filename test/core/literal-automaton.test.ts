import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {LiteralAutomaton} from '../../src/core/match/literal-automaton.js';

describe('the literal automaton', () => {
	const literals = ['he', 'she', 'his', 'hers', 'undefined symbol: ', '📦 Built'];
	const automaton = new LiteralAutomaton(literals);

	it('finds overlapping literals and literals inside others', () => {
		assert.deepEqual([...automaton.literalsIn('ushers')].sort(), [0, 1, 3]);
		assert.deepEqual([...automaton.literalsIn('xhisx')], [2]);
	});

	it('returns the position just past the first occurrence, or -1', () => {
		assert.equal(automaton.findFrom('abc she', 0), 7);
		assert.equal(automaton.findFrom('abc she', 6), -1);
		assert.equal(automaton.findFrom('nothing here', 0), 10, '"he" in "here"');
		assert.equal(automaton.findFrom('nothing', 0), -1);
	});

	it('never misses a literal with characters outside ASCII', () => {
		assert.ok(automaton.literalsIn('🍹 📦 Built wheel').has(5));
	});

	it('agrees with String.includes on arbitrary text (a prefilter may only over-report non-ASCII)', () => {
		fc.assert(
			fc.property(fc.array(fc.string({minLength: 1, maxLength: 5}), {minLength: 1, maxLength: 8}), fc.string({maxLength: 60}), (words, text) => {
				const found = new LiteralAutomaton(words).literalsIn(text);
				for (const [index, word] of words.entries()) {
					if (text.includes(word)) {
						assert.ok(found.has(index), `missed ${JSON.stringify(word)} in ${JSON.stringify(text)}`);
					}
				}
			}),
			{numRuns: 1000},
		);
	});
});
