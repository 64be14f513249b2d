import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import type {LoadedDiagnosis} from '../../src/core/knowledge/schema.js';
import {scanLog} from '../../src/core/match/scanner.js';
import {loadExamples} from '../../src/io/knowledge-dir.js';
import {knowledge} from '../helpers/knowledge.js';

// The ids of an entry's signatures that matched at least one line of the text.
function signaturesSeenIn(entry: LoadedDiagnosis, text: string): Set<string> {
	const hits = scanLog([entry], text).hits.get(entry.id) ?? new Map();
	return new Set([...hits].filter(([, hit]) => hit.count > 0).map(([id]) => id));
}

// `PyO3/pyo3:pyo3-build-config/src/impl_.rs@v0.30.1` → the same file in cargo's registry sources,
// when cargo has downloaded that release (pyo3's workspace crates are published one by one).
function registryFile(source: string): string | undefined {
	const match = /^PyO3\/pyo3:(?:(?<crate>pyo3-(?:build-config|ffi|macros|macros-backend))\/)?(?<file>[^@]+)@v(?<version>[\d.]+)$/.exec(source);
	if (!match?.groups) {
		return undefined;
	}

	const registry = path.join(process.env.CARGO_HOME ?? path.join(homedir(), '.cargo'), 'registry', 'src');
	const indexes = existsSync(registry) ? readdirSync(registry) : [];
	const crate = `${match.groups.crate ?? 'pyo3'}-${match.groups.version}`;
	return indexes.map(index => path.join(registry, index, crate, match.groups!.file!)).find(file => existsSync(file));
}

describe('every signature says where its wording comes from', () => {
	for (const entry of knowledge) {
		const examples = loadExamples(entry.dir);
		const seen = new Map(examples.map(example => [path.relative(entry.dir, example.file), signaturesSeenIn(entry, example.text)]));

		it(`${entry.id}: no dead signature (each matches one of the entry's example logs)`, () => {
			const dead = entry.signatures.filter(signature => ![...seen.values()].some(ids => ids.has(signature.id))).map(signature => signature.id);
			assert.deepEqual(dead, [], `add a real log that shows them to ${entry.dir}/examples/match/, or drop them`);
		});

		it(`${entry.id}: each provenance log exists and shows its signature`, () => {
			const wrong = entry.signatures
				.filter(signature => signature.provenance.log !== undefined)
				.filter(signature => !seen.get(signature.provenance.log!)?.has(signature.id))
				.map(signature => `${signature.id} → ${signature.provenance.log}`);
			assert.deepEqual(wrong, [], 'the log is missing or the signature does not match it');
		});
	}

	it('each entry records the releases its claims were checked against', () => {
		const unchecked = knowledge.filter(entry => !entry.checkedAgainst?.length).map(entry => entry.id);
		assert.deepEqual(unchecked, [], 'read the entry against the sources and add checkedAgainst: [pyo3@v…, maturin@v…, nixpkgs@…]');
	});

	const checkable = knowledge.flatMap(entry =>
		entry.signatures.flatMap(signature => {
			const file = signature.provenance.source ? registryFile(signature.provenance.source) : undefined;
			return file ? [{entry, signature, file}] : [];
		}),
	);
	it(`source files that cargo has downloaded contain the wording (${checkable.length} checked)`, {skip: checkable.length === 0 && 'no cited pyo3 release in the cargo registry'}, () => {
		const missing = checkable
			.filter(({signature, file}) => {
				// Rust splits long messages with `\` line continuations; join them as the compiler does.
				const text = readFileSync(file, 'utf8').replaceAll(/\\\n\s*/g, '');
				return !signature.literals.some(literal => text.includes(literal));
			})
			.map(({entry, signature}) => `${entry.id}/${signature.id}: ${signature.provenance.source}`);
		assert.deepEqual(missing, [], 'none of the literals appears in the cited file');
	});
});
