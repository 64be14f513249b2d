import type {LoadedDiagnosis} from '../../src/core/knowledge/schema.js';
import {validateEntry} from '../../src/core/knowledge/validate-entry.js';

/** Builds a validated entry from the fields a test cares about; the rest gets plain defaults. */
export function makeEntry(fields: Record<string, unknown> & {id: string}): LoadedDiagnosis {
	const raw = {
		title: `Title of ${fields.id}`,
		summary: `Summary of ${fields.id}`,
		domain: 'link',
		explanation: 'Why it happens.',
		fixes: [{id: 'do-something', title: 'Do something', steps: ['Do it.']}],
		references: ['https://pyo3.rs/'],
		...fields,
		// Every real signature names where its wording comes from; test entries need not care.
		signatures: (fields.signatures as Array<Record<string, unknown>> | undefined)?.map(signature => ({
			provenance: {log: 'examples/match/test.log'},
			...signature,
		})),
	};
	const result = validateEntry(raw, `${fields.id}.yaml`, fields.id, `/nonexistent/${fields.id}`);
	if (!result.ok) {
		throw new Error(JSON.stringify(result.problems));
	}

	return result.entry;
}
