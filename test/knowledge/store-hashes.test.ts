import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';

// Nix names store paths with 32 characters of its own base32 alphabet, which leaves out
// e, o, u and t. A store path in a log that breaks that rule was typed by hand, and a log
// typed by hand is not evidence that a wording is real.
const nixBase32Hash = /^[0-9abcdfghijklmnpqrsvwxyz]{32}$/;
const storePath = /\/nix\/store\/([^/\s"'`-]*)-/g;

// Hashes that a poster shortened in the thread itself: the row keeps the log as posted.
const redactedByPoster = new Map([
	['test/corpus/public.jsonl cached-nix-shell-24', ['xxx']], // https://github.com/xzfc/cached-nix-shell/issues/24
]);

/** The store hashes in a text that do not follow Nix's rule, each once. */
export function badStoreHashes(text: string): string[] {
	const bad = new Set<string>();
	for (const match of text.matchAll(storePath)) {
		if (!nixBase32Hash.test(match[1]!)) {
			bad.add(match[1]!);
		}
	}

	return [...bad];
}

function logsUnder(folder: string): string[] {
	if (!existsSync(folder)) {
		return [];
	}

	return readdirSync(folder, {recursive: true, encoding: 'utf8'})
		.filter(name => name.endsWith('.log'))
		.map(name => path.join(folder, name))
		.sort();
}

/** Every log text the knowledge is tested or fitted on, named by where it is kept. */
function evidenceTexts(): Array<{name: string; text: string}> {
	const texts: Array<{name: string; text: string}> = [];
	for (const file of [...logsUnder('knowledge/diagnoses'), ...logsUnder('test/real/logs')]) {
		texts.push({name: file, text: readFileSync(file, 'utf8')});
	}

	for (const corpus of readdirSync('test/corpus').filter(name => name.endsWith('.jsonl')).sort()) {
		const lines = readFileSync(path.join('test/corpus', corpus), 'utf8').split('\n').filter(line => line.trim() !== '');
		for (const line of lines) {
			const row = JSON.parse(line) as {id: string; log: string};
			texts.push({name: `test/corpus/${corpus} ${row.id}`, text: row.log});
		}
	}

	return texts;
}

describe('Nix store paths in evidence logs', () => {
	it('tells a real store hash from a typed one', () => {
		assert.deepEqual(badStoreHashes('/nix/store/b0b6pq6w0h8a5b2ql8f3kxw0z6xkk6wb-clang-wrapper-16.0.6/bin'), []);
		assert.deepEqual(badStoreHashes('/nix/store/q1w3e5r7t9y1u3i5o7p9a1s3d5f7g9h1-python3'), ['q1w3e5r7t9y1u3i5o7p9a1s3d5f7g9h1']);
		assert.deepEqual(badStoreHashes('/nix/store/xxx-source'), ['xxx']);
		assert.deepEqual(badStoreHashes('/nix/store/0b8qzkx2c3yq4lg5m0b7a3r9h6wxa1d-vendor'), ['0b8qzkx2c3yq4lg5m0b7a3r9h6wxa1d']);
	});

	it('use only hashes Nix could have made (32 characters of its base32 alphabet)', () => {
		// Given every example log, corpus row and real-suite capture
		// When their store paths are read
		const texts = evidenceTexts();
		const offenders = texts
			.map(({name, text}) => ({name, bad: badStoreHashes(text).filter(hash => !redactedByPoster.get(name)?.includes(hash))}))
			.filter(({bad}) => bad.length > 0)
			.map(({name, bad}) => `${name}: ${bad.join(', ')}`);
		// Then each hash is one Nix could have written
		assert.deepEqual(offenders, []);
	});

	it('name only redactions that are still there', () => {
		const texts = new Map(evidenceTexts().map(({name, text}) => [name, text]));
		const stale = [...redactedByPoster]
			.filter(([name, hashes]) => !hashes.every(hash => badStoreHashes(texts.get(name) ?? '').includes(hash)))
			.map(([name]) => name);
		assert.deepEqual(stale, []);
	});
});
