/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {orderFixes} from '../../src/core/patch/fix-order.js';
import {App} from '../../src/ui/App.js';
import {knowledge} from '../helpers/knowledge.js';
import {keys, press, waitForFrame} from '../helpers/ink.js';
import {fakeDeps, probeResult} from './fakes.js';

const size = {columns: 80, rows: 24};
afterEach(() => {
	cleanup();
});

test('a problem the probes prove is on the first screen, and Enter opens it with its patch and apply key', async () => {
	// Given probes whose facts prove extension-module-in-binary, and a patch engine with a patch
	const calls: string[] = [];
	const diff = '--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -1 +1 @@\n-pyo3 = {features = ["extension-module"]}\n+pyo3 = {}\n';
	const deps = fakeDeps({
		async planFix({entry, fix}) {
			calls.push(`plan ${entry.id} ${fix.id}`);
			return {status: 'patch', files: ['Cargo.toml'], diff};
		},
		async applyPatch(plan) {
			calls.push(`apply ${plan.files.join(',')}`);
			return {ok: true, message: 'Written: Cargo.toml.'};
		},
	});
	const app = render(<App deps={deps} size={size} />);
	// When the probes are done, without a key press
	const menu = await waitForFrame(app, 'pyo3-doctor: what went wrong?');
	// Then the problem is named above the menu, and the first item opens it
	assert.match(menu.replaceAll('\n', ' '), /1 problem found before any build: `extension-module-in-binary` — .*\(Enter to see it and its fix\)/);
	assert.match(menu, /^❯ See the problem found before the build$/m);
	// And the area that holds it is ✗ and names it, never ✓
	assert.match(menu, /^✗ project: .*\n {2}→ make the feature optional; known problem: extension-module-in-binary$/m);
	// When Enter is pressed
	const problem = await press(app, keys.enter, /Problem 1 of 1 · .* · before any build/);
	// Then the findings screen shows the id, and the patch can be applied after a yes
	assert.match(problem, /^extension-module-in-binary$/m);
	await waitForFrame(app, /a apply/);
	await press(app, 'a', /Apply this patch to Cargo\.toml\? \(y\/n\)/);
	await press(app, 'y', 'Written: Cargo.toml.');
	// (the fixes were ranked first, each planned in the order their conditions give on these facts, as every command ranks them; then the first one's patch was applied)
	const entry = knowledge.find(candidate => candidate.id === 'extension-module-in-binary')!;
	const rank = orderFixes(entry.fixes, probeResult.facts).filter(fix => fix.edits.length > 0).map(fix => `plan extension-module-in-binary ${fix.id}`);
	assert.deepEqual(calls.slice(0, rank.length + 2), [...rank, 'plan extension-module-in-binary feature-only-for-maturin', 'apply Cargo.toml']);
	// And Esc returns to the menu, on the same item
	await press(app, keys.escape, /^❯ See the problem found before the build$/m);
});

test('two proven problems are both named, and the item counts them', async () => {
	// Given facts that prove two problems
	const facts = {...probeResult.facts, derived: {extensionModuleWithBinsOrTests: true, pythonBelowPyo3Min: true}, python: {selected: {version: '3.6', fullVersion: '3.6.15'}}};
	const app = render(<App deps={fakeDeps({collectFacts: async () => ({facts, checks: probeResult.checks})})} size={size} />);
	// When the menu opens
	const menu = (await waitForFrame(app, 'pyo3-doctor: what went wrong?')).replaceAll('\n', ' ');
	// Then both ids are named, and the first item speaks of both
	assert.match(menu, /2 problems found before any build: `[\w-]+`, `[\w-]+` \(Enter to see them and their fixes\)/);
	assert.match(menu, /`extension-module-in-binary`/);
	assert.match(menu, /`python-too-old-for-pyo3`/);
	assert.match(menu, /❯ See the 2 problems found before the build/);
	// And the Python area, where the too-old interpreter belongs, is marked too
	assert.match(menu, /2 areas checked, issues in 2 areas, 2 known problems\./);
});

test('a project where nothing is proven opens as before: Paste first, no problem line', async () => {
	// Given probes that prove nothing
	const app = render(<App deps={fakeDeps({collectFacts: async () => ({facts: {}, checks: [{area: 'python', status: 'ok', found: 'CPython 3.12'}]})})} size={size} />);
	// When the menu opens
	const menu = await waitForFrame(app, 'pyo3-doctor: what went wrong?');
	// Then it starts with Paste and names no problem
	assert.match(menu, /^❯ Paste or load a build error$/m);
	assert.doesNotMatch(menu, /found before/);
	assert.match(menu, /Environment: 1 area checked, no issues found\./);
});

test('the environment report shows the proven problem with its evidence, and s saves it as Markdown', async () => {
	// Given proven facts and a report saver
	const saved: string[][] = [];
	const deps = fakeDeps({
		async saveReport({checks, findings}) {
			saved.push([...checks.map(check => `${check.area}:${check.status}`), ...findings.map(finding => finding.diagnosis.id)]);
			return {ok: true, message: 'Saved pyo3-doctor-report.md (Markdown, tokens, passwords and your home folder removed)'};
		},
	});
	const app = render(<App deps={deps} size={size} />);
	await waitForFrame(app, /❯ See the problem/);
	// When the report is opened
	for (const item of [/❯ Paste/, /❯ Answer/, /❯ Show the environment report/]) {
		await press(app, keys.down, item);
	}

	const report = await press(app, keys.enter, 'Environment report');
	// Then it reads as `check` prints it: areas, then the problem with what proves it
	assert.match(report, /^\[✗\] Project files: extension-module is on for cargo test$/m);
	assert.match(report, /One problem found before any build:/);
	assert.match(report.replaceAll('\n', ' '), /1\. .*\[extension-module-in-binary\]/);
	assert.match(report, /s save as Markdown/);
	// When s is pressed
	await press(app, 's', /Saved pyo3-doctor-report\.md/);
	// Then the marked areas and the finding were handed to the saver
	assert.deepEqual(saved, [['python:ok', 'project:error', 'extension-module-in-binary']]);
});
