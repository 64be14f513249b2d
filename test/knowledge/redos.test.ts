import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {check} from 'recheck';
import {knowledge} from '../helpers/knowledge.js';

// Every knowledge pattern runs on untrusted, possibly huge log lines: none may backtrack
// catastrophically. recheck proves linear time or finds an attack string.
describe('no knowledge pattern can backtrack catastrophically', () => {
	for (const entry of knowledge) {
		it(entry.id, async () => {
			const patterns = [...entry.signatures, ...entry.counterSignatures];
			const verdicts = await Promise.all(
				patterns.map(async signature => ({id: signature.id, result: await check(signature.pattern, signature.flags, {timeout: 10_000})})),
			);
			const unsafe = verdicts
				.filter(verdict => verdict.result.status !== 'safe')
				.map(verdict => `${verdict.id}: ${verdict.result.status}${verdict.result.status === 'vulnerable' ? ` (${verdict.result.complexity.type}, attack ${JSON.stringify(verdict.result.attack.pattern)})` : ''}`);
			assert.deepEqual(unsafe, []);
		});
	}
});
