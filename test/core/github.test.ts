import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {escapeData, escapeProperty, findingAnnotations, findingsMarkdown, firstChange, formatAnnotation} from '../../src/core/report/github.js';
import type {Finding} from '../../src/core/match/rank.js';
import {knowledge} from '../helpers/knowledge.js';
import {parseWorkflowCommand} from '../helpers/workflow-command.js';

describe('GitHub Actions annotations', () => {
	it('escapes %, CR and LF in the message, and also : and , in properties', () => {
		assert.equal(escapeData('50% done\r\nnext: a, b'), '50%25 done%0D%0Anext: a, b');
		assert.equal(escapeProperty('50% done\r\nnext: a, b'), '50%25 done%0D%0Anext%3A a%2C b');
		// % first: a literal "%0A" in the text stays text
		assert.equal(escapeData('%0A'), '%250A');
	});

	it('writes ::error with file, line and title in the documented order', () => {
		assert.equal(
			formatAnnotation({title: 'pyo3-doctor: extension-module-in-binary', message: 'cannot link', file: 'crates/ext/Cargo.toml', line: 11}),
			'::error file=crates/ext/Cargo.toml,line=11,title=pyo3-doctor%3A extension-module-in-binary::cannot link',
		);
		assert.equal(formatAnnotation({title: 'a', message: 'b'}), '::error title=a::b');
	});

	it('round-trips any title, message and file through the runner\'s parsing', () => {
		fc.assert(
			fc.property(fc.string(), fc.string(), fc.option(fc.string({minLength: 1})), fc.nat(), (title, message, file, line) => {
				const annotation = {title, message, ...(file ? {file, line: line + 1} : {})};
				const parsed = parseWorkflowCommand(formatAnnotation(annotation));
				assert.equal(parsed.command, 'error');
				assert.equal(parsed.properties.title, title);
				assert.equal(parsed.message, message);
				assert.equal(parsed.properties.file, file ?? undefined);
				assert.equal(parsed.properties.line, file ? String(line + 1) : undefined);
			}),
			{numRuns: 300},
		);
	});

	it('finds the line a patch changes, in the file as it is now', () => {
		const diff = readFileSync(fileURLToPath(new URL('../fixtures/patch/extension-module-in-binary/dotted-keys-new-pyo3/expected.diff', import.meta.url)), 'utf8');
		// Line 11 of that Cargo.toml is `pyo3.features = ["extension-module"]`, the line the patch removes
		assert.deepEqual(firstChange(diff), {file: 'Cargo.toml', line: 11});
		assert.deepEqual(firstChange('--- a/x.nix\n+++ b/x.nix\n@@ -3,2 +3,3 @@\n a\n+b\n c\n'), {file: 'x.nix', line: 3});
		assert.equal(firstChange('no diff'), undefined);
	});

	const entry = knowledge.find(candidate => candidate.id === 'extension-module-in-binary')!;
	const finding: Finding = {
		diagnosis: entry,
		confidence: 0.9,
		summary: 'The linker could not resolve PyExc_TypeError, 100% sure: extension-module is on.\nSecond line.',
		evidence: [{line: 7, text: '  --> src/main.rs:3:5 undefined reference to `PyExc_TypeError`', signature: 'undefined-py-symbol'}],
		factEvidence: [],
		captures: {},
	};
	const diff = '--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -9,3 +9,3 @@\n [dependencies]\n-pyo3 = { version = "0.30.1", features = ["extension-module"] }\n+pyo3 = { version = "0.30.1" }\n';

	it('puts a finding on the line its patch changes, with the path from the repository root', () => {
		const fix = entry.fixes.at(-1)!;
		const [line] = findingAnnotations([finding], {
			patchFor: (_id, fixId) => (fixId === fix.id ? {diff, files: ['Cargo.toml']} : undefined),
			repoPath: file => `crates/ext/${file}`,
			exists: () => true,
		});
		const parsed = parseWorkflowCommand(line!);
		assert.deepEqual(parsed.properties, {file: 'crates/ext/Cargo.toml', line: '10', title: 'pyo3-doctor: extension-module-in-binary'});
		assert.match(parsed.message, /100% sure: extension-module is on\.\nSecond line\. Fix: /);
	});

	it('without a patch, uses a project file the log names; else no file at all', () => {
		const [named] = findingAnnotations([finding], {repoPath: file => file, exists: file => file === 'src/main.rs'});
		assert.deepEqual(parseWorkflowCommand(named!).properties, {file: 'src/main.rs', line: '3', title: 'pyo3-doctor: extension-module-in-binary'});
		const [bare] = findingAnnotations([finding], {repoPath: file => file, exists: () => false});
		assert.deepEqual(Object.keys(parseWorkflowCommand(bare!).properties), ['title']);
		// A file outside the repository is not named
		const [outside] = findingAnnotations([finding], {repoPath: () => undefined, exists: () => true});
		assert.deepEqual(Object.keys(parseWorkflowCommand(outside!).properties), ['title']);
	});

	it('summarises the findings in Markdown with the patch', () => {
		const fix = entry.fixes.at(-1)!;
		const markdown = findingsMarkdown([finding], {heading: 'pyo3-doctor: `cargo build` failed', patchFor: (_id, fixId) => (fixId === fix.id ? {diff, files: ['Cargo.toml']} : undefined)});
		assert.match(markdown, /^### pyo3-doctor: `cargo build` failed$/m);
		assert.match(markdown, /\(`extension-module-in-binary`, confidence 0\.90\)/);
		assert.match(markdown, /log line 7: `--> src\/main\.rs:3:5 undefined reference to 'PyExc_TypeError'`/);
		assert.match(markdown, / {4}```diff\n {4}--- a\/Cargo\.toml[\s\S]*\+pyo3 = \{ version = "0\.30\.1" \}\n {4}```/);
	});
});
