import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {corpusFiles, trainingLogs} from '../../src/build/training-logs.js';
import {fitAll, type FittedWeights} from '../../src/core/match/fit.js';
import {defaultKnowledgeDir, fittedFileName, loadKnowledge} from '../../src/io/knowledge-dir.js';

// The weights beside each entry (fitted.json) must be what `npm run knowledge:fit` gives for the
// knowledge and the labelled logs as they are now: a changed signature, example or corpus row
// without a re-fit fails here.
const {entries: handWeighted} = await loadKnowledge(defaultKnowledgeDir, undefined, {fitted: false});
const summary = JSON.parse(readFileSync(path.join(defaultKnowledgeDir, 'fit.json'), 'utf8')) as {priorWidth: number};
const devCorpus = path.resolve(corpusFiles.dev);

describe('fitted weights are up to date', {skip: existsSync(devCorpus) ? false : `the dev corpus (${devCorpus}) takes part in the fit`}, () => {
	const fitted = fitAll(handWeighted, trainingLogs(handWeighted, path.resolve('.')), summary.priorWidth);

	for (const entry of handWeighted) {
		it(entry.id, () => {
			// Given the fitted.json stored beside the entry
			const file = path.join(entry.dir, fittedFileName);
			assert.ok(existsSync(file), `${file} is missing: run npm run knowledge:fit`);
			const stored = JSON.parse(readFileSync(file, 'utf8')) as FittedWeights;
			// When the weights are fitted again from the same knowledge and logs
			const expected = fitted.get(entry.id)!;
			// Then every signature has a stored weight, equal to the re-fitted one
			const stale = [
				...Object.entries(expected.signatures).map(([id, weight]) => ({id, stored: stored.signatures[id], weight})),
				...Object.entries(expected.counterSignatures).map(([id, weight]) => ({id, stored: stored.counterSignatures[id], weight})),
				...Object.entries(expected.closeness ?? {}).map(([id, weight]) => ({id: `${id} (closeness)`, stored: stored.closeness?.[id], weight})),
			].filter(({stored, weight}) => stored === undefined || Math.abs(stored - weight) > 0.002);
			const unknown = [...Object.keys(stored.signatures), ...Object.keys(stored.counterSignatures)].filter(
				id => !(id in expected.signatures) && !(id in expected.counterSignatures),
			);
			assert.deepEqual(
				{stale: stale.map(({id, stored, weight}) => `${id}: stored ${stored}, fitted ${weight}`), unknown},
				{stale: [], unknown: []},
				'run npm run knowledge:fit',
			);
		});
	}
});
