import {parseArgs} from 'node:util';
import type {CommandContext} from '../cli/context.js';
import {ExitCode, UserError} from '../cli/exit-codes.js';
import type {LoadedDiagnosis} from '../core/knowledge/schema.js';
import type {Facts} from '../core/knowledge/conditions.js';
import {whatCameClose, type Unmatched} from '../core/match/near.js';
import {findingsFromFacts} from '../core/match/from-facts.js';
import {rankFindings, withProvenCauses, type Finding} from '../core/match/rank.js';
import {LogScanner} from '../core/match/scanner.js';
import {formatUnparsableFiles, unparsableFiles} from '../core/files/parse-problems.js';
import {findingToJson, fixesInOrder, schemaVersion, unmatchedToJson} from '../core/report/findings-json.js';
import {formatFindings} from '../core/report/findings-text.js';
import {colourStyle, plainStyle, wantsColour} from '../core/report/style.js';
import {InputError, readLog} from '../io/read-log.js';
import {wantsGithubOutput} from '../io/github-output.js';
import {findProjectRoot} from '../io/project-root.js';
import {loadKnowledgeOrFail} from './shared.js';

export const usage = `Usage: pyo3-doctor diagnose [FILE|-] [--json] [--project DIR] [--format github]

Reads a failed build's output and names the likely causes, best first, with the
log lines that show them and how to fix them.

  FILE        the log file; '-' or no FILE reads standard input when it is piped
  --json      print one JSON object (schemaVersion 1) and nothing else on stdout
  --no-probe  do not look at this machine (for a log from another machine or CI);
              by default its facts confirm or refute each finding, as pyo3-doctor check sees them
  --project DIR  the crate to make each fix's patch against (default: the Cargo.toml
              found from the current folder upwards, if any)
  --format github  also print each cause as a GitHub Actions ::error annotation and append a
              Markdown summary with the patch to $GITHUB_STEP_SUMMARY (the default inside
              GitHub Actions, where GITHUB_ACTIONS=true)
  -h, --help  show this help

Examples:
  cargo test 2>&1 | pyo3-doctor diagnose
  nix build -L 2>&1 | tee build.log; pyo3-doctor diagnose build.log --json | jq '.diagnoses[0].id'`;

export type DiagnoseResult = {findings: Finding[]; lines: number; bytes: number; unmatched?: Unmatched};

/** Streams a log source through the matcher. */
export async function diagnoseSource(
	knowledge: readonly LoadedDiagnosis[],
	source: string | NodeJS.ReadableStream,
	options: {facts?: Facts; onIdle?: () => void} = {},
): Promise<DiagnoseResult> {
	const scanner = new LogScanner(knowledge);
	const bytes = await readLog(source as never, {onText: text => scanner.feed(text), onIdle: options.onIdle});
	const scan = scanner.end();
	if (bytes === 0) {
		throw new InputError('The log is empty: there is nothing to diagnose. Pass the output of the failed build (stdout and stderr: 2>&1).');
	}

	const fromLog = rankFindings(knowledge, scan, options.facts);
	const findings = options.facts ? withProvenCauses(fromLog, findingsFromFacts(knowledge, options.facts)) : fromLog;
	const unmatched = whatCameClose(knowledge, scan, findings);
	return {findings, lines: scan.lines, bytes, ...(unmatched ? {unmatched} : {})};
}

export async function run(context: CommandContext): Promise<number> {
	const {values, positionals} = parseArgs({
		args: context.argv,
		allowPositionals: true,
		options: {
			json: {type: 'boolean', default: false},
			'no-probe': {type: 'boolean', default: false},
			project: {type: 'string'},
			format: {type: 'string'},
			help: {type: 'boolean', short: 'h', default: false},
		},
	});
	if (values.help) {
		context.stdout.write(`${usage}\n`);
		return ExitCode.ok;
	}

	if (positionals.length > 1) {
		throw new UserError(`diagnose takes one log file, got ${positionals.length}: ${positionals.join(' ')}\n\n${usage}`, ExitCode.usage);
	}

	if (values.format !== undefined && values.format !== 'text' && values.format !== 'github') {
		throw new UserError(`--format must be text or github, got "${values.format}".`, ExitCode.usage);
	}

	const file = positionals[0];
	const fromStdin = file === undefined || file === '-';
	if (fromStdin && context.stdin.isTTY) {
		throw new UserError(
			[
				'No log to read: standard input is a terminal.',
				'Pass the log as a file, or pipe the build into pyo3-doctor:',
				'  pyo3-doctor diagnose build.log',
				'  cargo build 2>&1 | pyo3-doctor diagnose',
				'To paste a log by hand, run pyo3-doctor with no arguments and choose "Paste".',
			].join('\n'),
			ExitCode.usage,
		);
	}

	// The probes run while the knowledge loads; their facts confirm or refute what the log shows.
	const probing = values['no-probe']
		? undefined
		: import('../probes/collect.js')
				.then(async ({collectFacts}) => (context.collectFacts ?? collectFacts)({cwd: context.cwd, env: context.env, ...(values.project === undefined ? {} : {projectDir: values.project})}))
				.catch(() => undefined);
	const knowledge = await loadKnowledgeOrFail(context);
	const source = fromStdin ? 'standard input' : file;
	const probed = await probing;
	const result = await diagnoseSource(knowledge, fromStdin ? context.stdin : file, {
		...(probed ? {facts: probed.facts} : {}),
		onIdle: context.stderr.isTTY ? () => context.stderr.write('pyo3-doctor: waiting for the log on standard input…\n') : undefined,
	});

	// A project file that does not parse is a finding of its own, whatever the log says.
	const unparsable = unparsableFiles(probed?.facts);
	// Patches are made against the given project, or the one the current folder is in.
	const project = values.project ?? findProjectRoot(context.cwd);
	const patches = project === undefined ? undefined : await (await import('./fix.js')).patchLookupForProject(context, project, result.findings, probed?.facts);
	if (wantsGithubOutput(context.env, values.format)) {
		const {writeGithubOutput} = await import('../io/github-output.js');
		const warning = writeGithubOutput({
			findings: result.findings,
			patchFor: patches?.patchFor,
			projectRoot: patches?.root,
			cwd: context.cwd,
			env: context.env,
			heading: `pyo3-doctor: ${source}`,
			stdout: context.stdout,
			annotations: !values.json,
		});
		if (warning) {
			context.stderr.write(`${warning}\n`);
		}
	}

	if (values.json) {
		const output = {
			schemaVersion,
			input: {source, lines: result.lines, bytes: result.bytes},
			diagnoses: result.findings.map(finding => findingToJson(finding, patches?.patchFor, probed?.facts)),
			...(result.unmatched ? {unmatched: unmatchedToJson(result.unmatched)} : {}),
			...(unparsable.length > 0 ? {unparsableFiles: unparsable} : {}),
		};
		context.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
		return ExitCode.ok;
	}

	const style = wantsColour(context.env, Boolean(context.stdout.isTTY)) ? colourStyle : plainStyle;
	context.stdout.write(`${formatFindings(result.findings, source, result.lines, style, patches?.patchFor, probed?.facts, result.unmatched)}\n`);
	if (unparsable.length > 0) {
		context.stdout.write(`\n${style.yellow(formatUnparsableFiles(unparsable))}\n`);
	}

	const top = result.findings[0];
	const topFix = top && fixesInOrder(top, probed?.facts, patches?.patchFor)[0];
	if (patches && top && topFix && patches.patchFor(top.diagnosis.id, topFix.id)?.diff) {
		context.stdout.write(`To apply the patch: pyo3-doctor fix ${top.diagnosis.id} --project ${patches.root} --apply\n`);
	}

	return ExitCode.ok;
}
