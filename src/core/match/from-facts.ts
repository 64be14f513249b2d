import {evaluate, fillTemplate, provingFacts, readFact, type Facts} from '../knowledge/conditions.js';
import type {LoadedDiagnosis} from '../knowledge/schema.js';
import {applyFacts, minimumReportedConfidence, sortFindings, type Finding} from './rank.js';

const round = (value: number) => Math.round(value * 100) / 100;

/**
The findings the facts alone prove, before any build runs (`pyo3-doctor check`): every entry
whose `provenBy` condition holds. It starts at the entry's stated confidence; the entry's other
fact rules then confirm or refute as in `diagnose`. An unknown fact proves nothing. The proof
(`provenBy.says`) is the summary when the entry's own summary needs log captures, else the first
piece of evidence.
*/
export function findingsFromFacts(knowledge: readonly LoadedDiagnosis[], facts: Facts): Finding[] {
	const findings: Finding[] = [];
	for (const entry of knowledge) {
		if (!entry.provenBy || evaluate(entry.provenBy.when, facts) !== true) {
			continue;
		}

		const proof = fillTemplate(entry.provenBy.says, facts);
		const withFacts = applyFacts(entry, entry.provenBy.confidence, facts, {});
		const confidence = round(withFacts.confidence);
		if (confidence < minimumReportedConfidence) {
			continue;
		}

		// An entry's summary may name log captures ({{symbol}}), unknown here: then the proof stands in for it.
		const needs = [...entry.summary.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map(match => match[1]!);
		const summaryKnown = needs.every(name => readFact(facts, name) !== undefined && readFact(facts, name) !== null);
		const others = withFacts.factEvidence.filter(item => item.says !== proof);
		// The fixes whose condition the facts rule out come last, so the report offers one that fits first.
		const fits = (fix: (typeof entry.fixes)[number]) => !fix.appliesWhen || evaluate(fix.appliesWhen, facts) !== false;
		const fixes = [...entry.fixes.filter(fix => fits(fix)), ...entry.fixes.filter(fix => !fits(fix))];
		findings.push({
			diagnosis: fixes.every((fix, index) => fix === entry.fixes[index]) ? entry : {...entry, fixes},
			confidence,
			summary: summaryKnown ? fillTemplate(entry.summary, facts) : proof,
			evidence: [],
			factEvidence: summaryKnown ? [{effect: 'confirm', says: proof}, ...others] : others,
			captures: {},
			proof: {says: proof, facts: provingFacts(entry.provenBy.when, facts)},
		});
	}

	return sortFindings(findings);
}
