import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {compileEntry, type KnowledgeProblem} from '../core/knowledge/compile-entry.js';
import {withFitted, type FittedWeights} from '../core/match/fit.js';
import type {Diagnosis, Example, LoadedDiagnosis} from '../core/knowledge/schema.js';

/** `knowledge/` of this package: src/io and dist/io are both two levels below the root. */
export const defaultKnowledgeDir = fileURLToPath(new URL('../../knowledge', import.meta.url));

/**
The entries of `knowledge/` as validated at build time (`npm run build`), keyed by id with the
hash of the YAML they came from. An entry whose file no longer has that hash is validated anew.
*/
export const defaultBundleFile = fileURLToPath(new URL('../knowledge-bundle.json', import.meta.url));

export type KnowledgeBundle = {entries: Record<string, {sha256: string; entry: Diagnosis}>};

export type KnowledgeBase = {entries: LoadedDiagnosis[]; problems: KnowledgeProblem[]};

type Source = {id: string; file: string; dir: string; text: string; fitted?: FittedWeights; sha256: string};

const entryFileName = 'diagnosis.yaml';
/** Weights fitted to the labelled corpus (`npm run knowledge:fit`), beside each entry. */
export const fittedFileName = 'fitted.json';

export type LoadOptions = {
	/** Use the fitted weights beside each entry (default); `false` keeps the hand-set ones. */
	fitted?: boolean;
};

function relative(file: string): string {
	return path.relative(process.cwd(), file) || file;
}

function readBundle(file: string): KnowledgeBundle | undefined {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as KnowledgeBundle;
	} catch {
		return undefined;
	}
}

// Reads every entry file's text; unreadable folders and files become problems.
// A broken fitted.json is a problem of its entry; a missing one means hand-set weights.
function readFitted(file: string, problems: KnowledgeProblem[]): {fitted?: FittedWeights; text: string} {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch {
		return {text: ''};
	}

	try {
		const fitted = JSON.parse(text) as FittedWeights;
		const numbers = [...Object.values(fitted.signatures ?? {}), ...Object.values(fitted.counterSignatures ?? {}), ...Object.values(fitted.closeness ?? {})];
		if (numbers.every(value => typeof value === 'number' && value > 0 && value <= 1)) {
			return {fitted, text};
		}

		problems.push({file: relative(file), field: '(file)', message: 'holds a weight outside (0, 1]; run npm run knowledge:fit'});
	} catch (error) {
		problems.push({file: relative(file), field: '(file)', message: `is not valid JSON: ${(error as Error).message}`});
	}

	return {text};
}

function readSources(dir: string, problems: KnowledgeProblem[], useFitted: boolean): Source[] {
	const diagnosesDir = path.join(dir, 'diagnoses');
	let ids: string[];
	try {
		ids = readdirSync(diagnosesDir, {withFileTypes: true})
			.filter(entry => entry.isDirectory())
			.map(entry => entry.name)
			.sort();
	} catch (error) {
		problems.push({file: relative(diagnosesDir), field: '(folder)', message: `cannot be read: ${(error as Error).message}`});
		return [];
	}

	const sources: Source[] = [];
	for (const id of ids) {
		const entryDir = path.join(diagnosesDir, id);
		const file = path.join(entryDir, entryFileName);
		try {
			const text = readFileSync(file, 'utf8');
			const fitted = useFitted ? readFitted(path.join(entryDir, fittedFileName), problems) : {text: ''};
			const sha256 = createHash('sha256').update(text).update('\0').update(fitted.text).digest('hex');
			sources.push({id, file, dir: entryDir, text, fitted: fitted.fitted, sha256});
		} catch (error) {
			problems.push({file: relative(file), field: '(file)', message: `cannot be read: ${(error as Error).message}`});
		}
	}

	return sources;
}

// Parses and validates entries with the full schema; yaml and zod load only when needed.
async function validateSources(sources: Source[], problems: KnowledgeProblem[]): Promise<Array<{source: Source; entry: LoadedDiagnosis}>> {
	if (sources.length === 0) {
		return [];
	}

	const [{parseYaml}, {validateEntry}] = await Promise.all([import('./parse-yaml.js'), import('../core/knowledge/validate-entry.js')]);
	const valid: Array<{source: Source; entry: LoadedDiagnosis}> = [];
	for (const source of sources) {
		let raw: unknown;
		try {
			raw = parseYaml(source.text, {prettyErrors: true});
		} catch (error) {
			const message = (error as Error).message.split('\n')[0] ?? 'unreadable';
			problems.push({file: relative(source.file), field: '(file)', message: `is not valid YAML: ${message}`});
			continue;
		}

		const result = validateEntry(raw, relative(source.file), source.id, source.dir);
		if (result.ok) {
			valid.push({source, entry: source.fitted ? withFitted(result.entry, source.fitted) : result.entry});
		} else {
			problems.push(...result.problems);
		}
	}

	return valid;
}

/**
Loads every entry under `<dir>/diagnoses/<id>/diagnosis.yaml`. A broken entry is reported in
`problems` (file and field) and left out; the others still load. Entries unchanged since the
build come from the build's bundle, so that starting up needs neither the YAML parser nor zod.
*/
export async function loadKnowledge(
	dir: string = defaultKnowledgeDir,
	bundleFile: string | undefined = defaultBundleFile,
	options: LoadOptions = {},
): Promise<KnowledgeBase> {
	const problems: KnowledgeProblem[] = [];
	const useFitted = options.fitted ?? true;
	const sources = readSources(dir, problems, useFitted);
	// The bundle holds fitted weights; hand-set ones come from the YAML alone.
	const bundle = bundleFile && useFitted ? readBundle(bundleFile) : undefined;
	const byId = new Map<string, LoadedDiagnosis>();
	const stale: Source[] = [];
	for (const source of sources) {
		const bundled = bundle?.entries[source.id];
		if (bundled?.sha256 !== source.sha256) {
			stale.push(source);
			continue;
		}

		const result = compileEntry(bundled.entry, relative(source.file), source.id, source.dir);
		if (result.ok) {
			byId.set(source.id, result.entry);
		} else {
			problems.push(...result.problems);
		}
	}

	for (const {source, entry} of await validateSources(stale, problems)) {
		byId.set(source.id, entry);
	}

	const entries = sources.flatMap(source => byId.get(source.id) ?? []);
	return {entries, problems};
}

/** Validates the whole knowledge base and returns the bundle to ship, or the problems. */
export async function buildBundle(dir: string = defaultKnowledgeDir): Promise<{bundle: KnowledgeBundle; problems: KnowledgeProblem[]}> {
	const problems: KnowledgeProblem[] = [];
	const valid = await validateSources(readSources(dir, problems, true), problems);
	const entries: KnowledgeBundle['entries'] = {};
	for (const {source, entry} of valid) {
		const {compiled, dir: _dir, ...data} = entry;
		entries[source.id] = {sha256: source.sha256, entry: data};
	}

	return {bundle: {entries}, problems};
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
