import {beforeBuildSummary, type BeforeBuildReport} from '../facts/before-build.js';
import type {CheckLine} from '../facts/checks.js';
import type {Facts} from '../knowledge/conditions.js';
import type {PatchLookup} from './findings-json.js';
import {formatFinding} from './findings-text.js';
import type {Style} from './style.js';

// The report of `pyo3-doctor check`, also shown (and saved) by the wizard's environment report.

export const checkMarks: Record<CheckLine['status'], string> = {ok: '✓', warn: '!', error: '✗'};

export const areaLabels: Record<string, string> = {
	system: 'System',
	rust: 'Rust toolchain',
	python: 'Python interpreter',
	nix: 'Nix',
	maturin: 'maturin',
	project: 'Project files',
};

/** The flutter-doctor style report: one line per area, then the proven findings. */
export function formatCheckText(report: BeforeBuildReport, style: Style, patchFor?: PatchLookup, facts?: Facts): string {
	const {checks, findings} = report;
	const colour = {ok: style.green, warn: style.yellow, error: style.red};
	const lines: string[] = ['Doctor summary (to see all facts, run pyo3-doctor check --json):'];
	for (const check of checks) {
		lines.push(`[${colour[check.status](checkMarks[check.status])}] ${style.bold(areaLabels[check.area] ?? check.area)}: ${check.found}`);
		if (check.hint && check.status !== 'ok') {
			lines.push(`    ${style.dim('→')} ${check.hint}`);
		}
	}

	lines.push('');
	if (findings.length > 0) {
		lines.push(style.bold(`${findings.length === 1 ? 'One problem' : `${findings.length} problems`} found before any build:`), '');
		lines.push(findings.map((finding, index) => formatFinding(finding, index + 1, style, patchFor, facts)).join('\n\n'), '');
	}

	const healthy = findings.length === 0 && checks.every(check => check.status === 'ok');
	lines.push(`${healthy ? style.green('•') : style.yellow('!')} Doctor: ${beforeBuildSummary(report)}.`);
	if (findings.length > 0) {
		lines.push(style.dim(`For more information: pyo3-doctor explain ${findings[0]!.diagnosis.id}`));
	}

	return lines.join('\n');
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The report as Markdown for an issue; the caller redacts it. */
export function formatCheckMarkdown(report: BeforeBuildReport, facts: Facts): string {
	const {checks, findings} = report;
	const lines = ['### pyo3-doctor check', '', '| | area | found | hint |', '|---|---|---|---|'];
	for (const check of checks) {
		lines.push(`| ${checkMarks[check.status]} | ${areaLabels[check.area] ?? check.area} | ${cell(check.found)} | ${cell(check.status === 'ok' ? '' : check.hint ?? '')} |`);
	}

	lines.push('');
	if (findings.length > 0) {
		lines.push('#### Problems found before any build', '');
		for (const finding of findings) {
			lines.push(`- **${finding.diagnosis.title}** (\`${finding.diagnosis.id}\`, confidence ${finding.confidence.toFixed(2)}): ${finding.summary}`);
		}
	} else {
		lines.push('No known problem is proven by the facts.');
	}

	lines.push('', `${beforeBuildSummary(report)}.`);
	lines.push('', '<details><summary>All facts</summary>', '', '```json', JSON.stringify(facts, null, 2), '```', '', '</details>');
	return lines.join('\n');
}
