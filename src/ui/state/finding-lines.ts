import type {Facts} from '../../core/knowledge/conditions.js';
import type {Fix, LoadedDiagnosis} from '../../core/knowledge/schema.js';
import type {Finding} from '../../core/match/rank.js';
import {fixFits, orderFixes} from '../../core/patch/fix-order.js';
import type {PatchPlan} from '../deps.js';
import {displayText, type StyledLine} from './layout.js';

/** Where the patch of the shown fix stands. */
export type PatchStatus = {state: 'unavailable'} | {state: 'loading'} | {state: 'ready'; plan: PatchPlan} | {state: 'failed'; message: string};

export function confidenceLabel(confidence: number): string {
	if (confidence >= 0.8) {
		return 'very likely';
	}

	return confidence >= 0.5 ? 'likely' : 'possible';
}

/**
The fixes worth showing for this environment, best first: in `order` (fix ids, as orderFixes
ranked them against the project's files) or else ranked on the facts alone; those whose
condition is known to be false are left out while any other remains.
*/
export function applicableFixes(entry: LoadedDiagnosis, facts: Facts, order?: readonly string[]): Fix[] {
	const ordered = order ? order.map(id => entry.fixes.find(fix => fix.id === id)).filter(fix => fix !== undefined) : orderFixes(entry.fixes, facts);
	const fitting = ordered.filter(fix => fixFits(fix, facts) !== false);
	return fitting.length > 0 ? fitting : ordered;
}

function diffLines(diff: string): StyledLine[] {
	return diff
		.trimEnd()
		.split('\n')
		.map(line => {
			if (line.startsWith('+++') || line.startsWith('---')) {
				return {text: line, bold: true};
			}

			if (line.startsWith('+')) {
				return {text: line, tone: 'added'};
			}

			if (line.startsWith('-')) {
				return {text: line, tone: 'removed'};
			}

			return line.startsWith('@@') ? {text: line, tone: 'hunk'} : {text: line};
		});
}

/** The scrollable body of the diagnosis screen: why, the explanation, the fix, the patch. */
export function findingBody(finding: Finding, fix: Fix | undefined, fixNumber: number, fixCount: number, patch: PatchStatus): StyledLine[] {
	const entry = finding.diagnosis;
	const lines: StyledLine[] = [{text: finding.summary.trim()}, {text: ''}];
	if (finding.evidence.length > 0 || finding.factEvidence.length > 0) {
		lines.push({text: 'Why', bold: true});
		for (const evidence of finding.evidence) {
			lines.push({text: `  log line ${evidence.line}: ${displayText(evidence.text).trim()}`});
		}

		for (const fact of finding.factEvidence) {
			lines.push({text: `  ${fact.effect === 'confirm' ? '✓' : '✗'} ${fact.says}`, tone: fact.effect === 'confirm' ? 'good' : 'warn'});
		}

		lines.push({text: ''});
	}

	if (fix) {
		const which = fixCount > 1 ? ` (fix ${fixNumber} of ${fixCount}, f: another)` : '';
		lines.push({text: `Fix: ${fix.title}${which}`, bold: true});
		for (const step of fix.steps) {
			lines.push({text: `  - ${step}`});
		}

		for (const command of fix.commands) {
			lines.push({text: `    $ ${command}`, tone: 'accent'});
		}

		lines.push({text: ''});
		lines.push(...patchLines(patch));
	}

	lines.push({text: 'Why it happens', bold: true});
	for (const paragraph of entry.explanation.trimEnd().split('\n')) {
		lines.push({text: paragraph});
	}

	if (entry.references.length > 0) {
		lines.push({text: ''}, {text: 'References', bold: true});
		for (const reference of entry.references) {
			lines.push({text: `  ${reference}`, tone: 'dim'});
		}
	}

	return lines;
}

function patchLines(patch: PatchStatus): StyledLine[] {
	switch (patch.state) {
		case 'unavailable': {
			return [];
		}

		case 'loading': {
			return [{text: 'Patch for your project: preparing…', tone: 'dim'}, {text: ''}];
		}

		case 'failed': {
			return [{text: `Patch for your project: could not be prepared: ${patch.message}`, tone: 'warn'}, {text: ''}];
		}

		case 'ready': {
			const {plan} = patch;
			if (plan.status === 'already-applied') {
				return [{text: 'Patch for your project: already applied; nothing to change.', tone: 'good'}, {text: ''}];
			}

			if (plan.status === 'manual') {
				return [{text: `Patch for your project: none; do it by hand (${plan.reason}).`, tone: 'dim'}, {text: ''}];
			}

			return [{text: `Patch for your project (${plan.files.join(', ')}):`, bold: true}, ...diffLines(plan.diff), {text: ''}];
		}
	}
}
