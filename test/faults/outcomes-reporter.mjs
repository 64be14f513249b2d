// A node:test reporter that prints one JSON line per test case (not per suite): its name and
// whether it passed, failed or was skipped. test/faults/guards.mjs reads it.
export default async function * outcomes(source) {
	for await (const event of source) {
		if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.details?.type !== 'suite' && !event.data.name.endsWith('.test.ts')) {
			const {name, skip, todo, file} = event.data;
			const outcome = skip || todo ? 'skipped' : event.type === 'test:pass' ? 'passed' : 'failed';
			const error = event.type === 'test:fail' ? String(event.data.details?.error?.cause?.message ?? event.data.details?.error?.message ?? '').split('\n')[0] : undefined;
			yield `${JSON.stringify({name, file, outcome, ...(error ? {error} : {})})}\n`;
		}
	}
}
