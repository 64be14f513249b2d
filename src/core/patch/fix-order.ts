import {evaluate, type Facts} from '../knowledge/conditions.js';
import type {Fix} from '../knowledge/schema.js';

/** What can be done with a fix in this project: a patch, a command to run; `undefined` when no project was looked at. */
export type FixStanding = 'already-applied' | 'patch' | 'command' | 'manual' | undefined;

/** Does the fix's `appliesWhen` hold on these facts? `undefined`: it has no condition, or the facts are unknown. */
export function fixFits(fix: Fix, facts: Facts): boolean | undefined {
	return fix.appliesWhen ? evaluate(fix.appliesWhen, facts) : undefined;
}

function fitRank(fits: boolean | undefined): number {
	if (fits === true) {
		return 0;
	}

	return fits === undefined ? 1 : 2;
}

function standingRank(standing: FixStanding): number {
	// A fix already in place comes before a patch: the cause it removes is gone, and offering another would undo or pile onto it.
	if (standing === 'already-applied') {
		return 0;
	}

	return standing === 'patch' || standing === 'command' ? 1 : 2;
}

/**
The one order in which every command and the wizard offer a finding's fixes: first those
whose `appliesWhen` holds on this project's facts, then those without a condition (or whose
facts are unknown), then those whose condition is false; within each group, a fix already in
place, then one with a patch (or a command that can run) for this project, then the rest, each
in the entry's own order.
The first one is "the" fix.
*/
export function orderFixes(fixes: readonly Fix[], facts: Facts, standingOf: (fix: Fix) => FixStanding = () => undefined): Fix[] {
	return fixes
		.map((fix, index) => ({fix, index, fit: fitRank(fixFits(fix, facts)), standing: standingRank(standingOf(fix))}))
		.sort((a, b) => a.fit - b.fit || a.standing - b.standing || a.index - b.index)
		.map(ranked => ranked.fix);
}
