import type {z} from 'zod';
import {compileEntry, type EntryResult} from './compile-entry.js';
import {diagnosisSchema} from './schema.js';

export type {EntryResult, KnowledgeProblem} from './compile-entry.js';

// Turns zod's issue path into the dotted field name a YAML author sees.
function fieldName(path: ReadonlyArray<PropertyKey>): string {
	return path.map(part => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replaceAll('.[', '[') || '(top level)';
}

/**
Validates one parsed entry against the schema and compiles its patterns. `expectedId` is the
folder name: an entry's id must equal it, so that ids and paths never drift apart.
*/
export function validateEntry(raw: unknown, file: string, expectedId: string, dir: string): EntryResult {
	const parsed = diagnosisSchema.safeParse(raw);
	if (!parsed.success) {
		return {
			ok: false,
			problems: parsed.error.issues.map((issue: z.core.$ZodIssue) => ({file, field: fieldName(issue.path), message: issue.message})),
		};
	}

	return compileEntry(parsed.data, file, expectedId, dir);
}
