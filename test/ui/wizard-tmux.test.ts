import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {cliPath} from '../helpers/cli.js';
import {realLogPath} from './fakes.js';

// The built CLI in a real terminal: tmux gives it a pty of 80×24 and lets the test type and paste.
const tmuxMissing = spawnSync('tmux', ['-V']).error ? 'tmux is not installed (apt-get install tmux): the wizard needs a real terminal for this test' : false;
const socket = `pyo3-doctor-test-${process.pid}`;
const cwd = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-wizard-'));
const exitMarker = 'WIZARD-EXITED';

function tmux(...args: string[]): string {
	const result = spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	if (result.status !== 0) {
		throw new Error(`tmux ${args.join(' ')} failed: ${result.stderr}`);
	}

	return result.stdout;
}

function pane(session: string): string {
	return tmux('capture-pane', '-p', '-t', session);
}

// Polls the screen until it shows the text; fails with the screen after the timeout.
async function waitForScreen(session: string, expected: string | RegExp, timeoutMs = 20_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const screen = pane(session);
		if (typeof expected === 'string' ? screen.includes(expected) : expected.test(screen)) {
			return screen;
		}

		if (Date.now() > deadline) {
			throw new Error(`The terminal never showed ${String(expected)}. Screen:\n${screen}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}
}

function start(session: string, shellCommand: string): void {
	// CI=true would (rightly) make the CLI plain; this terminal is real, so CI is removed for it.
	const command = `${shellCommand}; echo ${exitMarker} $?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo; sleep 30`;
	tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-c', cwd, command);
}

const wizard = `env -u CI NO_COLOR=1 ${process.execPath} ${cliPath}`;

describe('the wizard in a real terminal (tmux, 80×24)', {skip: tmuxMissing}, () => {
	after(() => {
		spawnSync('tmux', ['-L', socket, 'kill-server']);
		rmSync(cwd, {recursive: true, force: true});
	});

	it('menu → Paste → a pasted real log → Ctrl-D → the diagnosis id → back → quit, terminal restored', async () => {
		// Given the wizard at its menu
		start('paste', wizard);
		await waitForScreen('paste', 'Paste or load a build error');
		// When the user opens Paste and pastes a real log from the corpus
		tmux('send-keys', '-t', 'paste', 'Enter');
		await waitForScreen('paste', 'Paste the build output');
		tmux('load-buffer', '-b', 'log', realLogPath);
		tmux('paste-buffer', '-p', '-b', 'log', '-t', 'paste');
		await waitForScreen('paste', '13 lines received');
		// And ends the input with Ctrl-D
		tmux('send-keys', '-t', 'paste', 'C-d');
		const screen = await waitForScreen('paste', 'extension-module-in-binary');
		// Then the diagnosis is on screen, within 24 rows
		assert.match(screen, /Finding 1 of \d+ · .* · pasted text/);
		// And back leads to the menu, and q quits with the terminal back in cooked mode
		tmux('send-keys', '-t', 'paste', 'Escape');
		await waitForScreen('paste', /❯ Paste or load a build error/);
		tmux('send-keys', '-t', 'paste', 'q');
		const end = await waitForScreen('paste', new RegExp(`${exitMarker} 0[\\s\\S]*echo`));
		assert.match(end, /^icanon$/m);
	});

	it('a piped log is diagnosed first, and the keyboard still drives the wizard', async () => {
		// Given a log piped into pyo3-doctor
		start('piped', `cat ${realLogPath} | ${wizard}`);
		// When the wizard opens
		const screen = await waitForScreen('piped', 'extension-module-in-binary');
		// Then the log's diagnosis is shown
		assert.match(screen, /standard input/);
		// And keys typed at the terminal work: Esc to the menu, down to the questions, Enter, then Ctrl-C
		tmux('send-keys', '-t', 'piped', 'Escape');
		await waitForScreen('piped', /❯ Paste or load a build error/);
		tmux('send-keys', '-t', 'piped', 'Down');
		await waitForScreen('piped', /❯ Run my build command/);
		tmux('send-keys', '-t', 'piped', 'Down');
		await waitForScreen('piped', /❯ Answer a few questions/);
		tmux('send-keys', '-t', 'piped', 'Enter');
		await waitForScreen('piped', 'What are you trying to do?');
		// Ctrl-C leaves as an interruption: exit 130, terminal restored.
		tmux('send-keys', '-t', 'piped', 'C-c');
		const end = await waitForScreen('piped', new RegExp(`${exitMarker} 130[\\s\\S]*echo`));
		assert.match(end, /^icanon$/m);
	});

	it('without a terminal for keys, a piped log gets the plain report', () => {
		// Given no terminal at all (setsid detaches the controlling terminal) and CI unset
		const result = spawnSync('setsid', ['-w', process.execPath, cliPath], {
			input: spawnSync('cat', [realLogPath], {encoding: 'utf8'}).stdout,
			encoding: 'utf8',
			env: {...process.env, CI: '', NO_COLOR: '1'},
		});
		// When it runs
		// Then the plain diagnose report is printed and nothing of the wizard
		assert.equal(result.status, 0, result.stderr);
		assert.match(result.stdout, /extension-module-in-binary/);
		assert.doesNotMatch(result.stdout, /Paste or load/);
	});
});
