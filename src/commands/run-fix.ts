import type {CommandContext} from '../cli/context.js';
import type {Facts} from '../core/knowledge/conditions.js';
import type {Finding} from '../core/match/rank.js';
import {colourDiff} from '../core/report/findings-text.js';
import type {Style} from '../core/report/style.js';
import {applyPlan, planHashes, projectReader} from '../io/patch-files.js';
import {askYesNo, chooseCandidate, nixParser, planCandidates} from './fix.js';

export type FixOutcome = {written: true; backups: string[]} | {written: false};

/**
`run --fix`: the fix chosen for the top finding (as `pyo3-doctor fix` chooses it), its patch
shown, then written after a yes (or with --yes). Says why when nothing is written.
*/
export async function applyTopFix(
	context: CommandContext,
	options: {finding: Finding; facts: Facts; root: string; yes: boolean; style: Style},
): Promise<FixOutcome> {
	const {finding, facts, root, style} = options;
	const entry = finding.diagnosis;
	const chosen = chooseCandidate(planCandidates(entry, entry.fixes, projectReader(root), {...facts, captures: finding.captures}), facts);
	const {fix, plan} = chosen;
	const say = (text: string) => context.stderr.write(`${text}\n`);
	say(`\n${style.bold(`pyo3-doctor --fix: ${entry.id}: ${fix.title}`)} ${style.dim(`(fix ${fix.id})`)}`);
	if (plan.status === 'already-applied') {
		say('The project already has this fix; nothing to write, so the build is not run again.');
		return {written: false};
	}

	if (plan.status === 'manual') {
		say(`No patch can be made safely for this project: ${plan.reason}\nBy hand:\n${fix.steps.map(step => `  - ${step}`).join('\n')}`);
		return {written: false};
	}

	say(colourDiff(plan.diff.trimEnd(), style));
	if (!options.yes) {
		if (!context.stdin.isTTY) {
			say('Not writing without confirmation: standard input is not a terminal. Add --yes to write the patch shown above.');
			return {written: false};
		}

		if (!(await askYesNo(context, `Write this patch to ${plan.files.map(file => file.path).join(', ')} and build again? [y/N] `))) {
			say('Not written: the answer was not yes. Nothing was changed.');
			return {written: false};
		}
	}

	const applied = await applyPlan(root, plan, {hashes: planHashes(plan), parseNix: nixParser(context.env)});
	if (!applied.ok) {
		say(`Nothing was written: ${applied.reason}`);
		return {written: false};
	}

	for (const file of applied.written) {
		say(`${style.green('✓')} ${file.path} ${file.created ? 'created' : `written (backup: ${file.backup})`}`);
	}

	return {written: true, backups: applied.written.flatMap(file => (file.backup ? [file.backup] : []))};
}
