import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {runCli} from '../helpers/cli.js';

const sample = readFileSync(new URL('../../knowledge/diagnoses/extension-module-in-binary/examples/match/rust-lld-cargo-test.log', import.meta.url), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-cli-'));
after(() => rmSync(dir, {recursive: true, force: true}));

function file(name: string, content: string | Buffer): string {
	const full = path.join(dir, name);
	writeFileSync(full, content);
	return full;
}

describe('pyo3-doctor diagnose', () => {
	it('diagnoses a piped log as plain text when stdout is not a terminal', () => {
		const result = runCli(['diagnose', '--no-probe'], {input: sample});
		assert.equal(result.status, 0, result.stderr);
		assert.match(result.stdout, /\[extension-module-in-binary\]/);
		assert.match(result.stdout, /line 7: .*undefined symbol: PyExc_TypeError/);
		assert.doesNotMatch(result.stdout, /\u001B\[/, 'no colour in a pipe');
	});

	it('prints one JSON object and nothing else with --json', () => {
		const result = runCli(['diagnose', '--json', '--no-probe', file('sample.log', sample)]);
		assert.equal(result.status, 0, result.stderr);
		const output = JSON.parse(result.stdout) as {schemaVersion: number; diagnoses: Array<{id: string; confidence: number; evidence: Array<{line: number; text: string}>; fixes: unknown[]}>};
		assert.equal(output.schemaVersion, 1);
		assert.equal(output.diagnoses[0]?.id, 'extension-module-in-binary');
		assert.ok(output.diagnoses[0]!.confidence > 0.5 && output.diagnoses[0]!.confidence <= 1);
		assert.ok(output.diagnoses[0]!.evidence.some(evidence => evidence.line === 7));
		assert.ok(output.diagnoses[0]!.fixes.length > 0);
	});

	it('says plainly when nothing matches and points to check', () => {
		const result = runCli(['diagnose', '--no-probe', file('clean.log', '   Compiling serde v1.0.0\n    Finished dev [unoptimized] target(s)\n')]);
		assert.equal(result.status, 0);
		assert.match(result.stdout, /No known PyO3\/maturin\/Nix failure found/);
		assert.match(result.stdout, /pyo3-doctor check/);
	});

	it('names the lines read as the failure when no class reaches the threshold, also in --json', () => {
		const log = file('unknown.log', '   Compiling demo v0.1.0\nerror: could not compile `demo` (lib) due to 1 previous error\n');
		const text = runCli(['diagnose', '--no-probe', log]);
		assert.match(text.stdout, /These lines read as the failure:\n {2}line 2: error: could not compile/);
		const json = JSON.parse(runCli(['diagnose', '--json', '--no-probe', log]).stdout) as {diagnoses: unknown[]; unmatched: {failureLines: Array<{line: number}>}};
		assert.deepEqual(json.diagnoses, []);
		assert.deepEqual(json.unmatched.failureLines.map(line => line.line), [2]);
	});

	it('reads ANSI colour, CRLF line ends and invalid UTF-8', () => {
		const coloured = `\u001B[1m\u001B[31merror\u001B[0m: x\r\n${sample.replaceAll('\n', '\r\n')}`;
		const bytes = Buffer.concat([Buffer.from([0xC3, 0x28, 0xFF, 0x0A]), Buffer.from(coloured)]);
		const result = runCli(['diagnose', '--json', '--no-probe', file('messy.log', bytes)]);
		assert.equal(result.status, 0, result.stderr);
		assert.equal((JSON.parse(result.stdout) as {diagnoses: Array<{id: string}>}).diagnoses[0]?.id, 'extension-module-in-binary');
	});

	it('handles one 10 MB line', () => {
		const result = runCli(['diagnose', '--json', '--no-probe', file('long-line.log', `${'x'.repeat(10 * 1024 * 1024)}\n${sample}`)]);
		assert.equal(result.status, 0, result.stderr);
		assert.equal((JSON.parse(result.stdout) as {input: {lines: number}}).input.lines, sample.split('\n').length);
	});

	const unreadable: Array<[string, () => string[], RegExp]> = [
		['a missing file', () => ['diagnose', path.join(dir, 'nope.log')], /no such file/],
		['a directory', () => ['diagnose', dir], /is a directory/],
		['a binary file', () => ['diagnose', file('core.bin', Buffer.from([0x7F, 0x45, 0x4C, 0x46, 0, 0, 0, 1, 2, 3, 0, 0]))], /binary/],
		['an empty log', () => ['diagnose', file('empty.log', '')], /empty/],
	];
	for (const [name, args, message] of unreadable) {
		it(`refuses ${name} with exit 3 and a clear message, no stack trace`, () => {
			const result = runCli([...args(), '--no-probe']);
			assert.equal(result.status, 3);
			assert.match(result.stderr, message);
			assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
			assert.equal(result.stdout, '');
		});
	}

	it('treats a closed or empty stdin as an empty log', () => {
		const result = runCli(['diagnose', '--no-probe'], {stdio: ['ignore', 'pipe', 'pipe']});
		assert.equal(result.status, 3);
		assert.match(result.stderr, /empty/);
	});

	it('rejects unknown options and extra arguments with exit 2', () => {
		assert.equal(runCli(['diagnose', '--frobnicate']).status, 2);
		assert.equal(runCli(['diagnose', 'a.log', 'b.log']).status, 2);
		assert.equal(runCli(['no-such-command']).status, 2);
	});

	it('names a broken knowledge file and field, and still diagnoses with the rest', () => {
		const knowledgeCopy = path.join(dir, 'knowledge');
		cpSync(new URL('../../knowledge', import.meta.url), knowledgeCopy, {recursive: true});
		const ids = readFileSync(new URL('../../test/knowledge/canonical-ids.ts', import.meta.url), 'utf8').match(/'([a-z\d-]+)'/g)!.map(id => id.slice(1, -1));
		const victim = ids.find(id => id !== 'extension-module-in-binary')!;
		mkdirSync(path.join(knowledgeCopy, 'diagnoses', victim), {recursive: true});
		writeFileSync(path.join(knowledgeCopy, 'diagnoses', victim, 'diagnosis.yaml'), `id: ${victim}\ntitle: Broken\nsignatures: [{id: a, literals: [abc], pattern: "(", weight: 2}]\n`);
		const result = runCli(['diagnose', '--json', '--no-probe'], {input: sample, env: {PYO3_DOCTOR_KNOWLEDGE_DIR: knowledgeCopy}});
		assert.equal(result.status, 0);
		assert.match(result.stderr, new RegExp(`diagnoses/${victim}/diagnosis\\.yaml: `));
		assert.match(result.stderr, /signatures\[0\]\.weight/);
		assert.equal((JSON.parse(result.stdout) as {diagnoses: Array<{id: string}>}).diagnoses[0]?.id, 'extension-module-in-binary');
	});
});

describe('pyo3-doctor explain and list', () => {
	it('explains an entry in full', () => {
		const result = runCli(['explain', 'extension-module-in-binary']);
		assert.equal(result.status, 0);
		assert.match(result.stdout, /Why it happens/);
		assert.match(result.stdout, /https:\/\/pyo3\.rs\//);
	});

	it('refuses an unknown id with exit 2', () => {
		const result = runCli(['explain', 'extension-module']);
		assert.equal(result.status, 2);
		assert.match(result.stderr, /Did you mean: extension-module-in-binary/);
	});

	it('lists ids as JSON', () => {
		const result = runCli(['list', '--json']);
		assert.equal(result.status, 0);
		assert.ok((JSON.parse(result.stdout) as {diagnoses: Array<{id: string}>}).diagnoses.some(entry => entry.id === 'extension-module-in-binary'));
	});
});
