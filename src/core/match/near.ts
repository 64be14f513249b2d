import type {LoadedDiagnosis} from '../knowledge/schema.js';
import type {Finding} from './rank.js';
import {failureLinesId, type LogEvidence, type ScanResult} from './scanner.js';

/** A known class the log came close to, with what its signatures alone would give. */
export type CloseClass = {diagnosis: LoadedDiagnosis; confidence: number};

/** What the report says when no known class reaches the reporting threshold. */
export type Unmatched = {failureLines: LogEvidence[]; closest: CloseClass[]};

const closestShown = 3;
// The reporting threshold of findings: below it, most labelled logs with such lines were something else.
const closeEnough = 0.2;

// Without fitted numbers, an anchor's weight stands in; a context alone brings nothing.
const signatureCloseness = (signature: LoadedDiagnosis['compiled']['signatures'][number]) =>
	signature.closeness ?? (signature.role === 'anchor' ? signature.weight : 0);

/**
Nothing silent: when no finding reaches the threshold, the lines that read as the failure
and the known classes that came closest. An entry comes close when any of its signatures
(anchor or context) matched; its score is the noisy-OR of those signatures' closeness (the
share of labelled logs with that line that were the class, fitted beside the weights),
counter-signatures applied. A line common to every class (`pyo3`) thus brings no class close.
Without an anchor that is no finding, however high: the lines only resemble the class.
Returns undefined when there are findings to report.
*/
export function whatCameClose(knowledge: readonly LoadedDiagnosis[], scan: ScanResult, findings: readonly Finding[]): Unmatched | undefined {
	if (findings.length > 0) {
		return undefined;
	}

	const failureLines = [...(scan.hits.get(failureLinesId)?.values() ?? [])].flatMap(hits => hits.evidence);
	const closest: CloseClass[] = [];
	for (const entry of knowledge) {
		const hits = scan.hits.get(entry.id);
		if (!hits) {
			continue;
		}

		let confidence = 0;
		for (const signature of entry.compiled.signatures) {
			if (hits.has(signature.id)) {
				confidence += (1 - confidence) * signatureCloseness(signature);
			}
		}

		for (const counter of entry.compiled.counterSignatures) {
			if (hits.has(counter.id)) {
				confidence *= 1 - counter.penalty;
			}
		}

		confidence = Math.round(confidence * 100) / 100;
		if (confidence >= closeEnough) {
			closest.push({diagnosis: entry, confidence});
		}
	}

	closest.sort((a, b) => b.confidence - a.confidence || a.diagnosis.id.localeCompare(b.diagnosis.id));
	if (failureLines.length === 0 && closest.length === 0) {
		return undefined;
	}

	return {failureLines: failureLines.sort((a, b) => a.line - b.line), closest: closest.slice(0, closestShown)};
}
