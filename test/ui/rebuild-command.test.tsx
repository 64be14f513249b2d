/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../src/ui/App.js';
import type {WizardDeps} from '../../src/ui/deps.js';
import {keys, press, waitForFrame} from '../helpers/ink.js';
import {fakeDeps} from './fakes.js';

const size = {columns: 100, rows: 30};
afterEach(() => {
	cleanup();
});

// The real log of `cargo build` on a crate whose Cargo.lock lacks a dependency (test/real).
const lockLog = readFileSync(new URL('../real/logs/cargo-lock-out-of-sync.log', import.meta.url), 'utf8');

/** A build runner answering each run with the next of `results`, and a command runner that records what it ran. */
function commandDeps(results: Array<{text: string; exitCode: number}>, calls: string[], exitCode = 0): WizardDeps {
	return fakeDeps({
		collectFacts: undefined,
		async runBuild(command, onOutput) {
			calls.push(`build ${command}`);
			const result = results.shift()!;
			onOutput(result.text.split('\n')[0]!);
			return result;
		},
		// No fix of this finding has a patch: the command fix is the one to offer.
		async planFix() {
			return {status: 'manual', reason: 'no patch'};
		},
		async runFixCommands(argvs, onOutput) {
			calls.push(...argvs.map(argv => `fix ${argv.join(' ')}`));
			onOutput('    Updating crates.io index\n     Locking 1 package to latest compatible version\n');
			return exitCode === 0 ? {ok: true, message: 'Ran `cargo update --workspace`: exit code 0.'} : {ok: false, message: `\`cargo update --workspace\` ended with exit code ${exitCode}.`};
		},
	});
}

/** Menu → Run my build command → cargo build → the finding, whose fix is a command. */
async function runToFinding(app: ReturnType<typeof render>): Promise<string> {
	await waitForFrame(app, 'Paste or load');
	await press(app, keys.down, /❯ Run my build/);
	await press(app, keys.enter, 'Which command builds your project?');
	await press(app, keys.enter, /Finding 1 of \d+ · .* · cargo build \(exit code 101\)/);
	return waitForFrame(app, /a run the command/);
}

test('after a command fix on a build the wizard ran, r runs the build again and says when it passes', async () => {
	// Given a build that fails with the real log of `cargo build --frozen`, then passes
	const calls: string[] = [];
	const app = render(<App deps={commandDeps([{text: lockLog, exitCode: 101}, {text: '    Finished `dev` profile\n', exitCode: 0}], calls)} size={size} />);
	const finding = await runToFinding(app);
	assert.match(finding, /^cargo-lock-out-of-sync$/m);
	assert.doesNotMatch(finding, /r rebuild/);
	// When the user asks to run the fix's command, says yes, then presses r
	await press(app, 'a', /Run `cargo update --workspace` in the project\? \(y\/n\)/);
	const ran = await press(app, 'y', /r rebuild/);
	assert.match(ran, /Ran `cargo update --workspace`: exit code 0\./);
	const fixed = await press(app, 'r', 'Fixed: the build passes now.');
	// Then the command ran once, only after the yes, and the same build ran again
	assert.deepEqual(calls, ['build cargo build', 'fix cargo update --workspace', 'build cargo build']);
	assert.match(fixed.replaceAll('\n', ' '), /`cargo build` ended with exit code 0\. What the previous fix changed is kept\./);
});

test('n runs nothing, and a command fix that fails offers no rebuild', async () => {
	// Given the same failing build, and a command fix that will fail
	const calls: string[] = [];
	const app = render(<App deps={commandDeps([{text: lockLog, exitCode: 101}], calls, 101)} size={size} />);
	await runToFinding(app);
	// When the user declines first
	await press(app, 'a', /\(y\/n\)/);
	await press(app, 'n', 'Nothing was changed.');
	assert.deepEqual(calls, ['build cargo build']);
	// And then runs it, and it fails
	await press(app, 'a', /\(y\/n\)/);
	const failed = await press(app, 'y', /ended with exit code 101/);
	// Then the exit code is said, and r is not offered
	assert.doesNotMatch(failed, /r rebuild/);
	assert.deepEqual(calls, ['build cargo build', 'fix cargo update --workspace']);
});

test('Backspaces that arrive in one read each delete a character of the build command', async () => {
	// Given the command field, filled with `cargo build`
	const calls: string[] = [];
	const app = render(<App deps={commandDeps([{text: lockLog, exitCode: 101}], calls)} size={size} />);
	await waitForFrame(app, 'Paste or load');
	await press(app, keys.down, /❯ Run my build/);
	await press(app, keys.enter, '> cargo build');
	// When eleven Backspaces come in one read (key repeat, a loaded machine) and a new command is typed
	await press(app, '\u007F'.repeat('cargo build'.length), /^> ▏$/m);
	await press(app, 'maturin develop', '> maturin develop');
	await press(app, keys.enter, /Finding 1 of \d+ · .* · maturin develop \(exit code 101\)/);
	// Then the command that runs is the one typed, with nothing left of the old one
	assert.deepEqual(calls, ['build maturin develop']);
});
