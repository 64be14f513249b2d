import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {parseArgs} from 'node:util';
import type {CommandContext} from '../cli/context.js';
import {ExitCode, UserError} from '../cli/exit-codes.js';
import {proveBeforeBuild} from '../core/facts/before-build.js';
import {isUnanswered} from '../core/facts/checks.js';
import {formatCheckMarkdown, formatCheckText} from '../core/report/check-report.js';
import {redact} from '../core/redact.js';
import {findingToJson, schemaVersion, type PatchLookup} from '../core/report/findings-json.js';
import {colourStyle, plainStyle, wantsColour, type Style} from '../core/report/style.js';
import {collectFacts} from '../probes/collect.js';
import {findProjectRoot, isEntry} from '../io/project-root.js';
import {loadKnowledgeOrFail} from './shared.js';

export const usage = `Usage: pyo3-doctor check [--project DIR] [--json | --format markdown] [--timeout MS]

Looks at this machine and the project without building anything: the Rust toolchain,
every Python that pyo3 or maturin could pick, Nix, maturin and the project's files. Prints
one line per area, then every known problem those facts already prove.

  --project DIR      the crate to check (default: the folder holding Cargo.toml, from here upwards)
  --json             print one JSON object: schemaVersion, facts, checks, diagnoses
  --format FORMAT    text (default) or markdown: a report to paste into a bug report, with
                     tokens, passwords, URL credentials and your home folder removed
  --timeout MS       the longest any one tool may take to answer (default 3000)
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

export async function run(context: CommandContext): Promise<number> {
	const {values, positionals} = parseArgs({
		args: context.argv,
		allowPositionals: true,
		options: {
			json: {type: 'boolean', default: false},
			format: {type: 'string', default: 'text'},
			project: {type: 'string'},
			timeout: {type: 'string'},
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
	const probing = collectFacts({cwd: context.cwd, env: context.env, ...(projectDir ? {projectDir} : {}), ...(timeoutMs ? {timeoutMs} : {})});
	const knowledge = await loadKnowledgeOrFail(context);
	const probed = await probing;
	const {facts} = probed;
	const report = proveBeforeBuild(knowledge, facts, probed.checks);
	const {checks, findings} = report;
	// A tool that did not answer leaves the check incomplete: that is not a clean bill of health.
	const healthy = findings.length === 0 && !checks.some(check => check.status === 'error' || isUnanswered(check.found));

	// Each fix carries its patch against the project's own files, as with `diagnose`.
	const root = projectDir ?? findProjectRoot(context.cwd);
	const patchFor = root === undefined || findings.length === 0 ? undefined : (await import('../io/patch-files.js')).createPatchLookup({root, findings, facts});
	if (values.json) {
		const output = {schemaVersion, facts, checks, diagnoses: findings.map(finding => findingToJson(finding, patchFor))};
		context.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
	} else if (format === 'markdown') {
		context.stdout.write(`${redact(formatCheckMarkdown(report, facts), {home: context.env.HOME})}\n`);
	} else {
		const style = wantsColour(context.env, Boolean(context.stdout.isTTY)) ? colourStyle : plainStyle;
		context.stdout.write(`${formatCheckText(report, style, patchFor)}\n`);
	}

	return healthy ? ExitCode.ok : ExitCode.problemsFound;
}
