import {z} from 'zod';
import {findBinding, knownBuilders} from './nix-text.js';
import {targetSets} from './nix-kinds.js';
import {applySplices, type Splice} from './toml-text.js';
import {changed, manual, type EditKind} from './types.js';

const removeAttrParams = z
	.object({
		attr: z.string().regex(/^[A-Za-z_][\w'-]*$/),
		/** Why it must go, for the note; the entry's own words. */
		why: z.string().min(1),
		builders: z.array(z.string().min(1)).min(1).default([...knownBuilders]),
	})
	.strict();

/**
Deletes `attr = …;` from every dev shell / derivation of the listed builders. Each binding must
stand on lines of its own, so the edit deletes whole lines and nothing else.
*/
export const nixRemoveAttr: EditKind<typeof removeAttrParams> = {
	kind: 'nix-remove-attr',
	description: 'delete an attribute (e.g. PYO3_BUILD_EXTENSION_MODULE) from mkShell / derivation calls',
	params: removeAttrParams,
	apply(text, params, context) {
		if (text === undefined) {
			return manual(`There is no ${context.path}.`);
		}

		const splices: Splice[] = [];
		for (const target of targetSets(text, params.builders)) {
			const binding = findBinding(text, target.open, target.close, params.attr);
			if (!binding) {
				continue;
			}

			const lineStart = text.lastIndexOf('\n', binding.start - 1) + 1;
			const newline = text.indexOf('\n', binding.valueEnd);
			const lineEnd = newline === -1 ? text.length : newline + 1;
			if (!/^[ \t]*$/.test(text.slice(lineStart, binding.start)) || !/^;[ \t]*(?:#.*)?\r?\n?$/.test(text.slice(binding.valueEnd, lineEnd))) {
				return manual(`\`${params.attr}\` in ${context.path} shares its line with other code: delete \`${text.slice(binding.start, binding.valueEnd + 1)}\` by hand. ${params.why}`);
			}

			splices.push({start: lineStart, end: lineEnd, text: ''});
		}

		if (splices.length === 0) {
			// Gone or never there look the same: "not set here", not "already applied", which would rank it first.
			return manual(`${context.path} sets no \`${params.attr}\` in ${params.builders.join(' / ')}: unset it where it is exported (the shell, .cargo/config.toml, CI).`);
		}

		return changed(text, applySplices(text, splices), [params.why]);
	},
};
