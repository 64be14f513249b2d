/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../src/ui/App.js';
import type {ProbeEvent, ProbeResult} from '../../src/ui/deps.js';
import {knowledge} from '../helpers/knowledge.js';
import {keys, press, waitForFrame} from '../helpers/ink.js';
import {fakeDeps, probeResult, realLog} from './fakes.js';

const size = {columns: 80, rows: 24};
afterEach(() => {
	cleanup();
});

function deferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>(done => {
		resolve = done;
	});
	return {promise, resolve};
}

test('probing shows a live line per probe, then the finished lines stay above the menu', async () => {
	// Given probes that report one running line and wait
	const finish = deferred<ProbeResult>();
	let report: (event: ProbeEvent) => void = () => {};
	const deps = fakeDeps({
		async collectFacts(onEvent) {
			report = onEvent;
			onEvent({area: 'rust', label: 'Rust toolchain', status: 'running'});
			return finish.promise;
		},
	});
	const app = render(<App deps={deps} size={size} />);
	// When the probe is running
	await waitForFrame(app, 'Rust toolchain');
	assert.match(app.lastFrame() ?? '', /Looking at your environment/);
	// And then finishes with a warning
	report({area: 'rust', label: 'Rust toolchain', status: 'warn', found: 'rustc 1.60', hint: 'update rustc'});
	finish.resolve(probeResult);
	const frame = await waitForFrame(app, 'Paste or load a build error');
	// Then its finished line, with the hint, is above the menu
	assert.match(frame, /! Rust toolchain: rustc 1\.60/);
	assert.match(frame, /→ update rustc/);
	// And the summary counts areas and proven problems as `check` does
	assert.match(frame, /Environment: 2 areas checked, issues in 1 area, 1 known problem\./);
});

test('the menu hides run and set-up unless they are provided, and its first item says Paste', async () => {
	// Given the wizard without and with a build runner and set-up
	const without = render(<App deps={fakeDeps({collectFacts: undefined})} size={size} />);
	const plain = await waitForFrame(without, 'Quit');
	const withAll = render(<App deps={fakeDeps({collectFacts: undefined, runBuild: async () => ({text: '', exitCode: 0}), setUpProject: async () => ({ok: true, message: 'done'})})} size={size} />);
	const full = await waitForFrame(withAll, 'Quit');
	// When the menus are compared
	// Then only the second has the extra items, and both start with Paste
	assert.doesNotMatch(plain, /Run my build command|Set up a new project/);
	assert.match(full, /Run my build command and diagnose it/);
	assert.match(full, /Set up a new project/);
	assert.match(plain.split('\n').find(line => line.startsWith('❯')) ?? '', /Paste/);
});

test('a decision tree answers from the environment, goes back, and opens the diagnoses', async () => {
	// Given facts that say extension-module is on for plain cargo builds
	const app = render(<App deps={fakeDeps()} size={size} />);
	await waitForFrame(app, /❯ See the problem found before the build/);
	await press(app, keys.down, /❯ Paste or load a build error/);
	await press(app, keys.down, /❯ Answer a few questions/);
	await press(app, keys.enter, 'What are you trying to do?');
	await press(app, keys.enter, 'When does it go wrong?');
	// When the user says the linker fails with undefined Python symbols
	await press(app, keys.enter, 'What does the linker complain about?');
	const result = await press(app, keys.enter, 'Likely causes');
	// Then the extension-module question was answered automatically, and shown as such
	assert.match(result, /Answered from your environment: extension-module is on/);
	assert.match(result, /extension-module-in-binary/);
	// And Enter opens the diagnosis, Esc returns to the causes
	await press(app, keys.enter, /Cause 1 of 1/);
	await press(app, keys.escape, 'Likely causes');
	// And "c" reopens the automatic answer, to be given by hand; Esc then returns to the question before it
	const reopened = await press(app, 'c', /^Is pyo3's `extension-module` feature on/m);
	assert.doesNotMatch(reopened, /Answered from your environment/);
	await press(app, keys.down, /❯ No/);
	await press(app, keys.enter, /python-static-only-auto-initialize/);
	await press(app, keys.escape, /^Is pyo3's `extension-module` feature on/m);
	// And back undoes the last answer the user gave (not the automatic one)
	await press(app, keys.escape, /^What does the linker complain about\?/m);
	await press(app, keys.escape, /^When does it go wrong\?/m);
	await press(app, keys.escape, 'What are you trying to do?');
});

test('the diagnosis screen previews the patch in colour-free text, applies it after a yes, and saves it', async () => {
	// Given a patch engine that has a patch for the fix
	const calls: string[] = [];
	const diff = '--- a/Cargo.toml\n+++ b/Cargo.toml\n@@ -1 +1 @@\n-pyo3 = {features = ["extension-module"]}\n+pyo3 = {}\n';
	const deps = fakeDeps({
		collectFacts: undefined,
		pipedLog: {text: realLog, source: 'standard input'},
		async planFix({fix}) {
			calls.push(`plan ${fix.id}`);
			return {status: 'patch', files: ['Cargo.toml'], diff};
		},
		async applyPatch(plan) {
			calls.push(`apply ${plan.files.join(',')}`);
			return {ok: true, message: 'Written: Cargo.toml.'};
		},
		async savePatch({diagnosisId}) {
			calls.push(`save ${diagnosisId}`);
			return {ok: true, message: 'Saved pyo3-doctor-x.patch'};
		},
	});
	const app = render(<App deps={deps} size={size} />);
	// When the piped log's diagnosis is shown and scrolled to the patch
	await waitForFrame(app, /a apply/);
	let frame = '';
	for (let step = 0; step < 40 && !frame.includes('+pyo3 = {}'); step++) {
		frame = await press(app, keys.down);
	}

	// Then the diff is there
	assert.match(frame, /Patch for your project \(Cargo\.toml\)/);
	// And "a" asks before writing; "n" cancels without writing
	await press(app, 'a', /Apply this patch to Cargo\.toml\? \(y\/n\)/);
	await press(app, 'n', 'Nothing was changed.');
	assert.ok(!calls.some(call => call.startsWith('apply')));
	// And "a" then "y" applies; "s" saves
	await press(app, 'a', /\(y\/n\)/);
	await press(app, 'y', 'Written: Cargo.toml.');
	await press(app, 's', 'Saved pyo3-doctor-x.patch');
	// And the fixes were ranked (each one planned) before the first was shown, and ranked and planned again against the written files before it was saved
	const rank = knowledge.find(entry => entry.id === 'extension-module-in-binary')!.fixes.filter(fix => fix.edits.length > 0).map(fix => `plan ${fix.id}`);
	assert.deepEqual(calls, [...rank, 'plan feature-only-for-maturin', 'apply Cargo.toml', ...rank, 'plan feature-only-for-maturin', 'save extension-module-in-binary']);
});

test('a log with no known failure says so, and Esc goes back', async () => {
	// Given a pasted log with nothing known in it
	const app = render(<App deps={fakeDeps({collectFacts: undefined})} size={size} />);
	await waitForFrame(app, 'Paste or load');
	await press(app, keys.enter, 'Paste the build output');
	await press(app, 'all good\r', '1 line received');
	// When it is diagnosed
	const frame = await press(app, keys.ctrlD, 'No known PyO3');
	// Then the screen says where to go next, and Esc returns to the menu
	assert.match(frame, /answer a few questions/);
	await press(app, keys.escape, 'Paste or load');
});

test('the environment report is check\'s report, and pages at 80×24', async () => {
	// Given many checks
	const checks = Array.from({length: 40}, (_, index) => ({area: `area${index}`, status: index === 39 ? ('error' as const) : ('ok' as const), found: `found ${index}`}));
	const app = render(<App deps={fakeDeps({collectFacts: async () => ({facts: {}, checks})})} size={size} />);
	await waitForFrame(app, 'Paste or load');
	// When the report is opened
	await press(app, keys.down, /❯ Answer/);
	await press(app, keys.down, /❯ Show the environment report/);
	const frame = await press(app, keys.enter, 'Environment report');
	// Then it opens as `check` prints, the page fits, and it scrolls to the area that is wrong
	const screen = frame.slice(frame.indexOf('Environment report'));
	assert.match(screen.split('\n')[1] ?? '', /^Doctor summary/);
	assert.match(screen.split('\n')[2] ?? '', /^\[✓\] area0: found 0/);
	assert.ok(screen.split('\n').length <= 23, `${screen.split('\n').length} lines`);
	await press(app, keys.pageDown, /scroll \(20–/);
	await press(app, keys.pageDown, /\[✗\] area39: found 39[\s\S]*Doctor: 40 areas checked, issues in 1 area\./);
	await press(app, keys.escape, 'Paste or load');
});

test('the build runner, when provided, shows the output as it comes and diagnoses it', async () => {
	// Given a build runner that prints a line, waits, then fails with the real log
	const commands: string[] = [];
	const finish = deferred<void>();
	const deps = fakeDeps({
		collectFacts: undefined,
		async runBuild(command, onOutput) {
			commands.push(command);
			onOutput('   Compiling demo v0.1.0 (/home/user/demo)\n');
			await finish.promise;
			return {text: realLog, exitCode: 101};
		},
	});
	const app = render(<App deps={deps} size={size} />);
	await waitForFrame(app, 'Paste or load');
	// When the user picks it, adds " --tests" to the default command and presses Enter
	await press(app, keys.down, /❯ Run my build/);
	await press(app, keys.enter, 'Which command builds your project?');
	await press(app, ' --tests', 'cargo build --tests');
	// Then the output is shown while it runs
	await press(app, keys.enter, 'Compiling demo v0.1.0');
	// And when it ends, that command's output is diagnosed
	finish.resolve();
	const frame = await waitForFrame(app, 'extension-module-in-binary');
	assert.deepEqual(commands, ['cargo build --tests']);
	assert.match(frame, /exit code 101/);
});

test('set-up, when provided, asks kind, Nix and folder, reports what it did and returns to the menu', async () => {
	// Given a set-up step that succeeds
	const answers: unknown[] = [];
	const setUpProject = async (given: unknown) => {
		answers.push(given);
		return {ok: true, message: 'Wrote Cargo.toml and flake.nix.'};
	};

	const app = render(<App deps={fakeDeps({collectFacts: undefined, setUpProject})} size={size} />);
	await waitForFrame(app, 'Paste or load');
	// When it is chosen, with an embedding project, without Nix, in the folder "demo"
	await press(app, keys.down, /❯ Answer/);
	await press(app, keys.down, /❯ Set up a new project/);
	await press(app, keys.enter, 'What will the project be?');
	await press(app, keys.down, /❯ A Rust program that calls Python/);
	await press(app, keys.enter, 'Build it with Nix?');
	await press(app, keys.enter, 'Which folder?');
	for (let count = 0; count < 'my-pyo3-project'.length; count++) {
		await press(app, keys.backspace);
	}

	await press(app, 'demo', '> demo');
	const frame = await press(app, keys.enter, 'Project set up');
	// Then the answers reached the set-up, its words are shown, and Enter returns to the menu
	assert.deepEqual(answers, [{kind: 'embedding', nix: false, directory: 'demo'}]);
	assert.match(frame, /Wrote Cargo\.toml and flake\.nix\./);
	await press(app, keys.enter, /❯ Set up a new project/);
});

test('a paste of thousands of coloured lines is received whole and diagnosed at its last lines', async () => {
	// Given 6,000 coloured cargo lines followed by the real failure, pasted in one piece
	const noise = Array.from({length: 6000}, (_, index) => `\u001B[1m\u001B[32m   Compiling\u001B[0m crate-${index} v0.1.0`).join('\r');
	const app = render(<App deps={fakeDeps({collectFacts: undefined})} size={size} />);
	await waitForFrame(app, 'Paste or load');
	await press(app, keys.enter, 'Paste the build output');
	// When it is pasted and ended with Ctrl-D
	await press(app, keys.pasteStart + noise + '\r' + realLog.replaceAll('\n', '\r') + keys.pasteEnd, '6,013 lines received');
	const frame = await press(app, keys.ctrlD, 'extension-module-in-binary');
	// Then the evidence points at the lines after the noise
	assert.match(frame, /log line 600\d:/);
});
