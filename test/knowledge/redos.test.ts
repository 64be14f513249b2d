import assert from 'node:assert/strict';
import {after, describe, it} from 'node:test';
import {check} from 'recheck';
import {knowledge} from '../helpers/knowledge.js';
import {patternKey, readVerdicts, recheckVersion} from './redos-verdicts.js';

// Every knowledge pattern runs on untrusted, possibly huge log lines: none may backtrack
// catastrophically. recheck proves linear time or finds an attack string. Proofs are slow
// (seconds per pattern), so patterns already proven safe by this recheck version are read
// from knowledge/redos-verdicts.json (`npm run redos:record`); every other one is proven here.
const verdicts = readVerdicts();
let provenNow = 0;

describe('no knowledge pattern can backtrack catastrophically', () => {
	after(() => {
		if (provenNow > 0) {
			console.log(`redos: ${provenNow} pattern(s) proven in this run; npm run redos:record keeps the proofs`);
		}
	});

	for (const entry of knowledge) {
		it(entry.id, async () => {
			const unsafe: string[] = [];
			for (const signature of [...entry.signatures, ...entry.counterSignatures]) {
				const recorded = verdicts[patternKey(signature.pattern, signature.flags)];
				if (recorded?.status === 'safe' && recorded.recheck === recheckVersion && recorded.pattern === signature.pattern) {
					continue;
				}

				// eslint-disable-next-line no-await-in-loop
				const result = await check(signature.pattern, signature.flags, {timeout: 60_000});
				provenNow++;
				if (result.status !== 'safe') {
					const detail = result.status === 'vulnerable' ? ` (${result.complexity.type}, attack ${JSON.stringify(result.attack.pattern)})` : ` (${result.error?.kind ?? 'no proof'})`;
					unsafe.push(`${signature.id}: ${result.status}${detail}`);
				}
			}

			assert.deepEqual(unsafe, [], 'rewrite these patterns without nested or overlapping quantifiers');
		});
	}
});
