import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {createInterface} from 'node:readline';
import {PassThrough} from 'node:stream';
import {parseArgs} from 'node:util';
import type {CommandContext} from '../cli/context.js';
import {ExitCode, UserError} from '../cli/exit-codes.js';
import {formatFileProblem, formatUnparsableFiles, unparsableFiles} from '../core/files/parse-problems.js';
import {evaluate, type Facts} from '../core/knowledge/conditions.js';
import type {Fix, LoadedDiagnosis} from '../core/knowledge/schema.js';
import {planCommands, shellWords, type CommandPlan} from '../core/patch/command-fix.js';
import {orderFixes} from '../core/patch/fix-order.js';
import {planFix, type PatchPlan} from '../core/patch/plan.js';
import {colourStyle, plainStyle, wantsColour, type Style} from '../core/report/style.js';
import {applyPlan, findProjectRoot, planHashes, projectReader, type ApplyResult} from '../io/patch-files.js';
import {makeProbeContext} from '../probes/context.js';
import {runCommand} from '../probes/run-command.js';
import {loadKnowledgeOrFail} from './shared.js';

export const usage = `Usage: pyo3-doctor fix ID [--project DIR] [--fix FIX_ID] [--log FILE] [--apply] [--yes] [--json]

Shows the patch that fixes diagnosis ID in your own files (Cargo.toml, pyproject.toml,
flake.nix, build.rs, .envrc…) as a unified diff. Nothing is written unless you ask.

  ID             a diagnosis id, as 'pyo3-doctor diagnose' or 'pyo3-doctor list' shows it
  --project DIR  the crate to patch (default: the folder holding Cargo.toml, from here upwards)
  --fix FIX_ID   one fix of the diagnosis (default: the first one that fits this project)
  --log FILE     the failed build's log: what it names (the Python version…) shapes the patch,
                 as in 'pyo3-doctor diagnose FILE'
  --apply        write the patch after showing it; asks first on a terminal
  --yes          with --apply: write without asking (scripts, CI)
  --no-probes    do not look at the machine (Python, maturin, Nix versions); faster
  --json         print one JSON object: the plan, and what was written
  -h, --help     show this help

Before writing, each file is checked: inside the project, not a link into the Nix store, not
read-only, unchanged since the diff was made, and valid afterwards (TOML parses; Nix parses
with nix-instantiate --parse when nix is installed). Each changed file keeps a backup beside it
(<file>.pyo3-doctor.bak). Exit code 4: the patch was refused; nothing was written.

A fix that is a command (cargo update, python -m venv) is shown the same way and run, in the
project, only with --apply and a yes (or --yes); its output is streamed, and the exit code is
the command's.

Examples:
  pyo3-doctor fix extension-module-in-binary
  pyo3-doctor fix wheel-filename-hardcoded --project ./py --apply --yes
  git apply <(pyo3-doctor fix extension-module-in-binary --json | jq -r .diff)`;

/** One fix with what can be done with it here: its patch, or (for a command fix with no patch) the commands to run. */
type Candidate = {fix: Fix; fits: boolean | undefined; plan: PatchPlan; commands?: CommandPlan; standing: 'already-applied' | 'patch' | 'command' | 'manual'};

/** Plans every fix of the entry (or the one asked for). */
export function planCandidates(entry: LoadedDiagnosis, fixes: Fix[], readFile: (file: string) => string | undefined, facts: Facts): Candidate[] {
	return fixes.map(fix => {
		const plan = planFix({entry, fix, readFile, facts});
		const commands = plan.status === 'manual' && fix.run.length > 0 ? planCommands(fix, facts) : undefined;
		const standing = plan.status === 'manual' ? (commands?.status === 'command' ? 'command' : 'manual') : plan.status;
		return {fix, fits: fix.appliesWhen ? evaluate(fix.appliesWhen, facts) : true, plan, standing, ...(commands ? {commands} : {})};
	});
}

/** The first fix in the one order every command offers them (orderFixes): the one shown, written or run. */
export function chooseCandidate(candidates: Candidate[], facts: Facts = {}): Candidate {
	return orderCandidates(candidates, facts)[0]!;
}

/** The candidates in the one order every command offers fixes (orderFixes); the first is the one shown and written. */
function orderCandidates(candidates: Candidate[], facts: Facts): Candidate[] {
	const ordered = orderFixes(candidates.map(candidate => candidate.fix), facts, fix => candidates.find(candidate => candidate.fix === fix)?.standing);
	return ordered.map(fix => candidates.find(candidate => candidate.fix === fix)!);
}

/** Runs a command fix's commands one after the other in the project, their output streamed; stops at the first that fails. */
async function runCommands(context: CommandContext, root: string, argvs: string[][], toStderr: boolean): Promise<Array<{argv: string[]; exitCode: number}>> {
	const {runBuild} = await import('../io/run-build.js');
	const out = toStderr ? context.stderr : context.stdout;
	const ran: Array<{argv: string[]; exitCode: number}> = [];
	for (const argv of argvs) {
		context.stderr.write(`$ ${shellWords(argv)}\n`);
		const outcome = await runBuild({
			command: argv[0]!,
			args: argv.slice(1),
			cwd: root,
			env: context.env,
			stdin: new PassThrough().end(),
			stdout: out,
			stderr: context.stderr,
			...(context.signals ? {signals: context.signals} : {}),
		});
		ran.push({argv, exitCode: outcome.exitCode});
		context.stderr.write(`${outcome.startError ? `could not start ${argv[0]}: ${outcome.startError.message}; ` : ''}exit code ${outcome.exitCode}\n`);
		if (outcome.exitCode !== 0) {
			break;
		}
	}

	return ran;
}

/** What the log's finding for this diagnosis captured (`{}` when the log does not show it), as `diagnose` hands it to the patches. */
async function logCaptures(knowledge: readonly LoadedDiagnosis[], id: string, file: string): Promise<Record<string, string>> {
	const [{LogScanner}, {rankFindings}, {readLog, InputError}] = await Promise.all([import('../core/match/scanner.js'), import('../core/match/rank.js'), import('../io/read-log.js')]);
	const scanner = new LogScanner(knowledge);
	try {
		await readLog(file as never, {onText: text => scanner.feed(text)});
	} catch (error) {
		throw error instanceof InputError ? new UserError(`--log ${file}: ${error.message}`, ExitCode.usage) : error;
	}

	return rankFindings(knowledge, scanner.end()).find(finding => finding.diagnosis.id === id)?.captures ?? {};
}

function colourDiff(diff: string, style: Style): string {
	return diff
		.split('\n')
		.map(line => {
			if (/^(?:diff --git|new file mode|---|\+\+\+)/.test(line)) {
				return style.bold(line);
			}

			if (line.startsWith('@@')) {
				return style.cyan(line);
			}

			if (line.startsWith('+')) {
				return style.green(line);
			}

			return line.startsWith('-') ? style.red(line) : line;
		})
		.join('\n');
}

export async function askYesNo(context: CommandContext, question: string): Promise<boolean> {
	const reader = createInterface({input: context.stdin, output: context.stderr, terminal: false});
	try {
		context.stderr.write(question);
		const answer = await new Promise<string>(resolve => {
			reader.once('line', resolve);
			reader.once('close', () => resolve(''));
		});
		return /^y(?:es)?$/i.test(answer.trim());
	} finally {
		reader.close();
	}
}

/** `nix-instantiate --parse FILE`, when nix is installed: `undefined` = it parses, `null` = no nix here (or no answer). */
export function nixParser(env: CommandContext['env']) {
	return async (file: string): Promise<string | undefined | null> => {
		const result = await runCommand('nix-instantiate', ['--parse', file], {timeoutMs: 10_000, env, cwd: path.dirname(file)});
		if (result.status === 'missing') {
			return null;
		}

		if (result.status === 'ok') {
			return undefined;
		}

		if (result.status === 'timed-out') {
			return null;
		}

		return result.stderr.split('\n').find(line => /error/.test(line))?.trim() ?? result.shortMessage;
	};
}

function resolveProject(context: CommandContext, option: string | undefined): string {
	if (option !== undefined) {
		const dir = path.resolve(context.cwd, option);
		if (!existsSync(dir) || !statSync(dir).isDirectory()) {
			throw new UserError(`--project ${option}: no such folder.`, ExitCode.usage);
		}

		if (!existsSync(path.join(dir, 'Cargo.toml'))) {
			throw new UserError(`--project ${option}: there is no Cargo.toml in that folder. Pass the folder of the crate that depends on pyo3.`, ExitCode.usage);
		}

		return dir;
	}

	const found = findProjectRoot(context.cwd);
	if (!found) {
		throw new UserError(`No Cargo.toml here or in any folder above ${context.cwd}. Run pyo3-doctor fix inside your project, or pass --project DIR.`, ExitCode.usage);
	}

	return found;
}

export async function run(context: CommandContext): Promise<number> {
	const {values, positionals} = parseArgs({
		args: context.argv,
		allowPositionals: true,
		options: {
			project: {type: 'string'},
			fix: {type: 'string'},
			apply: {type: 'boolean', default: false},
			yes: {type: 'boolean', default: false},
			'no-probes': {type: 'boolean', default: false},
			log: {type: 'string'},
			json: {type: 'boolean', default: false},
			help: {type: 'boolean', short: 'h', default: false},
		},
	});
	if (values.help) {
		context.stdout.write(`${usage}\n`);
		return ExitCode.ok;
	}

	const [id] = positionals;
	if (!id || positionals.length > 1) {
		throw new UserError(`fix takes one diagnosis id.\n\n${usage}`, ExitCode.usage);
	}

	if (values.yes && !values.apply) {
		throw new UserError('--yes only means something with --apply: pyo3-doctor fix ID --apply --yes', ExitCode.usage);
	}

	const knowledge = await loadKnowledgeOrFail(context);
	const entry = knowledge.find(candidate => candidate.id === id);
	if (!entry) {
		const close = knowledge.filter(candidate => candidate.id.includes(id) || id.includes(candidate.id)).map(candidate => candidate.id);
		const hint = close.length > 0 ? ` Did you mean: ${close.slice(0, 5).join(', ')}?` : ' Run pyo3-doctor list for every id.';
		throw new UserError(`No diagnosis has the id "${id}".${hint}`, ExitCode.usage);
	}

	let fixes = entry.fixes;
	if (values.fix !== undefined) {
		fixes = entry.fixes.filter(fix => fix.id === values.fix);
		if (fixes.length === 0) {
			throw new UserError(`${id} has no fix "${values.fix}". Its fixes: ${entry.fixes.map(fix => fix.id).join(', ')}.`, ExitCode.usage);
		}
	}

	const root = resolveProject(context, values.project);
	let facts: Facts = {};
	if (!values['no-probes']) {
		const {collectFacts} = await import('../probes/collect.js');
		facts = (await (context.collectFacts ?? collectFacts)({cwd: context.cwd, env: context.env, projectDir: root})).facts;
	}

	const unparsable = values['no-probes'] ? (await (await import('../probes/file-problems.js')).probeFileProblems(makeProbeContext({cwd: context.cwd, env: context.env}), root)).problems : unparsableFiles(facts);
	const captures = values.log === undefined ? undefined : await logCaptures(knowledge, entry.id, path.resolve(context.cwd, values.log));
	const readFile = projectReader(root);
	const candidates = orderCandidates(planCandidates(entry, fixes, readFile, captures ? {...facts, captures} : facts), facts);
	const chosen = candidates[0]!;
	const {plan, fix} = chosen;
	const hashes = plan.status === 'patch' ? planHashes(plan) : {};
	const style = wantsColour(context.env, Boolean(context.stdout.isTTY)) && !values.json ? colourStyle : plainStyle;

	const commands = chosen.standing === 'command' && chosen.commands?.status === 'command' ? chosen.commands.argv : undefined;
	const report = (applied?: ApplyResult, refused?: string, ran?: Array<{argv: string[]; exitCode: number}>) => {
		if (values.json) {
			const output = {
				schemaVersion: 1,
				diagnosis: entry.id,
				fix: {id: fix.id, title: fix.title, fits: chosen.fits ?? null},
				project: root,
				status: chosen.standing,
				...(commands ? {run: commands} : {}),
				...(ran ? {ran} : {}),
				...(plan.status === 'patch' ? {diff: plan.diff, files: plan.files.map(file => ({path: file.path, created: file.before === undefined, sha256Before: hashes[file.path] ?? null})), notes: plan.notes} : {}),
				...(chosen.standing === 'manual' && plan.status === 'manual' ? {reason: chosen.commands?.status === 'manual' ? chosen.commands.reason : plan.reason, steps: fix.steps} : {}),
				otherFixes: candidates.filter(candidate => candidate !== chosen).map(candidate => ({id: candidate.fix.id, status: candidate.standing, fits: candidate.fits ?? null})),
				...(applied ? {applied: applied.ok ? {written: applied.written, nixChecked: applied.nixChecked} : null} : {}),
				...(refused ? {refused} : {}),
				...(unparsable.length > 0 ? {unparsableFiles: unparsable} : {}),
			};
			context.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
		}
	};

	if (!values.json) {
		context.stdout.write(`${style.bold(`${entry.id}: ${fix.title}`)} ${style.dim(`(fix ${fix.id})`)}\n`);
		context.stdout.write(`${style.dim(`Project: ${root}`)}\n`);
		if (unparsable.length > 0) {
			context.stdout.write(`${style.yellow(formatUnparsableFiles(unparsable))}\n`);
		}

		if (chosen.fits === false) {
			context.stdout.write(`${style.yellow('This fix does not fit what was found on this machine; it is shown because it was asked for.')}\n`);
		}

		if (plan.status === 'patch') {
			context.stdout.write(`\n${colourDiff(plan.diff.trimEnd(), style)}\n`);
			for (const note of plan.notes) {
				context.stdout.write(`${style.yellow('Note:')} ${note}\n`);
			}
		} else if (plan.status === 'already-applied') {
			context.stdout.write(`\nAlready applied: the project's files already say what this fix would make them say.\n`);
		} else if (commands) {
			context.stdout.write(`\nThis fix is a command, run in ${root}:\n${commands.map(argv => `  ${style.cyan(`$ ${shellWords(argv)}`)}`).join('\n')}\n`);
		} else {
			context.stdout.write(`\nNo patch can be made safely for this project: ${plan.reason}\n\nBy hand:\n${fix.steps.map(step => `  - ${step}`).join('\n')}\n`);
		}

		const others = candidates.filter(candidate => candidate !== chosen);
		if (others.length > 0) {
			context.stdout.write(`\n${style.dim(`Other fixes: ${others.map(candidate => `${candidate.fix.id} (${candidate.standing})`).join(', ')}; pick one with --fix.`)}\n`);
		}
	}

	if (!values.apply) {
		if (!values.json && (plan.status === 'patch' || commands)) {
			context.stdout.write(`${style.dim(`To ${commands ? 'run' : 'write'} it: pyo3-doctor fix ${entry.id} --fix ${fix.id}${values.project ? ` --project ${values.project}` : ''} --apply`)}\n`);
		}

		report();
		return ExitCode.ok;
	}

	if (plan.status === 'already-applied') {
		report();
		return ExitCode.ok;
	}

	const refuse = (reason: string): number => {
		if (values.json) {
			report(undefined, reason);
		} else {
			context.stderr.write(`pyo3-doctor: ${reason}\n`);
		}

		return ExitCode.patchRefused;
	};

	if (commands) {
		if (!values.yes) {
			if (!context.stdin.isTTY || values.json) {
				return refuse('Not running without confirmation: standard input is not a terminal. Add --yes to run the command shown above.');
			}

			if (!(await askYesNo(context, `Run ${commands.length === 1 ? 'this command' : 'these commands'} in ${root}? [y/N] `))) {
				return refuse('Not run: the answer was not yes. Nothing was changed.');
			}
		}

		const ran = await runCommands(context, root, commands, values.json);
		report(undefined, undefined, ran);
		const failed = ran.find(command => command.exitCode !== 0);
		return failed ? failed.exitCode : ExitCode.ok;
	}

	if (plan.status === 'manual') {
		return refuse('There is no patch to write for this project (see above); nothing was changed.');
	}

	// A patch is never written into a file that does not parse: what it would mean is unknown.
	const broken = unparsable.filter(problem => plan.files.some(file => file.path === problem.file));
	if (broken.length > 0) {
		return refuse(`${broken.map(problem => formatFileProblem(problem)).join('; ')}. Fix ${broken.length === 1 ? 'that file' : 'those files'} first; nothing was changed.`);
	}

	if (!values.yes) {
		const canAsk = Boolean(context.stdin.isTTY) && !values.json;
		if (!canAsk) {
			return refuse('Not writing without confirmation: standard input is not a terminal. Add --yes to write the patch shown above.');
		}

		const files = plan.files.map(file => file.path).join(', ');
		if (!(await askYesNo(context, `Write this patch to ${files}? [y/N] `))) {
			return refuse('Not written: the answer was not yes. Nothing was changed.');
		}
	}

	const applied = await applyPlan(root, plan, {hashes, parseNix: nixParser(context.env)});
	if (!applied.ok) {
		return refuse(applied.reason);
	}

	if (values.json) {
		report(applied);
	} else {
		for (const file of applied.written) {
			const how = file.created ? 'created' : `written (backup: ${file.backup})`;
			context.stdout.write(`${style.green('✓')} ${file.path} ${how}\n`);
		}

		if (plan.files.some(file => file.path.endsWith('.nix'))) {
			context.stdout.write(`${style.dim(applied.nixChecked ? 'The Nix files parse with nix-instantiate --parse.' : 'nix-instantiate is not installed: the Nix files passed the built-in syntax check only.')}\n`);
		}

		if (fix.commands.length > 0) {
			context.stdout.write(`\nNow run:\n${fix.commands.map(command => `  ${command}`).join('\n')}\n`);
		}
	}

	return ExitCode.ok;
}

/**
The patch lookup for `diagnose --project DIR` (and any command that reports findings as JSON):
each fix's diff against that project's files. Throws a usage error for a folder with no Cargo.toml.
*/
export async function patchLookupForProject(
	context: CommandContext,
	project: string,
	findings: ReadonlyArray<{diagnosis: LoadedDiagnosis; captures: Record<string, string>}>,
	facts: Facts = {},
) {
	const root = resolveProject(context, project);
	const {createPatchLookup} = await import('../io/patch-files.js');
	return {root, patchFor: createPatchLookup({root, findings, facts})};
}
