import type {LoadedDiagnosis} from '../knowledge/schema.js';
import type {Unmatched} from '../match/near.js';
import type {Finding} from '../match/rank.js';
import type {Facts} from '../knowledge/conditions.js';
import {fixesInOrder, type PatchLookup} from './findings-json.js';
import type {Style} from './style.js';

function indent(text: string, spaces: number): string {
	const pad = ' '.repeat(spaces);
	return text
		.split('\n')
		.map(line => (line === '' ? line : pad + line))
		.join('\n');
}

function confidenceLabel(confidence: number): string {
	if (confidence >= 0.8) {
		return 'very likely';
	}

	if (confidence >= 0.5) {
		return 'likely';
	}

	return 'possible';
}

/** Colours a unified diff the way git does. */
export function colourDiff(diff: string, style: Style): string {
	return diff
		.split('\n')
		.map(line => {
			if (line.startsWith('+++') || line.startsWith('---')) {
				return style.bold(line);
			}

			if (line.startsWith('+')) {
				return style.green(line);
			}

			if (line.startsWith('-')) {
				return style.red(line);
			}

			return line.startsWith('@@') ? style.cyan(line) : line;
		})
		.join('\n');
}

/** One finding as a block of plain text. */
export function formatFinding(finding: Finding, rank: number, style: Style, patchFor?: PatchLookup, facts?: Facts): string {
	const entry = finding.diagnosis;
	const lines: string[] = [];
	lines.push(
		`${style.bold(`${rank}. ${entry.title}`)}  ${style.dim(`[${entry.id}]`)}  ${style.yellow(
			`${confidenceLabel(finding.confidence)} (${finding.confidence.toFixed(2)})`,
		)}`,
	);
	lines.push(indent(finding.summary, 3));
	if (finding.evidence.length > 0) {
		lines.push('   Seen in the log:');
		for (const evidence of finding.evidence) {
			lines.push(`     ${style.dim(`line ${evidence.line}:`)} ${evidence.text}`);
		}
	}

	if (finding.factEvidence.length > 0) {
		lines.push('   Seen in your environment:');
		for (const fact of finding.factEvidence) {
			lines.push(`     ${fact.effect === 'confirm' ? style.green('✓') : style.yellow('✗')} ${fact.says}`);
		}
	}

	if (finding.proof && finding.proof.facts.length > 0) {
		lines.push(`   ${style.dim('Proved by:')} ${finding.proof.facts.map(item => `${item.fact} = ${formatValue(item.value)}`).join(', ')}`);
	}

	const [fix] = fixesInOrder(finding, facts, patchFor);
	if (fix) {
		lines.push(`   ${style.bold('Fix:')} ${fix.title}`);
		for (const step of fix.steps) {
			lines.push(indent(`- ${step}`, 5));
		}

		for (const command of fix.commands) {
			lines.push(`       ${style.cyan(`$ ${command}`)}`);
		}

		const patch = patchFor?.(entry.id, fix.id);
		if (patch?.diff) {
			lines.push('   Patch for your project:');
			lines.push(indent(colourDiff(patch.diff.trimEnd(), style), 5));
		}

		if (entry.fixes.length > 1) {
			lines.push(style.dim(`   (${entry.fixes.length - 1} more fix${entry.fixes.length > 2 ? 'es' : ''}: pyo3-doctor explain ${entry.id})`));
		}
	}

	return lines.join('\n');
}

/** A symptom under the finding that explains it: what it is and the lines that show it. */
function formatConsequence(symptom: Finding, style: Style): string {
	const entry = symptom.diagnosis;
	const lines = [
		`   ${style.bold('… which is why:')} ${entry.title}  ${style.dim(`[${entry.id}]`)}  ${style.yellow(
			`${confidenceLabel(symptom.confidence)} (${symptom.confidence.toFixed(2)})`,
		)}`,
	];
	for (const evidence of symptom.evidence) {
		lines.push(`     ${style.dim(`line ${evidence.line}:`)} ${evidence.text}`);
	}

	return lines.join('\n');
}

// Nothing silent: the lines read as the failure, and the known classes that came closest.
function formatUnmatched(unmatched: Unmatched, style: Style): string[] {
	const lines: string[] = [];
	if (unmatched.failureLines.length > 0) {
		lines.push('These lines read as the failure:');
		for (const evidence of unmatched.failureLines) {
			lines.push(`  ${style.dim(`line ${evidence.line}:`)} ${evidence.text}`);
		}
	}

	if (unmatched.closest.length > 0) {
		lines.push('The known classes that come closest (too little in the log to name them):');
		for (const close of unmatched.closest) {
			lines.push(`  ${close.diagnosis.title}  ${style.dim(`[${close.diagnosis.id}]`)}  ${style.dim(close.confidence.toFixed(2))}`);
		}
	}

	return lines;
}

/** The whole `diagnose` report. */
export function formatFindings(
	findings: readonly Finding[],
	source: string,
	lineCount: number,
	style: Style,
	patchFor?: PatchLookup,
	facts?: Facts,
	unmatched?: Unmatched,
): string {
	if (findings.length === 0) {
		return [
			`No known PyO3/maturin/Nix failure found in ${source} (${lineCount} lines read).`,
			...(unmatched ? formatUnmatched(unmatched, style) : []),
			'If the build still fails, let pyo3-doctor look at your environment and project:',
			'  pyo3-doctor check',
		].join('\n');
	}

	// A symptom another finding explains is shown under that one, not as a cause of its own.
	const causes = findings.filter(finding => finding.causedBy === undefined);
	const header = `${causes.length === 1 ? 'One likely cause' : `${causes.length} possible causes`} in ${source} (${lineCount} lines read), best first:`;
	const blocks = causes.map((finding, index) =>
		[
			formatFinding(finding, index + 1, style, patchFor, facts),
			...findings.filter(symptom => symptom.causedBy === finding.diagnosis.id).map(symptom => formatConsequence(symptom, style)),
		].join('\n'),
	);
	const footer = style.dim(`For more information: pyo3-doctor explain ${findings[0]!.diagnosis.id}`);
	return [header, '', blocks.join('\n\n'), '', footer].join('\n');
}

/** `pyo3-doctor explain ID`: the whole entry. */
export function formatEntry(entry: LoadedDiagnosis, style: Style): string {
	const lines: string[] = [];
	lines.push(`${style.bold(entry.title)}  ${style.dim(`[${entry.id}]`)}`, '', entry.summary, '', style.bold('Why it happens'), entry.explanation.trimEnd(), '');
	lines.push(style.bold('What it looks like in a log'));
	for (const signature of entry.signatures.filter(signature => signature.role === 'anchor')) {
		lines.push(`  - ${signature.means ?? signature.id}`);
	}

	lines.push('');
	for (const [index, fix] of entry.fixes.entries()) {
		lines.push(style.bold(`Fix ${index + 1}: ${fix.title}`));
		for (const step of fix.steps) {
			lines.push(indent(`- ${step}`, 2));
		}

		for (const command of fix.commands) {
			lines.push(`    ${style.cyan(`$ ${command}`)}`);
		}

		if (fix.edits.length > 0) {
			lines.push(style.dim(`  pyo3-doctor fix ${entry.id} shows this as a patch of your project.`));
		}

		lines.push('');
	}

	lines.push(style.bold('References'));
	for (const reference of entry.references) {
		lines.push(`  ${reference}`);
	}

	return lines.join('\n');
}

function formatValue(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
