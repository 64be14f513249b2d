/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {App} from '../../src/ui/App.js';
import {keys, press, waitForFrame, type InkInstance} from '../helpers/ink.js';
import {fakeDeps, realLog, realLogPath} from './fakes.js';

const size = {columns: 80, rows: 24};

// The fake probes prove a problem, so the menu opens on it; Paste is the next item.
async function pasteMenuItem(app: InkInstance): Promise<void> {
	await waitForFrame(app, /❯ See the problem found before the build/);
	await press(app, keys.down, /❯ Paste or load a build error/);
}
afterEach(() => {
	cleanup();
});

test('menu → Paste → a real log → Ctrl-D shows the diagnosis id, and back returns to the menu', async () => {
	// Given the wizard on an 80×24 terminal, past the probes
	const app = render(<App deps={fakeDeps()} size={size} />);
	await pasteMenuItem(app);
	// When the user opens Paste, pastes a real log and presses Ctrl-D
	await press(app, keys.enter, 'Paste the build output');
	await press(app, keys.pasteStart + realLog.replaceAll('\n', '\r') + keys.pasteEnd, 'lines received');
	const frame = await press(app, keys.ctrlD, /Finding 1 of \d+/);
	// Then the diagnosis id and title are shown, and the screen below the probe lines fits 24 rows
	assert.match(frame, /Finding 1 of \d+ · .*\nextension-module-in-binary\n/);
	const lines = frame.split('\n');
	const screenLines = lines.slice(lines.findIndex(line => line.startsWith('Finding 1 of')));
	assert.ok(screenLines.length <= 23, `the screen has ${screenLines.length} lines`);
	// And Esc goes back to the menu
	await press(app, keys.escape, 'Paste or load a build error');
});

test('typing the path of a log file and Enter loads it', async () => {
	// Given the paste screen
	const deps = fakeDeps();
	const app = render(<App deps={deps} size={size} />);
	await pasteMenuItem(app);
	await press(app, keys.enter, 'Paste the build output');
	// When the user types a path and presses Enter
	await press(app, realLogPath, '1 line received');
	const frame = await press(app, keys.enter, 'Finding 1 of');
	// Then the file was read through the injected reader
	assert.deepEqual(deps.calls, [`read ${realLogPath}`]);
	assert.match(frame, /extension-module-in-binary/);
});

test('Esc on the paste screen goes back to the menu', async () => {
	// Given the paste screen
	const app = render(<App deps={fakeDeps()} size={size} />);
	await pasteMenuItem(app);
	await press(app, keys.enter, 'Paste the build output');
	// When Esc is pressed
	// Then the menu is back
	await press(app, keys.escape, 'Paste or load a build error');
});

test('a pasted log with no known class shows the lines read as the failure and the closest classes', async () => {
	// Given the paste screen
	const app = render(<App deps={fakeDeps()} size={size} />);
	await pasteMenuItem(app);
	await press(app, keys.enter, 'Paste the build output');
	// When a failure pyo3-doctor has no class for is pasted
	const log = '   Compiling demo v0.1.0\nerror: could not compile `demo` (lib) due to 1 previous error\n';
	await press(app, keys.pasteStart + log.replaceAll('\n', '\r') + keys.pasteEnd, 'lines received');
	const frame = await press(app, keys.ctrlD, 'No known PyO3');
	// Then it says which line it read as the failure, as `diagnose` does, rather than nothing
	assert.match(frame, /These lines read as the failure:\n {2}line 2: error: could not compile/);
});
