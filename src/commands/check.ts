import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';
import type {CommandContext} from '../cli/context.js';
import {ExitCode, UserError} from '../cli/exit-codes.js';
import {proveBeforeBuild} from '../core/facts/before-build.js';
import {isUnanswered, type CheckLine} from '../core/facts/checks.js';
import {deriveFacts} from '../core/facts/derive.js';
import type {Facts} from '../core/knowledge/conditions.js';
import {findingsFromFacts} from '../core/match/from-facts.js';
import type {Finding} from '../core/match/rank.js';
import {checkMarks, formatCheckMarkdown, formatCheckText} from '../core/report/check-report.js';
import {formatFinding} from '../core/report/findings-text.js';
import {redact} from '../core/redact.js';
import {findingToJson, schemaVersion, type PatchLookup} from '../core/report/findings-json.js';
import {colourStyle, plainStyle, wantsColour, type Style} from '../core/report/style.js';
import {collectFacts} from '../probes/collect.js';
import {findProjectRoot, isEntry} from '../io/project-root.js';
import {loadKnowledgeOrFail} from './shared.js';

export const usage = `Usage: pyo3-doctor check [--project DIR] [--json | --format markdown] [--timeout MS] [--no-cache]

Looks at this machine and the project without building anything: the Rust toolchain,
every Python that pyo3 or maturin could pick, Nix, maturin and the project's files. Prints
one line per area, then every known problem those facts already prove.

  --project DIR      the crate to check (default: the folder holding Cargo.toml, from here upwards)
  --json             print one JSON object: schemaVersion, facts, checks, diagnoses
  --format FORMAT    text (default) or markdown: a report to paste into a bug report, with
                     tokens, passwords, URL credentials and your home folder removed
  --timeout MS       the longest any one tool may take to answer (default 3000)
  --no-cache         ask every tool again: do not use or keep answers in
                     $XDG_CACHE_HOME/pyo3-doctor (kept while the tools' files are unchanged)
  -h, --help         show this help

Exit codes: 0 nothing wrong, 1 a problem was found or a tool did not answer, 2 usage error.

Examples:
  pyo3-doctor check
  pyo3-doctor check --project ./rust --json | jq '.facts.python.selected'
  pyo3-doctor check --format markdown > report.md`;

const formats = ['text', 'markdown'] as const;
type Format = (typeof formats)[number];

function parseTimeout(value: string | undefined): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	const timeout = Number(value);
	if (!Number.isInteger(timeout) || timeout < 100 || timeout > 120_000) {
		throw new UserError(`--timeout expects milliseconds between 100 and 120000, got "${value}".`, ExitCode.usage);
	}

	return timeout;
}

/** One member crate's part of the report at a workspace root: its project line and what its facts prove. */
export type CrateReport = {name: string; path: string; project: CheckLine; findings: Finding[]; patchFor?: PatchLookup};

/** At a workspace root: a section per pyo3 member crate, after the summary of the environment. */
export function formatCrateSections(crates: readonly CrateReport[], style: Style): string {
	const colour = {ok: style.green, warn: style.yellow, error: style.red};
	const lines: string[] = [];
	for (const crate of crates) {
		lines.push('', style.bold(`── crate ${crate.name} (${crate.path}) ──`));
		lines.push(`[${colour[crate.project.status](checkMarks[crate.project.status])}] ${style.bold('Project files')}: ${crate.project.found}`);
		if (crate.project.hint && crate.project.status !== 'ok') {
			lines.push(`    ${style.dim('→')} ${crate.project.hint}`);
		}

		if (crate.findings.length === 0) {
			lines.push('No known problem in this crate.');
		} else {
			lines.push('', style.bold(`${crate.findings.length === 1 ? 'One problem' : `${crate.findings.length} problems`} found before any build:`), '');
			lines.push(crate.findings.map((finding, index) => formatFinding(finding, index + 1, style, crate.patchFor)).join('\n\n'));
		}
	}

	return lines.join('\n');
}

export async function run(context: CommandContext): Promise<number> {
	const {values, positionals} = parseArgs({
		args: context.argv,
		allowPositionals: true,
		options: {
			json: {type: 'boolean', default: false},
			format: {type: 'string', default: 'text'},
			project: {type: 'string'},
			timeout: {type: 'string'},
			'no-cache': {type: 'boolean', default: false},
			help: {type: 'boolean', short: 'h', default: false},
		},
	});
	if (values.help) {
		context.stdout.write(`${usage}\n`);
		return ExitCode.ok;
	}

	if (positionals.length > 0) {
		throw new UserError(`check takes no arguments, got: ${positionals.join(' ')}. To check another folder: pyo3-doctor check --project DIR\n\n${usage}`, ExitCode.usage);
	}

	if (!(formats as readonly string[]).includes(values.format)) {
		throw new UserError(`--format must be text or markdown, got "${values.format}".`, ExitCode.usage);
	}

	const format = values.format as Format;
	if (values.json && format !== 'text') {
		throw new UserError('--json and --format markdown are two different outputs: pick one.', ExitCode.usage);
	}

	const timeoutMs = parseTimeout(values.timeout);
	let projectDir: string | undefined;
	if (values.project !== undefined) {
		projectDir = path.resolve(context.cwd, values.project);
		if (!existsSync(projectDir) || !statSync(projectDir).isDirectory()) {
			throw new UserError(`--project ${values.project}: no such folder.`, ExitCode.usage);
		}

		if (!isEntry(path.join(projectDir, 'Cargo.toml'))) {
			throw new UserError(`--project ${values.project}: there is no Cargo.toml in that folder. Pass the folder of the crate that depends on pyo3.`, ExitCode.usage);
		}
	}

	// The probes' commands run while the knowledge base loads.
	const probing = collectFacts({cwd: context.cwd, env: context.env, cache: !values['no-cache'], ...(projectDir ? {projectDir} : {}), ...(timeoutMs ? {timeoutMs} : {})});
	const knowledge = await loadKnowledgeOrFail(context);
	const probed = await probing;
	const {facts, crates = []} = probed;
	// At a workspace root, each pyo3 crate gets its own section: what the environment alone proves is
	// shown once, above, with what concerns the root only; what a crate's files prove, in its section.
	const crateFindingLists = crates.map(crate => findingsFromFacts(knowledge, crate.facts));
	// The root's own derived facts go too: what its files prove (outputHashes…) is no environment fact.
	const environmentIds = new Set(crates.length === 0 ? [] : findingsFromFacts(knowledge, deriveFacts({...facts, project: {found: false}, derived: {}}, context.env)).map(finding => finding.diagnosis.id));
	const inSomeCrate = (id: string) => crateFindingLists.some(list => list.some(finding => finding.diagnosis.id === id));
	const fullReport = proveBeforeBuild(knowledge, facts, probed.checks);
	const report = crates.length === 0 ? fullReport : {...fullReport, findings: fullReport.findings.filter(finding => environmentIds.has(finding.diagnosis.id) || !inSomeCrate(finding.diagnosis.id))};
	const {checks, findings} = report;

	// Each fix carries its patch against the project's own files, as with `diagnose`.
	const root = projectDir ?? findProjectRoot(context.cwd);
	const patchLookup = async (crateRoot: string | undefined, crateFindings: Finding[], crateFacts: Facts) =>
		crateRoot === undefined || crateFindings.length === 0 ? undefined : (await import('../io/patch-files.js')).createPatchLookup({root: crateRoot, findings: crateFindings, facts: crateFacts});
	const patchFor = await patchLookup(root, findings, facts);
	const crateReports: CrateReport[] = await Promise.all(
		crates.map(async (crate, index) => {
			const crateFindings = crateFindingLists[index]!.filter(finding => !environmentIds.has(finding.diagnosis.id));
			// The crate's project line is marked by what its own files prove, as the top-level lines are.
			const project = proveBeforeBuild(knowledge, crate.facts, [crate.checks.find(check => check.area === 'project')!]).checks[0]!;
			const lookup = await patchLookup(crate.root, crateFindings, crate.facts);
			return {name: crate.name, path: path.relative(root ?? context.cwd, crate.root) || '.', project, findings: crateFindings, ...(lookup ? {patchFor: lookup} : {})};
		}),
	);
	// A tool that did not answer leaves the check incomplete: that is not a clean bill of health.
	const healthy = findings.length === 0 && crateReports.every(crate => crate.findings.length === 0) && !checks.some(check => check.status === 'error' || isUnanswered(check.found));

	if (values.json) {
		const output = {
			schemaVersion,
			facts,
			checks,
			diagnoses: findings.map(finding => findingToJson(finding, patchFor, facts)),
			...(crateReports.length > 0
				? {
						crates: crateReports.map((crate, index) => ({
							name: crate.name,
							path: crate.path,
							facts: {project: crates[index]!.facts.project, derived: crates[index]!.facts.derived},
							checks: [crate.project],
							diagnoses: crate.findings.map(finding => findingToJson(finding, crate.patchFor, crates[index]!.facts)),
						})),
					}
				: {}),
		};
		context.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
	} else if (format === 'markdown') {
		context.stdout.write(`${redact(formatCheckMarkdown({...report, findings: [...findings, ...crateReports.flatMap(crate => crate.findings)]}, facts), {home: context.env.HOME})}\n`);
	} else {
		const style = wantsColour(context.env, Boolean(context.stdout.isTTY)) ? colourStyle : plainStyle;
		context.stdout.write(`${formatCheckText(report, style, patchFor, facts)}${formatCrateSections(crateReports, style)}\n`);
	}

	return healthy ? ExitCode.ok : ExitCode.problemsFound;
}
