// Proves every knowledge pattern safe with recheck and records the proofs in
// knowledge/redos-verdicts.json, so that the test suite need not prove them again.
// Proofs already recorded for the same pattern and recheck version are kept, not redone.
// Usage: npm run redos:record
import {readFileSync, writeFileSync} from 'node:fs';
import {check} from 'recheck';
import {loadKnowledge} from '../../dist/io/knowledge-dir.js';

const {createHash} = await import('node:crypto');
const key = (pattern, flags) => createHash('sha256').update(`${flags}/${pattern}`).digest('hex').slice(0, 24);
const recheckVersion = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../../node_modules/recheck/package.json', import.meta.url), 'utf8')).version;
const file = new URL('../../knowledge/redos-verdicts.json', import.meta.url);

const {entries} = await loadKnowledge();
const patterns = entries.flatMap(entry => [...entry.signatures, ...entry.counterSignatures].map(signature => ({id: `${entry.id}/${signature.id}`, pattern: signature.pattern, flags: signature.flags})));
let recorded = {};
try {
	recorded = JSON.parse(readFileSync(file, 'utf8'));
} catch {}

const verdicts = {};
const failures = [];
let next = 0;
async function worker() {
	while (next < patterns.length) {
		const {id, pattern, flags} = patterns[next++];
		const known = recorded[key(pattern, flags)];
		if (known?.status === 'safe' && known.recheck === recheckVersion && known.pattern === pattern) {
			verdicts[key(pattern, flags)] = known;
			continue;
		}

		const result = await check(pattern, flags, {timeout: 120_000});
		if (result.status === 'safe') {
			verdicts[key(pattern, flags)] = {pattern, flags, status: 'safe', checker: result.checker, recheck: recheckVersion};
		} else {
			failures.push(`${id}: ${result.status}`);
		}
	}
}

await Promise.all([worker(), worker()]);
const sorted = Object.fromEntries(Object.entries(verdicts).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`${Object.keys(verdicts).length} distinct patterns (of ${patterns.length} signatures) proven safe and recorded`);
if (failures.length > 0) {
	console.log(`not proven safe:\n  ${failures.join('\n  ')}`);
	process.exitCode = 1;
}
