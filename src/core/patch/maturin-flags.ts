import {z} from 'zod';
import {compareVersions, readFact} from '../knowledge/conditions.js';
import {escapeRegExp} from './nix-text.js';
import {changed, manual, type EditKind} from './types.js';

const rewriteParams = z
	.object({
		/** The outdated flag, e.g. --cargo-extra-args. */
		flag: z.string().regex(/^--[a-z][\w-]*$/),
		/** The maturin release that removed it; a maturin older than this still has it and is left alone. */
		since: z.string().regex(/^\d+\.\d+/),
		/** What it becomes: `''` drops it; `@value@` stands for the flag's own value (then the flag takes one). */
		becomes: z.string(),
		/** `end`: the replacement goes to the end of the maturin command (rustc arguments after `--`). */
		at: z.enum(['same-place', 'end']).default('same-place'),
	})
	.strict();

const flagsParams = z.object({rewrite: z.array(rewriteParams).min(1)}).strict();

/** A maturin call on a line: `maturin build`, `"$MATURIN" develop`, `${pkgs.maturin}/bin/maturin publish`. */
const maturinCall = /(?:^|[\s;&|("'/`{$])maturin["'}]?\s+(?:build|develop|publish|sdist)\b/i;

/** The flag and its value as the line writes it: `--x=v`, `--x "v w"`, `--x='v'`. */
function flagPattern(flag: string, takesValue: boolean): RegExp {
	const value = takesValue ? String.raw`(?:=|\s+)(?:"([^"]*)"|'([^']*)'|([^\s"'\\;&|]+))` : '';
	return new RegExp(String.raw`\s+${escapeRegExp(flag)}${value}(?=[\s"';&|)]|$)`);
}

/**
Rewrites maturin flags that the installed maturin no longer has, in the shell scripts, Makefiles
and Nix files that call maturin: each rule names the flag, the release that removed it and its
current spelling. Only lines that call maturin change; a flag to move on a continued line is
left to the user in words. A file that does not call maturin is not this edit's: the next one is tried.
*/
export const maturinFlags: EditKind<typeof flagsParams> = {
	kind: 'maturin-flags',
	description: 'rewrite maturin flags the installed maturin no longer has (--no-sdist, --cargo-extra-args…) in scripts and Nix files',
	params: flagsParams,
	apply(text, params, context) {
		if (text === undefined) {
			return manual(`There is no ${context.path}.`);
		}

		const installed = readFact(context.facts, 'maturin.version');
		const rules = params.rewrite.filter(rule => typeof installed !== 'string' || compareVersions(installed, rule.since) >= 0);
		const lines = text.split('\n');
		if (!lines.some(line => maturinCall.test(line))) {
			return manual(`${context.path} does not call maturin: look for ${params.rewrite.map(rule => rule.flag).join(', ')} where maturin runs (CI workflow, Makefile, Nix phase) and check \`maturin build --help\`.`);
		}

		const notes: string[] = [];
		for (const [index, line] of lines.entries()) {
			const call = maturinCall.exec(line);
			if (!call) {
				continue;
			}

			const callEnd = call.index + call[0].length;
			const head = line.slice(0, callEnd);
			let rest = line.slice(callEnd);
			for (const rule of rules) {
				const takesValue = rule.becomes.includes('@value@');
				const found = flagPattern(rule.flag, takesValue).exec(rest);
				if (!found) {
					continue;
				}

				const value = found[1] ?? found[2] ?? found[3] ?? '';
				const replacement = rule.becomes.replaceAll('@value@', value);
				if (rule.at === 'end') {
					if (/\\\s*$|#/.test(rest)) {
						return manual(`Line ${index + 1} of ${context.path} passes ${rule.flag} on a continued or commented line: move its value (${value}) after \`--\` at the end of the maturin command by hand.`);
					}

					rest = `${rest.slice(0, found.index)}${rest.slice(found.index + found[0].length)}`;
					rest = / -- /.test(rest) ? rest.replace(/ -- /, ` -- ${replacement.replace(/^--\s*/, '')} `) : `${rest.trimEnd()} ${replacement}`;
				} else {
					rest = `${rest.slice(0, found.index)}${replacement ? ` ${replacement}` : ''}${rest.slice(found.index + found[0].length)}`;
				}

				notes.push(`${rule.flag} (gone since maturin ${rule.since}) → ${replacement || 'dropped'}`);
			}

			lines[index] = head + rest;
		}

		if (notes.length === 0) {
			return {kind: 'unchanged'};
		}

		return changed(text, lines.join('\n'), [`For the installed maturin${typeof installed === 'string' ? ` ${installed}` : ''}: ${notes.join('; ')}.`]);
	},
};
