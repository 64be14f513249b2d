import {evaluate, fillTemplate, type Facts} from '../knowledge/conditions.js';
import type {LoadedDiagnosis} from '../knowledge/schema.js';
import {applyFacts, minimumReportedConfidence, sortFindings, type Finding} from './rank.js';

const round = (value: number) => Math.round(value * 100) / 100;

/**
The findings the facts alone prove, before any build runs (`pyo3-doctor check`): every entry
whose `provenBy` condition holds. It starts at the entry's stated confidence; the entry's other
fact rules then confirm or refute as in `diagnose`. An unknown fact proves nothing.
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

		findings.push({
			diagnosis: entry,
			confidence,
			summary: proof,
			evidence: [],
			factEvidence: [{effect: 'confirm', says: proof}, ...withFacts.factEvidence.filter(item => item.says !== proof)],
			captures: {},
		});
	}

	return sortFindings(findings);
}
