import path from 'node:path';
import {createInterface} from 'node:readline/promises';
import type {CommandContext} from '../cli/context.js';
import {ExitCode, UserError} from '../cli/exit-codes.js';
import {decideMode} from '../cli/mode.js';
import {
	defaultNixPythonVersion,
	packageNameFor,
	planProject,
	projectKinds,
	validateAnswers,
	type InitAnswers,
	type PlannedFile,
	type ProjectKind,
} from '../core/init/plan.js';
import {colourStyle, plainStyle, wantsColour} from '../core/report/style.js';
import {loadInitTemplates, planActions, writeProjectFiles} from '../io/init-files.js';
import {runCommand} from '../probes/run-command.js';
import {parseArgs} from 'node:util';

export const usage = `Usage: pyo3-doctor init [DIR] [OPTIONS]

Writes a small PyO3 project that builds, with a README explaining each choice.
In a terminal it asks what it is not told; elsewhere, pass --kind.

  DIR, --project DIR   where to write it (default: here); created if missing
  --kind KIND          extension  a Python module written in Rust (maturin)
                       embedding  a Rust program that calls Python
                       both       one crate that is both
  --nix / --no-nix     a flake (package + dev shell + .envrc), or a venv and
                       .cargo/config.toml (default: ask; --no-nix when not asked)
  --python PY          which Python: a version (3.12) or an interpreter path
                       (default: python3 on PATH; 3.12 with --nix)
  --name NAME          package name (default: from the directory name)
  --force              overwrite files that already exist with other content
  --dry-run            show what would be written, write nothing
  --json               print the result as one JSON object
  -h, --help           show this help

Exit codes: 0 written (or nothing to do), 2 usage error, 4 an existing file would
be overwritten (nothing was written; use --force or answer the prompt).

Examples:
  pyo3-doctor init my-ext --kind extension --no-nix --python 3.12
  pyo3-doctor init --kind both --nix --python 3.13`;

type ChosenPython = {version: string; executable?: string};

/**
Asks an interpreter for its real path and version, so that the project names an interpreter that
exists (a pyenv shim resolves to the interpreter behind it).
*/
export async function resolvePython(choice: string, env: Record<string, string | undefined>): Promise<ChosenPython> {
	const command = /^3\.\d{1,2}$/.test(choice) ? `python${choice}` : choice;
	const result = await runCommand(command, ['-c', 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])'], {timeoutMs: 10_000, env});
	const [executable, version] = result.stdout.trim().split('\n');
	if (result.status !== 'ok' || !executable || !version) {
		const said = result.stderr.trim().split('\n')[0];
		const why = result.status === 'missing' ? 'is not on PATH' : `did not run${said ? ` (${said})` : ''}`;
		throw new UserError(
			`Python "${choice}" cannot be used: ${command} ${why}. Pass --python with an interpreter path or an installed version.`,
			ExitCode.usage,
		);
	}

	return {version, executable};
}

/**
Writes a new project from answers already given (the wizard's "Set up a new project"). Like
`init` without a terminal, it writes nothing at all when a file exists with other content.
*/
export function setUpProject(directory: string, answers: InitAnswers): {ok: boolean; message: string; files: string[]} {
	const problems = validateAnswers(answers);
	if (problems.length > 0) {
		return {ok: false, message: problems.join(' '), files: []};
	}

	const actions = planActions(directory, planProject(answers, loadInitTemplates()));
	const conflicts = actions.filter(({action}) => action === 'conflict').map(({file}) => file.path);
	if (conflicts.length > 0) {
		return {ok: false, message: `Nothing was written: ${conflicts.join(', ')} already exist with other content. Choose an empty folder, or run pyo3-doctor init --force.`, files: []};
	}

	const created = actions.filter(({action}) => action === 'create').map(({file}) => file);
	writeProjectFiles(directory, created);
	return {ok: true, message: `Wrote ${created.length} file(s) in ${directory}; README.md says how to build it.`, files: created.map(file => file.path)};
}

async function ask(context: CommandContext, question: string, choices: readonly string[], fallback: string): Promise<string> {
	const lines = createInterface({input: context.stdin, output: context.stdout, terminal: false});
	try {
		for (;;) {
			const answer = (await lines.question(`${question} [${choices.map(choice => (choice === fallback ? choice.toUpperCase() : choice)).join('/')}] `)).trim().toLowerCase();
			if (answer === '') {
				return fallback;
			}

			const match = choices.find(choice => choice.startsWith(answer));
			if (match) {
				return match;
			}
		}
	} finally {
		lines.close();
	}
}

async function askText(context: CommandContext, question: string, fallback: string): Promise<string> {
	const lines = createInterface({input: context.stdin, output: context.stdout, terminal: false});
	try {
		const answer = (await lines.question(`${question} [${fallback}] `)).trim();
		return answer === '' ? fallback : answer;
	} finally {
		lines.close();
	}
}

export async function run(context: CommandContext): Promise<number> {
	const {values, positionals} = parseArgs({
		args: context.argv,
		allowPositionals: true,
		options: {
			kind: {type: 'string'},
			nix: {type: 'boolean'},
			'no-nix': {type: 'boolean'},
			python: {type: 'string'},
			name: {type: 'string'},
			project: {type: 'string'},
			force: {type: 'boolean', default: false},
			'dry-run': {type: 'boolean', default: false},
			json: {type: 'boolean', default: false},
			help: {type: 'boolean', short: 'h', default: false},
		},
	});
	if (values.help) {
		context.stdout.write(`${usage}\n`);
		return ExitCode.ok;
	}

	if (positionals.length > 1 || (positionals.length === 1 && values.project !== undefined)) {
		throw new UserError(`init takes one directory.\n\n${usage}`, ExitCode.usage);
	}

	if (values.nix && values['no-nix']) {
		throw new UserError('--nix and --no-nix contradict each other.', ExitCode.usage);
	}

	const directory = path.resolve(context.cwd, positionals[0] ?? values.project ?? '.');
	const interactive = decideMode({json: values.json, stdoutIsTTY: Boolean(context.stdout.isTTY), keyboardAvailable: Boolean(context.stdin.isTTY), env: context.env}) === 'interactive';

	let kind = values.kind as ProjectKind | undefined;
	if (kind !== undefined && !projectKinds.includes(kind)) {
		throw new UserError(`--kind must be extension, embedding or both, not "${kind}".`, ExitCode.usage);
	}

	if (kind === undefined) {
		if (!interactive) {
			throw new UserError(`init cannot ask here (no terminal): pass --kind extension, embedding or both.\n\n${usage}`, ExitCode.usage);
		}

		context.stdout.write('What are you making? extension: a Python module in Rust; embedding: a Rust program that calls Python; both.\n');
		kind = (await ask(context, 'Kind', projectKinds, 'extension')) as ProjectKind;
	}

	let nix = values.nix ? true : values['no-nix'] ? false : undefined;
	if (nix === undefined) {
		nix = interactive ? (await ask(context, 'Use Nix (a flake with the package and a dev shell)?', ['yes', 'no'], 'no')) === 'yes' : false;
	}

	let pythonChoice = values.python;
	if (pythonChoice === undefined && interactive) {
		pythonChoice = await askText(context, 'Which Python (a version such as 3.12, or an interpreter path)?', nix ? defaultNixPythonVersion : 'python3');
	}

	let python: ChosenPython;
	if (nix && (pythonChoice === undefined || /^3\.\d{1,2}$/.test(pythonChoice))) {
		// Under Nix the flake provides the interpreter: only the version is needed.
		python = {version: pythonChoice ?? defaultNixPythonVersion};
	} else {
		python = await resolvePython(pythonChoice ?? 'python3', context.env);
		if (nix) {
			python = {version: python.version};
		}
	}

	const answers: InitAnswers = {name: values.name ?? packageNameFor(path.basename(directory)), kind, nix, python};
	const problems = validateAnswers(answers);
	if (problems.length > 0) {
		throw new UserError(problems.join('\n'), ExitCode.usage);
	}

	const files = planProject(answers, loadInitTemplates());
	const actions = planActions(directory, files);
	const overwrite = new Set<string>();
	for (const {file, action} of actions) {
		if (action !== 'conflict') {
			continue;
		}

		if (values.force) {
			overwrite.add(file.path);
		} else if (interactive && !values['dry-run']) {
			if ((await ask(context, `${file.path} already exists with other content. Overwrite it?`, ['yes', 'no'], 'no')) === 'yes') {
				overwrite.add(file.path);
			}
		}
	}

	const conflicts = actions.filter(({file, action}) => action === 'conflict' && !overwrite.has(file.path)).map(({file}) => file.path);
	const toWrite: PlannedFile[] = actions.filter(({file, action}) => action === 'create' || overwrite.has(file.path)).map(({file}) => file);
	const refused = conflicts.length > 0 && !interactive && !values['dry-run'];
	if (!values['dry-run'] && !refused) {
		writeProjectFiles(directory, toWrite);
	}

	const fileReport = actions.map(({file, action}) => ({
		path: file.path,
		why: file.why,
		action: action === 'conflict' ? (overwrite.has(file.path) ? 'overwrite' : 'keep') : action,
	}));
	if (values.json) {
		context.stdout.write(
			`${JSON.stringify({schemaVersion: 1, directory, written: !values['dry-run'] && !refused, answers, files: fileReport}, null, 2)}\n`,
		);
	} else {
		const style = wantsColour(context.env, Boolean(context.stdout.isTTY)) ? colourStyle : plainStyle;
		const verb = values['dry-run'] || refused ? 'Would write' : 'Wrote';
		context.stdout.write(`${verb} a ${kind} project${nix ? ' with a Nix flake' : ''} for Python ${python.version} in ${directory}:\n`);
		const labels = {create: 'new ', unchanged: 'same', overwrite: 'over', keep: 'KEPT'} as const;
		const width = Math.max(...files.map(file => file.path.length));
		for (const entry of fileReport) {
			context.stdout.write(`  ${labels[entry.action as keyof typeof labels]}  ${entry.path.padEnd(width)}  ${style.dim(entry.why)}\n`);
		}

		if (!values['dry-run'] && !refused) {
			const relative = path.relative(context.cwd, directory);
			const shown = relative === '' ? '.' : relative.startsWith('..') ? directory : relative;
			context.stdout.write(`\nNext: cd ${shown} and follow "Try it" in README.md.\n`);
		}
	}

	if (refused) {
		context.stderr.write(
			`pyo3-doctor: nothing was written: ${conflicts.join(', ')} already exist${conflicts.length === 1 ? 's' : ''} with other content. Use --force to overwrite, or another directory.\n`,
		);
		return ExitCode.patchRefused;
	}

	return ExitCode.ok;
}
