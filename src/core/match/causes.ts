import type {Finding} from './rank.js';

// The finding a symptom hangs under: the best-ranked finding whose entry says it leads to the
// symptom's class. A pair that would lead to each other is left alone.
function causeOf(symptom: Finding, findings: readonly Finding[]): Finding | undefined {
	return findings.find(
		cause =>
			cause !== symptom &&
			cause.diagnosis.leadsTo.includes(symptom.diagnosis.id) &&
			!symptom.diagnosis.leadsTo.includes(cause.diagnosis.id),
	);
}

/**
Cause over symptom. Findings come in best first; a finding that another finding's entry
`leadsTo` is marked `causedBy` it and placed right after it, and the cause takes the place of
its best-ranked symptom when that one ranked higher. Confidences are not changed: the
symptom is still as certain as it was, it is only explained.
*/
export function orderCausesFirst(ranked: readonly Finding[]): Finding[] {
	// A finding ordered before keeps no old mark: causes are worked out anew for this list.
	const findings = ranked.map(({causedBy: _causedBy, ...finding}) => finding as Finding);
	const causeById = new Map<string, Finding>();
	for (const finding of findings) {
		const cause = causeOf(finding, findings);
		if (cause) {
			causeById.set(finding.diagnosis.id, cause);
		}
	}

	if (causeById.size === 0) {
		return findings;
	}

	// The top of a chain (a cause can itself be a symptom of another finding).
	const rootOf = (finding: Finding): Finding => {
		const seen = new Set<Finding>();
		let current = finding;
		while (causeById.has(current.diagnosis.id) && !seen.has(current)) {
			seen.add(current);
			current = causeById.get(current.diagnosis.id)!;
		}

		return current;
	};

	const groups = new Map<Finding, Finding[]>();
	for (const finding of findings) {
		const root = rootOf(finding);
		const group = groups.get(root) ?? [];
		group.push(finding);
		groups.set(root, group);
	}

	return [...groups.entries()].flatMap(([root, members]) => [
		root,
		...members.filter(member => member !== root).map(member => ({...member, causedBy: causeById.get(member.diagnosis.id)!.diagnosis.id})),
	]);
}
