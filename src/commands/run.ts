import path from 'node:path';
import type {CommandContext} from '../cli/context.js';
import {ExitCode, UserError} from '../cli/exit-codes.js';
import {decideMode} from '../cli/mode.js';
import type {Facts} from '../core/knowledge/conditions.js';
import {stripAnsi} from '../core/match/normalize.js';
import {findingsFromFacts} from '../core/match/from-facts.js';
import {rankFindings, sortFindings, type Finding} from '../core/match/rank.js';
import {LogScanner} from '../core/match/scanner.js';
import {findingToJson, fixesInOrder, schemaVersion, unmatchedToJson} from '../core/report/findings-json.js';
import {whatCameClose} from '../core/match/near.js';
import {formatFindings} from '../core/report/findings-text.js';
import {colourStyle, plainStyle, wantsColour, type Style} from '../core/report/style.js';
import {TailBuffer} from '../core/tail.js';
import {formatProblems, loadKnowledge} from '../io/knowledge-dir.js';
import {findProjectRoot} from '../io/project-root.js';
import {collectFacts} from '../probes/collect.js';
import {wantsGithubOutput, writeGithubOutput} from '../io/github-output.js';
import {runBuild, type BuildOutcome, type BuildStdio} from '../io/run-build.js';

export const usage = `Usage: pyo3-doctor run [OPTIONS] -- COMMAND [ARG…]

Runs your build command as it is, shows its output live and unchanged, and when it
fails, names the likely causes from its output and your environment. On success it
prints nothing extra. It exits with the build's own exit code.

  --project DIR   run the command in DIR and check that project (default: here)
  --json          on exit, print one JSON object on stdout; the build's own output
                  then goes to stderr so that stdout stays valid JSON
  --inherit       give the build the terminal itself (live progress bars); the log
                  cannot be read then, so a failure is diagnosed from the environment
  --no-probe      do not look at the environment, only at the output
  --fix           on failure, show the patch for the likeliest cause, write it after a yes,
                  and run the command once more; the exit code is then that run's
  --yes           with --fix: write without asking (scripts, CI)
  --format github on failure, also print each cause as a GitHub Actions ::error annotation
                  and append a Markdown summary with the patch to $GITHUB_STEP_SUMMARY
                  (the default inside GitHub Actions, where GITHUB_ACTIONS=true)
  -h, --help      show this help

Exit code: the build's own; 128+N when signal N ended it (130 for Ctrl-C);
127 when the command is not found, 126 when it cannot be executed; 2 for a usage error.

Examples:
  pyo3-doctor run -- cargo test
  pyo3-doctor run -- maturin develop --release
  pyo3-doctor run --json -- nix build -L 2>/dev/null | jq '.diagnoses[0].id'`;

type RunOptions = {json: boolean; inherit: boolean; probe: boolean; project?: string; format?: string; fix: boolean; yes: boolean; help: boolean};

/**
Splits `run`'s own options from the command. Everything after `--`, or from the first word
that is not one of our options, is the command, passed on untouched (`run cargo test --release`
works without `--`).
*/
export function splitRunArgs(argv: readonly string[]): {options: RunOptions; command: string[]} {
	const options: RunOptions = {json: false, inherit: false, probe: true, fix: false, yes: false, help: false};
	for (let index = 0; index < argv.length; index++) {
		const word = argv[index]!;
		if (word === '--') {
			return {options, command: argv.slice(index + 1)};
		}

		if (word === '--json') {
			options.json = true;
		} else if (word === '--fix') {
			options.fix = true;
		} else if (word === '--yes') {
			options.yes = true;
		} else if (word === '--inherit') {
			options.inherit = true;
		} else if (word === '--no-probe') {
			options.probe = false;
		} else if (word === '-h' || word === '--help') {
			options.help = true;
		} else if (word === '--format' || word.startsWith('--format=')) {
			const value = word === '--format' ? argv[++index] : word.slice('--format='.length);
			if (value !== 'github' && value !== 'text') {
				throw new UserError(`--format must be text or github, got "${value ?? ''}".`, ExitCode.usage);
			}

			options.format = value;
		} else if (word === '--project' || word.startsWith('--project=')) {
			const value = word === '--project' ? argv[++index] : word.slice('--project='.length);
			if (!value) {
				throw new UserError(`--project needs a directory.\n\n${usage}`, ExitCode.usage);
			}

			options.project = value;
		} else if (word.startsWith('-')) {
			throw new UserError(`run: unknown option ${word}. Put the build command after --: pyo3-doctor run -- ${argv.slice(index).join(' ')}`, ExitCode.usage);
		} else {
			return {options, command: argv.slice(index)};
		}
	}

	return {options, command: []};
}

function describeCommand(command: readonly string[]): string {
	return command.map(word => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", String.raw`'\''`)}'`)).join(' ');
}

/** One line saying how the build ended, for stderr. */
export function describeOutcome(command: readonly string[], outcome: BuildOutcome): string {
	const shown = describeCommand(command);
	const seconds = `${(outcome.durationMs / 1000).toFixed(1)} s`;
	if (outcome.startError) {
		return outcome.startError.code === 'ENOENT'
			? `cannot run "${command[0]}": command not found. Check the spelling, or that it is on PATH (inside nix develop if it comes from the flake).`
			: `cannot run "${command[0]}": ${outcome.startError.message}`;
	}

	if (outcome.signal) {
		const how = outcome.signal === 'SIGINT' ? 'was interrupted (SIGINT)' : `was killed by ${outcome.signal}`;
		const hint = outcome.signal === 'SIGKILL' && !outcome.interrupted ? '. SIGKILL often means the machine ran out of memory' : '';
		return `\`${shown}\` ${how} after ${seconds} (exit ${outcome.exitCode})${hint}`;
	}

	if (outcome.interrupted) {
		return `\`${shown}\` stopped after the interrupt, with exit code ${outcome.exitCode} after ${seconds}`;
	}

	return `\`${shown}\` failed with exit code ${outcome.exitCode} after ${seconds}`;
}

export async function run(context: CommandContext): Promise<number> {
	const {options, command} = splitRunArgs(context.argv);
	if (options.help) {
		context.stdout.write(`${usage}\n`);
		return ExitCode.ok;
	}

	if (command.length === 0) {
		throw new UserError(`run needs the build command after --.\n\n${usage}`, ExitCode.usage);
	}

	if (options.fix && options.json) {
		throw new UserError('--fix asks before it writes and builds again: it does not go with --json.', ExitCode.usage);
	}

	if (options.yes && !options.fix) {
		throw new UserError('--yes only means something with --fix: pyo3-doctor run --fix --yes -- COMMAND', ExitCode.usage);
	}

	const projectDir = path.resolve(context.cwd, options.project ?? '.');
	// Loaded quietly: a broken entry is mentioned only when there is a failure to diagnose,
	// so that a successful build prints nothing but its own output.
	const {entries: knowledge, problems} = await loadKnowledge(context.env.PYO3_DOCTOR_KNOWLEDGE_DIR || undefined);
	const scanner = new LogScanner(knowledge);
	const tail = new TailBuffer({maxLines: 2000, maxChars: 1024 * 1024});
	let outputChars = 0;
	const stdio: BuildStdio = options.inherit ? 'inherit' : 'tee';
	const mode = decideMode({json: options.json, stdoutIsTTY: Boolean(context.stdout.isTTY), keyboardAvailable: Boolean(context.stdin.isTTY), env: context.env});
	const outcome = await runBuild({
		command: command[0]!,
		args: command.slice(1),
		cwd: projectDir,
		env: context.env,
		stdio,
		stdin: 'inherit',
		// With --json our stdout carries the JSON alone, so the build's stdout joins its stderr.
		stdout: options.json ? context.stderr : context.stdout,
		stderr: context.stderr,
		onOutput(text) {
			outputChars += text.length;
			scanner.feed(text);
			tail.push(text);
		},
		signals: context.signals,
		terminalDeliversInterrupt: Boolean(context.stdin.isTTY),
	});
	const scan = scanner.end();
	const style: Style = wantsColour(context.env, Boolean(context.stderr.isTTY)) ? colourStyle : plainStyle;
	const failed = outcome.exitCode !== 0;
	// Ctrl-C or a termination we passed on: the user stopped the build, it did not fail by itself.
	const interruptedByUser = outcome.interrupted;
	const skipDiagnosis = !failed || Boolean(outcome.startError) || interruptedByUser;

	let findings: Finding[] = [];
	let facts: Facts | undefined;
	if (failed) {
		context.stderr.write(`\n${style.bold('pyo3-doctor:')} ${describeOutcome(command, outcome)}\n`);
	}

	if (!skipDiagnosis) {
		if (options.probe) {
			if (mode !== 'json') {
				context.stderr.write(style.dim('pyo3-doctor: checking the environment…\n'));
			}

			try {
				facts = (await collectFacts({projectDir: options.project ? projectDir : undefined, cwd: projectDir, env: context.env})).facts;
			} catch (error) {
				context.stderr.write(`pyo3-doctor: the environment checks failed (${(error as Error).message}); diagnosing from the output alone.\n`);
			}
		}

		findings = rankFindings(knowledge, scan, facts);
		// Problems the environment proves on its own (as in `check`) join those the output shows.
		if (facts) {
			const seen = new Set(findings.map(finding => finding.diagnosis.id));
			findings = sortFindings([...findings, ...findingsFromFacts(knowledge, facts).filter(finding => !seen.has(finding.diagnosis.id))]);
		}
		if (problems.length > 0) {
			context.stderr.write(`${formatProblems(problems)}\npyo3-doctor: ${problems.length} knowledge problem(s); those entries were not used.\n`);
		}
	}

	// As with diagnose: each fix carries its patch against the project's own files.
	const projectRoot = skipDiagnosis || findings.length === 0 ? undefined : findProjectRoot(projectDir);
	const patchFor = projectRoot === undefined ? undefined : (await import('../io/patch-files.js')).createPatchLookup({root: projectRoot, findings, facts: facts ?? {}});
	if (!skipDiagnosis && wantsGithubOutput(context.env, options.format)) {
		const warning = writeGithubOutput({
			findings,
			patchFor,
			projectRoot,
			cwd: projectDir,
			env: context.env,
			heading: `pyo3-doctor: \`${describeCommand(command)}\` failed with exit code ${outcome.exitCode}`,
			stdout: context.stdout,
			// With --json, stdout carries the JSON alone.
			annotations: !options.json,
		});
		if (warning) {
			context.stderr.write(`${warning}\n`);
		}
	}

	const unmatched = skipDiagnosis ? undefined : whatCameClose(knowledge, scan, findings);
	if (options.json) {
		const output = {
			schemaVersion,
			command: {
				argv: command,
				cwd: projectDir,
				exitCode: outcome.exitCode,
				...(outcome.signal ? {signal: outcome.signal} : {}),
				...(outcome.startError ? {startError: outcome.startError.code} : {}),
				durationMs: outcome.durationMs,
				stdio,
			},
			input: {source: 'build output', lines: scan.lines, characters: outputChars},
			diagnoses: findings.map(finding => findingToJson(finding, patchFor, facts)),
			...(unmatched ? {unmatched: unmatchedToJson(unmatched)} : {}),
			tail: failed ? tail.lines().slice(-40).map(line => stripAnsi(line)) : [],
		};
		context.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
		return outcome.exitCode;
	}

	if (skipDiagnosis) {
		if (interruptedByUser && failed) {
			context.stderr.write('pyo3-doctor: interrupted, so nothing is diagnosed.\n');
		}

		return outcome.exitCode;
	}

	const source = stdio === 'inherit' ? 'the environment (the output was not captured: --inherit)' : 'the build output';
	context.stderr.write(`\n${formatFindings(findings, source, scan.lines, style, patchFor, facts, unmatched)}\n`);
	const top = findings[0];
	if (options.fix && top && projectRoot) {
		return fixAndRunAgain(context, {command, finding: top, facts: facts ?? {}, root: projectRoot, yes: options.yes, style, firstExit: outcome.exitCode});
	}

	const topFix = top && fixesInOrder(top, facts, patchFor)[0];
	if (patchFor && projectRoot && top && topFix && patchFor(top.diagnosis.id, topFix.id)?.diff) {
		context.stderr.write(`To apply the patch: pyo3-doctor fix ${top.diagnosis.id} --project ${projectRoot} --apply\n`);
	}

	if (options.fix) {
		context.stderr.write(`pyo3-doctor --fix: ${top ? 'no project (Cargo.toml) to patch here' : 'no known cause to fix'}; the build is not run again.\n`);
	}

	return outcome.exitCode;
}

/** `--fix`: writes the top finding's patch after a yes, runs the same command once more, and says how that went. */
async function fixAndRunAgain(
	context: CommandContext,
	options: {command: string[]; finding: Finding; facts: Facts; root: string; yes: boolean; style: Style; firstExit: number},
): Promise<number> {
	const {applyTopFix} = await import('./run-fix.js');
	const fixed = await applyTopFix(context, options);
	if (!fixed.written) {
		return options.firstExit;
	}

	const {style} = options;
	context.stderr.write(`\n${style.bold('pyo3-doctor --fix:')} running \`${describeCommand(options.command)}\` again…\n\n`);
	// The same command, the same options, without --fix: one rerun, diagnosed as the first run was.
	const ownOptions = context.argv.slice(0, context.argv.length - options.command.length);
	const argv = [...ownOptions.filter(word => word !== '--fix' && word !== '--yes'), ...options.command];
	const exitCode = await run({...context, argv});
	const backups = fixed.backups.length > 0 ? `; backup at ${fixed.backups.join(', ')}` : '';
	context.stderr.write(
		exitCode === 0
			? `${style.green('pyo3-doctor --fix: fixed: the build passes now.')} The patch is kept${backups}.\n`
			: `${style.bold('pyo3-doctor --fix:')} the build still fails (exit ${exitCode}); the previous patch is kept${backups}.\n`,
	);
	return exitCode;
}
