import type {Facts} from '../knowledge/conditions.js';
import type {Fix} from '../knowledge/schema.js';
import type {Unmatched} from '../match/near.js';
import type {Finding} from '../match/rank.js';
import {commandStanding, planCommands} from '../patch/command-fix.js';
import {orderFixes} from '../patch/fix-order.js';

/** Bumped only when a field is removed or changes meaning; new fields may appear at any time. */
export const schemaVersion = 1;

/** A patch the patch engine produced for one fix, as shown to the user. */
export type FixPatch = {status: 'patch'; diff: string; files: string[]} | {status: 'already-applied' | 'manual'; diff: null; reason: string};

export type FixJson = {
	id: string;
	title: string;
	steps: string[];
	commands: string[];
	patch?: FixPatch;
	/** A command fix: what `pyo3-doctor fix ID --apply` runs here (each an argv). */
	run?: string[][];
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
	/** Present when another finding explains this one (its entry leads to this class); that one comes first. */
	causedBy?: string;
};

/** Looks up a fix's patch; absent when no project was given or the engine has no edit for it. */
export type PatchLookup = (diagnosisId: string, fixId: string) => FixPatch | undefined;

/** A finding's fixes in the one order every command shows them (see orderFixes): the first is the fix to apply. */
export function fixesInOrder(finding: Finding, facts: Facts = {}, patchFor?: PatchLookup): Fix[] {
	const withCaptures = {...facts, captures: finding.captures};
	return orderFixes(finding.diagnosis.fixes, facts, fix => patchFor?.(finding.diagnosis.id, fix.id)?.status ?? commandStanding(fix, withCaptures));
}

/** One finding in the stable `--json` shape shared by `diagnose`, `check` and `run`; `facts` are the probes' (they order the fixes). */
export function findingToJson(finding: Finding, patchFor?: PatchLookup, facts?: Facts): DiagnosisJson {
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
		fixes: fixesInOrder(finding, facts, patchFor).map(fix => {
			const patch = patchFor?.(entry.id, fix.id);
			const run = fix.run.length > 0 ? planCommands(fix, {...facts, captures: finding.captures}) : undefined;
			return {id: fix.id, title: fix.title, steps: fix.steps, commands: fix.commands, ...(patch ? {patch} : {}), ...(run?.status === 'command' ? {run: run.argv} : {})};
		}),
		references: entry.references,
		...(finding.causedBy ? {causedBy: finding.causedBy} : {}),
	};
}

/** `diagnose --json` when no class reached the threshold: the failure lines and the closest classes. */
export function unmatchedToJson(unmatched: Unmatched) {
	return {
		failureLines: unmatched.failureLines.map(evidence => ({line: evidence.line, text: evidence.text})),
		closest: unmatched.closest.map(close => ({id: close.diagnosis.id, title: close.diagnosis.title, score: close.confidence})),
	};
}
