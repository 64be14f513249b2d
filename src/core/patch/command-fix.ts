import {readFact, type Facts} from '../knowledge/conditions.js';
import type {Fix} from '../knowledge/schema.js';

/** What a command fix would run here: each command's words with the facts filled in, or why it cannot be run. */
export type CommandPlan = {status: 'command'; argv: string[][]} | {status: 'manual'; reason: string};

/** A fact named in a command word, `{{python.selected.executable}}`. */
const placeholder = /\{\{\s*([\w.]+)\s*\}\}/g;

/**
Fills the facts into a fix's `run` commands. A word that names a fact the probes did not find
makes the whole fix manual: running a command with a guessed word could do harm.
*/
export function planCommands(fix: Fix, facts: Facts): CommandPlan {
	const missing = new Set<string>();
	const argv = fix.run.map(command =>
		command.map(word =>
			word.replaceAll(placeholder, (_, path: string) => {
				const value = readFact(facts, path);
				if (typeof value === 'string' || typeof value === 'number') {
					return String(value);
				}

				missing.add(path);
				return '';
			}),
		),
	);
	if (missing.size > 0) {
		return {status: 'manual', reason: `the command needs ${[...missing].join(', ')}, which the probes did not find here; run it by hand: ${fix.commands.join('; ') || fix.steps.join(' ')}`};
	}

	return {status: 'command', argv};
}

/** 'command' when the fix is a command that can run here; for ranking (orderFixes). */
export function commandStanding(fix: Fix, facts: Facts): 'command' | undefined {
	return fix.run.length > 0 && planCommands(fix, facts).status === 'command' ? 'command' : undefined;
}

/** One command as a shell would show it, each word quoted only when it needs to be. */
export function shellWords(argv: readonly string[]): string {
	return argv.map(word => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", String.raw`'\''`)}'`)).join(' ');
}
