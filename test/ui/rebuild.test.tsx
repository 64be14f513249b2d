/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {defaultKnowledgeDir} from '../../src/io/knowledge-dir.js';
import {App} from '../../src/ui/App.js';
import type {WizardDeps} from '../../src/ui/deps.js';
import {frameText, keys, press, waitForFrame} from '../helpers/ink.js';
import {fakeDeps, realLog} from './fakes.js';

const size = {columns: 80, rows: 24};
afterEach(() => {
	cleanup();
});

const otherLog = readFileSync(path.join(defaultKnowledgeDir, 'diagnoses/linker-cc-not-found/examples/match/rust-1.95-no-cc-on-path.log'), 'utf8');
const diff = '--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -1 +1 @@\n-pyo3 = {features = ["extension-module"]}\n+pyo3 = {}\n';

/** A runner that answers each run with the next of `results`, and a patch engine that writes. */
function loopDeps(results: Array<{text: string; exitCode: number}>, calls: string[]): WizardDeps {
	return fakeDeps({
		collectFacts: undefined,
		async runBuild(command, onOutput) {
			calls.push(`run ${command}`);
			const result = results.shift()!;
			onOutput(result.text.split('\n')[0]!);
			return result;
		},
		async planFix() {
			return {status: 'patch', files: ['Cargo.toml'], diff};
		},
		async applyPatch() {
			calls.push('apply');
			return {ok: true, message: 'Written: Cargo.toml (backup Cargo.toml.pyo3-doctor.bak).', backups: ['Cargo.toml.pyo3-doctor.bak']};
		},
	});
}

/** Types a key that should change nothing, and returns the frame a moment later. */
async function pressAndLook(app: ReturnType<typeof render>, key: string): Promise<string> {
	app.stdin.write(key);
	await new Promise(resolve => {
		setTimeout(resolve, 100);
	});
	return frameText(app);
}

/** Menu → Run my build command → Enter → the finding → a → y. */
async function runAndApply(app: ReturnType<typeof render>): Promise<void> {
	await waitForFrame(app, 'Paste or load');
	await press(app, keys.down, /❯ Run my build/);
	await press(app, keys.enter, 'Which command builds your project?');
	await press(app, keys.enter, /Finding 1 of \d+ · .* · cargo build \(exit code 101\)/);
	await waitForFrame(app, /a apply/);
	// No rebuild before anything was written
	assert.doesNotMatch(await pressAndLook(app, 'r'), /Building again/);
	await press(app, 'a', /\(y\/n\)/);
	await press(app, 'y', 'Written: Cargo.toml');
}

test('after a patch on a build the wizard ran, r runs the same command again and says when it passes', async () => {
	// Given a build that fails with the real log, then passes
	const calls: string[] = [];
	const app = render(<App deps={loopDeps([{text: realLog, exitCode: 101}, {text: '    Finished `dev` profile\n', exitCode: 0}], calls)} size={size} />);
	// When the user runs it, applies the patch, and presses r
	await runAndApply(app);
	const applied = await waitForFrame(app, /r rebuild/);
	assert.match(applied, /Written: Cargo\.toml/);
	const fixed = await press(app, 'r', 'Fixed: the build passes now.');
	// Then the same command ran again, and the screen says the build passes and where the backup is
	assert.deepEqual(calls, ['run cargo build', 'apply', 'run cargo build']);
	assert.match(fixed.replaceAll('\n', ' '), /`cargo build` ended with exit code 0\. The previous patch is kept; backup at Cargo\.toml\.pyo3-doctor\.bak\./);
	// And Enter returns to the menu
	await press(app, keys.enter, /❯ Run my build command/);
});

test('when the rebuild still fails, the next finding is shown with the previous patch kept', async () => {
	// Given a build that fails with the real log, then with another cause
	const calls: string[] = [];
	const app = render(<App deps={loopDeps([{text: realLog, exitCode: 101}, {text: otherLog, exitCode: 101}], calls)} size={size} />);
	// When the user applies the patch and rebuilds
	await runAndApply(app);
	await waitForFrame(app, /r rebuild/);
	const next = await press(app, 'r', /The previous patch is kept; backup at Cargo\.toml\.pyo3-doctor\.bak\./);
	// Then the new output's finding is shown, from the same command
	assert.match(next, /^linker-cc-not-found$/m);
	assert.match(next, /Finding 1 of \d+ · .* · cargo build \(exit code 101\)/);
	assert.deepEqual(calls, ['run cargo build', 'apply', 'run cargo build']);
});

test('a pasted log offers no rebuild: the wizard does not know its command', async () => {
	// Given a patch applied to a finding from a pasted log
	const calls: string[] = [];
	const app = render(<App deps={{...loopDeps([], calls), pipedLog: {text: realLog, source: 'standard input'}}} size={size} />);
	await waitForFrame(app, /a apply/);
	await press(app, 'a', /\(y\/n\)/);
	const written = await press(app, 'y', 'Written: Cargo.toml');
	// Then r is not offered, and does nothing
	assert.doesNotMatch(written, /r rebuild/);
	assert.doesNotMatch(await pressAndLook(app, 'r'), /Building again/);
	assert.deepEqual(calls, ['apply']);
});
