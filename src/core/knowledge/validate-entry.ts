import {z} from 'zod';
import {diagnosisSchema, type LoadedDiagnosis} from './schema.js';

/** A problem with one knowledge file, precise enough to fix it without reading code. */
export type KnowledgeProblem = {file: string; field: string; message: string};

export type EntryResult = {ok: true; entry: LoadedDiagnosis} | {ok: false; problems: KnowledgeProblem[]};

// Turns zod's issue path into the dotted field name a YAML author sees.
function fieldName(path: ReadonlyArray<PropertyKey>): string {
	return path.map(part => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replaceAll('.[', '[') || '(top level)';
}

/**
Validates one parsed entry and compiles its patterns. `expectedId` is the folder name: an
entry's id must equal it, so that ids and paths never drift apart.
*/
export function validateEntry(raw: unknown, file: string, expectedId: string, dir: string): EntryResult {
	const parsed = diagnosisSchema.safeParse(raw);
	if (!parsed.success) {
		return {
			ok: false,
			problems: parsed.error.issues.map((issue: z.core.$ZodIssue) => ({file, field: fieldName(issue.path), message: issue.message})),
		};
	}

	const entry = parsed.data;
	const problems: KnowledgeProblem[] = [];
	if (entry.id !== expectedId) {
		problems.push({file, field: 'id', message: `is "${entry.id}" but the folder is "${expectedId}"; they must be equal`});
	}

	const compile = (pattern: string, flags: string, field: string): RegExp | undefined => {
		try {
			return new RegExp(pattern, flags);
		} catch (error) {
			problems.push({file, field, message: `is not a valid regular expression: ${(error as Error).message}`});
			return undefined;
		}
	};

	const signatures = entry.signatures.map((signature, index) => {
		const regex = compile(signature.pattern, signature.flags, `signatures[${index}].pattern`);
		return {...signature, regex: regex ?? /$^/};
	});
	const counterSignatures = entry.counterSignatures.map((signature, index) => ({
		...signature,
		regex: compile(signature.pattern, signature.flags, `counterSignatures[${index}].pattern`) ?? /$^/,
	}));

	if (problems.length > 0) {
		return {ok: false, problems};
	}

	return {ok: true, entry: {...entry, dir, compiled: {signatures, counterSignatures}}};
}
