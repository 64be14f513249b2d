import type {Finding} from '../match/rank.js';

/** Bumped only when a field is removed or changes meaning; new fields may appear at any time. */
export const schemaVersion = 1;

/** A patch the patch engine produced for one fix, as shown to the user. */
export type FixPatch = {diff: string; files: string[]} | {diff: null; reason: string};

export type FixJson = {
	id: string;
	title: string;
	steps: string[];
	commands: string[];
	patch?: FixPatch;
};

export type DiagnosisJson = {
	id: string;
	title: string;
	confidence: number;
	summary: string;
	domain: string;
	evidence: Array<{line: number; text: string; signature: string}>;
	facts: Array<{effect: 'confirm' | 'refute'; says: string}>;
	captures: Record<string, string>;
	/** Present when the facts alone prove the finding (`check`): what proved it and the facts it rests on. */
	proof?: {says: string; facts: Array<{fact: string; value: unknown}>};
	fixes: FixJson[];
	references: string[];
};

/** Looks up a fix's patch; absent when no project was given or the engine has no edit for it. */
export type PatchLookup = (diagnosisId: string, fixId: string) => FixPatch | undefined;

/** One finding in the stable `--json` shape shared by `diagnose` and `check`. */
export function findingToJson(finding: Finding, patchFor?: PatchLookup): DiagnosisJson {
	const entry = finding.diagnosis;
	return {
		id: entry.id,
		title: entry.title,
		confidence: finding.confidence,
		summary: finding.summary,
		domain: entry.domain,
		evidence: finding.evidence.map(evidence => ({line: evidence.line, text: evidence.text, signature: evidence.signature})),
		facts: finding.factEvidence,
		captures: finding.captures,
		...(finding.proof ? {proof: finding.proof} : {}),
		fixes: entry.fixes.map(fix => {
			const patch = patchFor?.(entry.id, fix.id);
			return {id: fix.id, title: fix.title, steps: fix.steps, commands: fix.commands, ...(patch ? {patch} : {})};
		}),
		references: entry.references,
	};
}
