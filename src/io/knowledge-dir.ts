import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse as parseYaml} from 'yaml';
import type {Example, LoadedDiagnosis} from '../core/knowledge/schema.js';
import {validateEntry, type KnowledgeProblem} from '../core/knowledge/validate-entry.js';

/** `knowledge/` of this package: src/io and dist/io are both two levels below the root. */
export const defaultKnowledgeDir = fileURLToPath(new URL('../../knowledge', import.meta.url));

export type KnowledgeBase = {entries: LoadedDiagnosis[]; problems: KnowledgeProblem[]};

const entryFileName = 'diagnosis.yaml';

function relative(file: string): string {
	return path.relative(process.cwd(), file) || file;
}

/**
Loads every entry under `<dir>/diagnoses/<id>/diagnosis.yaml`. A broken entry is reported in
`problems` (file and field) and left out; the others still load.
*/
export function loadKnowledge(dir: string = defaultKnowledgeDir): KnowledgeBase {
	const diagnosesDir = path.join(dir, 'diagnoses');
	const entries: LoadedDiagnosis[] = [];
	const problems: KnowledgeProblem[] = [];
	let ids: string[];
	try {
		ids = readdirSync(diagnosesDir).filter(name => statSync(path.join(diagnosesDir, name)).isDirectory()).sort();
	} catch (error) {
		return {entries, problems: [{file: relative(diagnosesDir), field: '(folder)', message: `cannot be read: ${(error as Error).message}`}]};
	}

	for (const id of ids) {
		const entryDir = path.join(diagnosesDir, id);
		const file = path.join(entryDir, entryFileName);
		let raw: unknown;
		try {
			raw = parseYaml(readFileSync(file, 'utf8'), {prettyErrors: true});
		} catch (error) {
			const message = (error as Error).message.split('\n')[0] ?? 'unreadable';
			problems.push({file: relative(file), field: '(file)', message: `is not valid YAML: ${message}`});
			continue;
		}

		const result = validateEntry(raw, relative(file), id, entryDir);
		if (result.ok) {
			entries.push(result.entry);
		} else {
			problems.push(...result.problems);
		}
	}

	return {entries, problems};
}

/** Reads an entry's own example logs: `examples/match/*` and `examples/no-match/*`. */
export function loadExamples(entryDir: string): Example[] {
	const examples: Example[] = [];
	for (const expect of ['match', 'no-match'] as const) {
		const dir = path.join(entryDir, 'examples', expect);
		let files: string[] = [];
		try {
			files = readdirSync(dir).sort();
		} catch {
			continue;
		}

		for (const name of files) {
			examples.push({file: path.join(dir, name), text: readFileSync(path.join(dir, name), 'utf8'), expect});
		}
	}

	return examples;
}

/** Formats load problems for stderr: one line each, file first. */
export function formatProblems(problems: readonly KnowledgeProblem[]): string {
	return problems.map(problem => `knowledge: ${problem.file}: ${problem.field} ${problem.message}`).join('\n');
}
