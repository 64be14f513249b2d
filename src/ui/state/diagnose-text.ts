import {applyFacts, rankFindings, sortFindings, type Finding} from '../../core/match/rank.js';
import {whatCameClose, type Unmatched} from '../../core/match/near.js';
import {LogScanner} from '../../core/match/scanner.js';
import {fillTemplate, type Facts} from '../../core/knowledge/conditions.js';
import type {LoadedDiagnosis} from '../../core/knowledge/schema.js';

export type TextDiagnosis = {findings: Finding[]; lines: number; unmatched?: Unmatched};

/** Diagnoses a whole log held in memory (a paste, a loaded file, a piped log); with no finding, what came close. */
export function diagnoseText(knowledge: readonly LoadedDiagnosis[], text: string, facts?: Facts): TextDiagnosis {
	const scanner = new LogScanner(knowledge);
	scanner.feed(text);
	const scan = scanner.end();
	const findings = rankFindings(knowledge, scan, facts);
	const unmatched = whatCameClose(knowledge, scan, findings);
	return {findings, lines: scan.lines, ...(unmatched ? {unmatched} : {})};
}

/** The prior a decision tree's answer gives a diagnosis before the facts are weighed. */
const treeAnswerConfidence = 0.5;

/**
Turns the diagnosis ids a tree's answers led to into findings: no log evidence, the facts'
evidence, in the tree's order unless the facts separate them. Ids without an entry are left out.
*/
export function findingsForIds(knowledge: readonly LoadedDiagnosis[], ids: readonly string[], facts?: Facts): Finding[] {
	const findings: Finding[] = [];
	for (const [index, id] of ids.entries()) {
		const entry = knowledge.find(candidate => candidate.id === id);
		if (!entry) {
			continue;
		}

		// The tree lists the likelier cause first: a small step keeps that order among equals.
		const prior = treeAnswerConfidence - index * 0.01;
		const withFacts = applyFacts(entry, prior, facts, {});
		findings.push({
			diagnosis: entry,
			confidence: Math.round(withFacts.confidence * 100) / 100,
			summary: fillTemplate(entry.summary, facts ?? {}),
			evidence: [],
			factEvidence: withFacts.factEvidence,
			captures: {},
		});
	}

	return sortFindings(findings);
}
