import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
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

function start(session: string, shellCommand: string, directory = cwd): void {
	// CI=true would (rightly) make the CLI plain; this terminal is real, so CI is removed for it.
	const command = `${shellCommand}; echo ${exitMarker} $?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo; sleep 30`;
	tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', '-c', directory, command);
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

	it('in a crate whose binaries cannot link, the first screen names the problem; Enter shows the fix, and its patch applies', async () => {
		// Given a copy of a crate with extension-module always on and tests, and a Python 3.12 as the build interpreter
		const project = path.join(cwd, 'ext-with-tests');
		cpSync(fileURLToPath(new URL('../fixtures/projects/extension-module-with-tests', import.meta.url)), project, {recursive: true});
		// A maturin project, so that the first fix (the feature for the wheel build only) has a patch
		writeFileSync(path.join(project, 'pyproject.toml'), '[build-system]\nrequires = ["maturin>=1.0,<2.0"]\nbuild-backend = "maturin"\n\n[project]\nname = "ext-with-tests"\n');
		const python = fileURLToPath(new URL('../fixtures/bin-python-3.12/python3', import.meta.url));
		start('proven', `env -u VIRTUAL_ENV -u CONDA_PREFIX -u PYO3_BUILD_EXTENSION_MODULE PYO3_PYTHON=${python} ${wizard}`, project);
		// When the wizard opens, without a key press
		const first = await waitForScreen('proven', /❯ See the problem found before the build/);
		// Then the problem is named above the menu, and its area is ✗
		assert.match(first.replaceAll('\n', ' '), /1 problem found before any build: `extension-module-in-binary`/);
		assert.match(first, /^✗ Project files: /m);
		assert.match(first, /1 known problem/);
		// And Enter shows the finding, whose patch can be applied after a yes
		tmux('send-keys', '-t', 'proven', 'Enter');
		await waitForScreen('proven', /Problem 1 of 1 · .* · before any build/);
		await waitForScreen('proven', 'a apply');
		tmux('send-keys', '-t', 'proven', 'a');
		await waitForScreen('proven', /Apply this patch to Cargo\.toml/);
		tmux('send-keys', '-t', 'proven', 'y');
		await waitForScreen('proven', /Written: Cargo\.toml/);
		assert.doesNotMatch(readFileSync(path.join(project, 'Cargo.toml'), 'utf8'), /^pyo3 = .*extension-module/m);
		assert.match(readFileSync(path.join(project, 'pyproject.toml'), 'utf8'), /\[tool\.maturin\]\nfeatures = \["extension-module"\]/);
		// And the environment report is check's, and s saves it as Markdown without the home folder
		tmux('send-keys', '-t', 'proven', 'Escape');
		await waitForScreen('proven', /❯ See the problem found before the build/);
		for (const item of ['Paste', 'Run my build', 'Answer', 'Set up', 'Show the environment report']) {
			tmux('send-keys', '-t', 'proven', 'Down');
			await waitForScreen('proven', `❯ ${item}`);
		}

		tmux('send-keys', '-t', 'proven', 'Enter');
		const report = await waitForScreen('proven', /Environment report\nDoctor summary/);
		assert.match(report, /^\[✗\] Project files: [\s\S]*?\n {4}→ known problem: extension-module-in-binary/m);
		tmux('send-keys', '-t', 'proven', 's');
		await waitForScreen('proven', /Saved pyo3-doctor-report\.md/);
		const markdown = readFileSync(path.join(project, 'pyo3-doctor-report.md'), 'utf8');
		assert.match(markdown, /^### pyo3-doctor check/);
		assert.match(markdown, /`extension-module-in-binary`/);
		if (process.env.HOME && process.env.HOME !== '/') {
			assert.ok(!markdown.includes(`${process.env.HOME}/`), 'the home folder is written ~');
		}

		tmux('send-keys', '-t', 'proven', 'Escape');
		await waitForScreen('proven', /❯ Show the environment report/);
		tmux('send-keys', '-t', 'proven', 'q');
		await waitForScreen('proven', `${exitMarker} 0`);
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
