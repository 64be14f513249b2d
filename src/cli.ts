#!/usr/bin/env node
import {readFileSync} from 'node:fs';
import {commands, loadBundled} from './cli/commands.js';
import type {CommandContext} from './cli/context.js';
import {ExitCode, UserError} from './cli/exit-codes.js';
import {InputError} from './io/read-log.js';
import {decideMode} from './cli/mode.js';
import {openTerminalKeyboard} from './io/open-tty.js';

// The one place that touches process.*: everything below receives a CommandContext.

function version(): string {
	const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string};
	return packageJson.version;
}

function help(): string {
	const width = Math.max(...commands.map(command => command.name.length));
	return [
		'pyo3-doctor: troubleshooter for PyO3 / maturin / Nix builds',
		'',
		'Usage: pyo3-doctor <command> [options]',
		'       pyo3-doctor            (in a terminal: the interactive wizard)',
		'',
		'Commands:',
		...commands.map(command => `  ${command.name.padEnd(width)}  ${command.summary}`),
		'',
		'Options:',
		'  -h, --help     help for pyo3-doctor or a command (pyo3-doctor diagnose --help)',
		'  -v, --version  print the version',
		'',
		'Exit codes: 0 ok, 1 problems found (check), 2 usage error, 3 input unreadable,',
		'4 patch refused, 70 internal error.',
	].join('\n');
}

/**
No arguments: the wizard when a person is at a terminal. A piped log is read first and the keys
then come from the terminal itself (/dev/tty); with no terminal it is diagnosed as plain text.
Ink and React are loaded only here, for the wizard.
*/
async function openWizardOrDiagnose(context: Omit<CommandContext, 'argv'>, options: {json: boolean}): Promise<number> {
	const stdinIsTTY = Boolean(process.stdin.isTTY);
	const keyboard = !stdinIsTTY && process.stdout.isTTY && !options.json ? openTerminalKeyboard() : undefined;
	const mode = decideMode({json: options.json, stdoutIsTTY: Boolean(process.stdout.isTTY), keyboardAvailable: stdinIsTTY || keyboard !== undefined, env: process.env});
	if (mode === 'interactive') {
		const wizard = await loadBundled('wizard', async () => import('./commands/wizard.js'));
		const code = await wizard.runWizard({...context, argv: []}, {keyboard});
		// Probe commands may still be running when the user quits; their answers are no longer
		// wanted, so the process ends now (once the last frame is written) instead of after them.
		await new Promise(resolve => {
			process.stdout.write('', resolve);
		});
		process.exit(code);
	}

	keyboard?.destroy();
	if (!stdinIsTTY || options.json) {
		const diagnose = await loadBundled('diagnose', async () => import('./commands/diagnose.js'));
		return diagnose.run({...context, argv: options.json ? ['--json'] : []});
	}

	process.stdout.write(`${help()}\n`);
	return ExitCode.ok;
}

async function main(argv: string[]): Promise<number> {
	const context: Omit<CommandContext, 'argv'> = {
		stdin: process.stdin,
		stdout: process.stdout,
		stderr: process.stderr,
		env: process.env,
		cwd: process.cwd(),
		signals: process,
	};
	const [first, ...rest] = argv;
	if (first === '--version' || first === '-v') {
		process.stdout.write(`${version()}\n`);
		return ExitCode.ok;
	}

	if (first === undefined || (first === '--json' && rest.length === 0)) {
		return openWizardOrDiagnose(context, {json: first === '--json'});
	}

	if (first === '--help' || first === '-h' || first === 'help') {
		process.stdout.write(`${help()}\n`);
		return ExitCode.ok;
	}

	const command = commands.find(candidate => candidate.name === first);
	if (!command) {
		process.stderr.write(`pyo3-doctor: unknown command "${first}".\n\n${help()}\n`);
		return ExitCode.usage;
	}

	const module = await command.load();
	return module.run({...context, argv: rest});
}

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	if (error instanceof UserError) {
		process.stderr.write(`pyo3-doctor: ${error.message}\n`);
		process.exitCode = error.exitCode;
	} else if (error instanceof InputError) {
		process.stderr.write(`pyo3-doctor: ${error.message}\n`);
		process.exitCode = ExitCode.inputUnreadable;
	} else if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
		process.stderr.write(`pyo3-doctor: ${(error as Error).message}\nRun pyo3-doctor --help for the options.\n`);
		process.exitCode = ExitCode.usage;
	} else {
		process.stderr.write(`pyo3-doctor: internal error, please report it: ${(error as Error).stack ?? String(error)}\n`);
		process.exitCode = ExitCode.internal;
	}
}
