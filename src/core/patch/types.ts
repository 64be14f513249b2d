import type {z} from 'zod';
import type {Facts} from '../knowledge/conditions.js';

/** What one edit does to one file's text. */
export type EditOutcome =
	| {kind: 'changed'; text: string; notes?: string[]}
	/** The file already says what the edit would make it say. */
	| {kind: 'unchanged'}
	/** The file has a shape the edit does not know: `reason` says, in words, what to change. */
	| {kind: 'manual'; reason: string};

/** What an edit may read besides the file: probe facts, log captures and the other project files. */
export type EditContext = {
	/** Probe facts, plus the finding's log captures under `captures.*`. */
	facts: Facts;
	/** The path of the file being edited, relative to the project. */
	path: string;
	/** Reads another project file (relative path); `undefined` when it does not exist. */
	readFile: (path: string) => string | undefined;
};

/**
One generic, data-driven edit operation. `params` come from a knowledge entry's
`fixes[].edits[]` (everything except `kind`, `file` and the common options).
*/
export type EditKind<Schema extends z.ZodType = z.ZodType> = {
	kind: string;
	/** One line for `explain` and the knowledge README. */
	description: string;
	params: Schema;
	/** `fileText` is `undefined` when the file does not exist; a kind that can create it does. */
	apply: (fileText: string | undefined, params: z.infer<Schema>, context: EditContext) => EditOutcome;
};

export function changed(before: string, after: string, notes?: string[]): EditOutcome {
	if (before === after) {
		return {kind: 'unchanged'};
	}

	return notes && notes.length > 0 ? {kind: 'changed', text: after, notes} : {kind: 'changed', text: after};
}

export function manual(reason: string): EditOutcome {
	return {kind: 'manual', reason};
}
