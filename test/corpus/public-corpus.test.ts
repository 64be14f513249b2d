import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {corpusPart, heldBackPercent, parseCorpus, threadOf, type CorpusRow} from '../../src/core/match/corpus.js';
import {figuresOf, isRight, outcomeOf, type Outcome} from '../../src/core/match/fit.js';
import {scanLog} from '../../src/core/match/scanner.js';
import {canonicalIds} from '../knowledge/canonical-ids.js';
import {knowledge} from '../helpers/knowledge.js';

// Real logs taken from public threads (test/corpus/public.jsonl), split by thread into a tuning
// part and a held-back part that no weight, literal or pattern is tuned on (see README).
const rows = parseCorpus(readFileSync(path.resolve('test/corpus/public.jsonl'), 'utf8'), 'test/corpus/public.jsonl');
const devFile = path.resolve('../shared/corpus/dev.jsonl');
const devRows = existsSync(devFile) ? parseCorpus(readFileSync(devFile, 'utf8'), devFile) : [];

// The held-back guards are the figures last measured (README), not targets: the target is 0.97
// and no near miss at 0.5. They fail when a change makes the unseen logs fare worse.
const heldBackFloor = 0.78;
const heldBackNearMissesConfident = 6;
// Two tuning near misses read, line for line, like their class, so they are counted, not tuned
// away: a vendored crate's own build code panicking on its read-only /nix/store source (worded as
// inherited read-only artifacts are), and a stray shared object without PyInit_<name> shadowing a
// script (worded as a misnamed #[pymodule] is).
const tuningNearMissesConfident = 2;

const share = (part: number, whole: number) => `${part}/${whole} = ${(part / whole).toFixed(3)}`;

describe('the public corpus is well formed', () => {
	it('labels every row with a canonical id or none, and names its source', () => {
		// Given every row of the corpus
		const known = new Set<string>([...canonicalIds, 'none']);
		// When each is checked for the fields a row must have
		const broken = rows.filter(
			(row: CorpusRow) => !known.has(row.class) || !/^https:\/\/\S+$/.test(row.source_url) || row.platform.trim() === '' || row.log.trim() === '',
		);
		// Then none lacks a label, a source URL, a platform or a log, and ids are unique
		assert.deepEqual(broken.map(row => row.id), []);
		assert.equal(new Set(rows.map(row => row.id)).size, rows.length, 'row ids must be unique');
	});

	it('holds back at least 30 % of the rows, by thread, and shares no thread with the dev corpus', () => {
		// Given the split made by thread
		const heldBack = rows.filter(row => corpusPart(row.source_url) === 'held-back');
		const devThreads = new Set(devRows.map(row => threadOf(row.source_url)));
		// When the parts are counted and compared with the dev corpus (which the weights learn from)
		const shared = rows.filter(row => devThreads.has(threadOf(row.source_url)));
		// Then the held-back part is large enough and no dev thread can leak into it
		assert.ok(heldBack.length / rows.length >= 0.3, `held back ${share(heldBack.length, rows.length)} (target ${heldBackPercent} %)`);
		assert.deepEqual(shared.map(row => row.id), []);
	});
});

for (const part of ['tuning', 'held-back'] as const) {
	describe(`public corpus, ${part} part`, () => {
		const partRows = rows.filter(row => corpusPart(row.source_url) === part);
		const outcomes: Outcome[] = [];
		after(() => {
			const figures = figuresOf(outcomes);
			console.log(
				`public corpus ${part}: top-1 (right class first and ≥ 0.5) ${share(figures.topOne, figures.labelled)}; ` +
					`near misses ≥ 0.5 ${figures.nearMissesConfident}/${figures.nearMisses}; ` +
					`findings ≥ 0.5 right ${share(figures.confidentRight, figures.confidentFindings)}; ` +
					`right top findings ≥ 0.5 ${share(figures.rightTopConfident, figures.rightTop)}`,
			);
		});

		it('gives no more near misses a confident finding than measured', () => {
			// Given the logs that look like a known class but are not one
			// When each is diagnosed with the shipped knowledge
			const confident = partRows
				.filter(row => row.class === 'none')
				.map(row => ({row, outcome: outcomeOf(knowledge, scanLog(knowledge, row.log), 'none')}))
				.filter(({outcome}) => !isRight(outcome));
			// Then no more reach 0.5 than measured (the README gives both counts and the target, none);
			// on the held-back part the message names no row, so that a failure cannot be tuned on
			if (part === 'tuning') {
				assert.ok(
					confident.length <= tuningNearMissesConfident,
					confident.map(({row, outcome}) => `${row.id}: ${outcome.confident.join(', ')}`).join('; '),
				);
			} else {
				assert.ok(confident.length <= heldBackNearMissesConfident, `${confident.length} held-back near misses reach 0.5 (guard ${heldBackNearMissesConfident})`);
			}
		});

		it(`puts the right class first at ≥ 0.5 for ${part === 'tuning' ? '98' : '78'} % or more of the labelled logs`, () => {
			// Given the labelled logs of this part
			for (const row of partRows) {
				outcomes.push(outcomeOf(knowledge, scanLog(knowledge, row.log), row.class));
			}

			// When the share whose class comes first at 0.5 or more is taken
			const figures = figuresOf(outcomes);
			// Then it reaches the floor: 0.98 where the weights were fitted; on the held-back part
			// the floor guards the measured figure (the README gives it and the 0.97 target)
			const floor = part === 'tuning' ? 0.98 : heldBackFloor;
			const wrong = outcomes.filter(outcome => outcome.label !== 'none' && !isRight(outcome)).length;
			assert.ok(figures.topOne / figures.labelled >= floor, `${share(figures.topOne, figures.labelled)} below ${floor} (${wrong} wrong)`);
		});
	});
}
