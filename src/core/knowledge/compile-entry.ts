import type {Diagnosis, LoadedDiagnosis} from './schema.js';
import {renderSupportText} from './support-text.js';

/** A problem with one knowledge file, precise enough to fix it without reading code. */
export type KnowledgeProblem = {file: string; field: string; message: string};

export type EntryResult = {ok: true; entry: LoadedDiagnosis} | {ok: false; problems: KnowledgeProblem[]};

/**
Checks what the schema cannot (the id equals its folder, every pattern compiles) and compiles
the patterns of an entry that already passed the schema. Kept free of zod so that a
pre-validated entry loads without it.
*/
export function compileEntry(entry: Diagnosis, file: string, expectedId: string, dir: string): EntryResult {
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

	// Version ranges in the prose come from the support table, rendered at load time.
	const render = (text: string, field: string): string => {
		const {text: rendered, unknown} = renderSupportText(text);
		for (const name of unknown) {
			problems.push({file, field, message: `has ${name}, which the pyo3 support table cannot answer`});
		}

		return rendered;
	};

	const prose = {
		title: render(entry.title, 'title'),
		summary: render(entry.summary, 'summary'),
		explanation: render(entry.explanation, 'explanation'),
		facts: entry.facts.map((rule, index) => ({...rule, says: render(rule.says, `facts[${index}].says`)})),
		provenBy: entry.provenBy && {...entry.provenBy, says: render(entry.provenBy.says, 'provenBy.says')},
		fixes: entry.fixes.map((fix, index) => ({
			...fix,
			title: render(fix.title, `fixes[${index}].title`),
			steps: fix.steps.map((step, stepIndex) => render(step, `fixes[${index}].steps[${stepIndex}]`)),
		})),
	};

	const signatures = entry.signatures.map((signature, index) => ({
		...signature,
		regex: compile(signature.pattern, signature.flags, `signatures[${index}].pattern`) ?? /$^/,
	}));
	const counterSignatures = entry.counterSignatures.map((signature, index) => ({
		...signature,
		regex: compile(signature.pattern, signature.flags, `counterSignatures[${index}].pattern`) ?? /$^/,
	}));

	if (problems.length > 0) {
		return {ok: false, problems};
	}

	return {ok: true, entry: {...entry, ...prose, dir, compiled: {signatures, counterSignatures}}};
}
