import {evaluate, fillTemplate, type Facts} from '../knowledge/conditions.js';
import type {LoadedDiagnosis} from '../knowledge/schema.js';
import {orderCausesFirst} from './causes.js';
import type {LogEvidence, ScanResult} from './scanner.js';

/** Evidence from the environment probes: a fact rule that held. */
export type FactEvidence = {effect: 'confirm' | 'refute'; says: string};

/** One ranked cause. */
export type Finding = {
	diagnosis: LoadedDiagnosis;
	confidence: number;
	summary: string;
	evidence: LogEvidence[];
	factEvidence: FactEvidence[];
	captures: Record<string, string>;
	/** For a finding the facts alone prove (`check`): what proved it, and the facts it rests on. */
	proof?: {says: string; facts: Array<{fact: string; value: unknown}>};
	/** The id of the finding that explains this one (its entry `leadsTo` this class), shown above it. */
	causedBy?: string;
};

/** Findings below this are noise and are not reported. */
export const minimumReportedConfidence = 0.2;

const round = (value: number) => Math.round(value * 100) / 100;

// Combines independent pieces of support: each closes part of the remaining doubt.
function combine(confidence: number, weight: number): number {
	return confidence + (1 - confidence) * weight;
}

/** Applies the fact rules of one entry to a confidence, returning the new value and what was seen. */
export function applyFacts(entry: LoadedDiagnosis, confidence: number, facts: Facts | undefined, captures: Record<string, string>) {
	let result = confidence;
	const factEvidence: FactEvidence[] = [];
	if (!facts) {
		return {confidence: result, factEvidence};
	}

	for (const rule of entry.facts) {
		if (evaluate(rule.when, facts) !== true) {
			continue;
		}

		result = rule.effect === 'confirm' ? combine(result, rule.weight) : result * (1 - rule.weight);
		factEvidence.push({effect: rule.effect, says: fillTemplate(rule.says, {...facts, ...captures})});
	}

	return {confidence: result, factEvidence};
}

/**
Turns scanner hits into ranked findings, best first. A finding needs at least one anchor
signature; context signatures and confirming facts add to it, counter-signatures and
refuting facts take from it.
*/
export function rankFindings(knowledge: readonly LoadedDiagnosis[], scan: ScanResult, facts?: Facts): Finding[] {
	const findings: Finding[] = [];
	for (const entry of knowledge) {
		const hits = scan.hits.get(entry.id);
		if (!hits) {
			continue;
		}

		const anchorsHit = entry.compiled.signatures.filter(signature => signature.role === 'anchor' && hits.has(signature.id));
		if (anchorsHit.length === 0) {
			continue;
		}

		let confidence = 0;
		const evidence: LogEvidence[] = [];
		const captures: Record<string, string> = {};
		const anchorsFirst = [...entry.compiled.signatures].sort((a, b) => Number(a.role === 'context') - Number(b.role === 'context'));
		for (const signature of anchorsFirst) {
			const signatureHits = hits.get(signature.id);
			if (!signatureHits) {
				continue;
			}

			confidence = combine(confidence, signature.weight);
			evidence.push(...signatureHits.evidence);
			for (const [name, value] of Object.entries(signatureHits.captures)) {
				captures[name] ??= value;
			}
		}

		for (const counter of entry.compiled.counterSignatures) {
			if (hits.has(counter.id)) {
				confidence *= 1 - counter.penalty;
			}
		}

		const withFacts = applyFacts(entry, confidence, facts, captures);
		const finalConfidence = round(withFacts.confidence);
		if (finalConfidence < minimumReportedConfidence) {
			continue;
		}

		// One line can satisfy several signatures; show it once, under the first (anchors come first).
		const seenLines = new Set<number>();
		const distinctEvidence = evidence.filter(item => !seenLines.has(item.line) && seenLines.add(item.line));
		distinctEvidence.sort((a, b) => a.line - b.line);
		findings.push({
			diagnosis: entry,
			confidence: finalConfidence,
			summary: fillTemplate(entry.summary, {...facts, ...captures}),
			evidence: distinctEvidence,
			factEvidence: withFacts.factEvidence,
			captures,
		});
	}

	return sortFindings(findings);
}

/**
Best first: confidence, then the entry's priority (lower is more specific), then id; and a
cause before the symptoms it explains (see causes.ts).
*/
export function sortFindings(findings: Finding[]): Finding[] {
	return orderCausesFirst(
		[...findings].sort(
			(a, b) => b.confidence - a.confidence || a.diagnosis.priority - b.diagnosis.priority || a.diagnosis.id.localeCompare(b.diagnosis.id),
		),
	);
}

/**
The log shows a symptom; the environment may prove its cause (a finding of `check`, made from
the facts alone, whose entry `leadsTo` a class the log shows). Such causes join the log's
findings and are ranked above the symptoms they explain; a proven finding that explains
nothing in the log is left to `check`.
*/
export function withProvenCauses(fromLog: readonly Finding[], proven: readonly Finding[]): Finding[] {
	const shown = new Set(fromLog.map(finding => finding.diagnosis.id));
	const causes = proven.filter(finding => !shown.has(finding.diagnosis.id) && finding.diagnosis.leadsTo.some(id => shown.has(id)));
	return causes.length === 0 ? [...fromLog] : sortFindings([...fromLog, ...causes]);
}
