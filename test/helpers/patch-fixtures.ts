import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {evaluate} from '../../src/core/knowledge/conditions.js';
import type {Fix, LoadedDiagnosis} from '../../src/core/knowledge/schema.js';

// Every folder test/fixtures/patch/<diagnosis-id>/<case>/ is a small project; beside its files
// stand expected.diff or NO_PATCH, and an optional case.json.
export const patchFixturesRoot = fileURLToPath(new URL('../fixtures/patch', import.meta.url));
export const metaFiles = new Set(['expected.diff', 'NO_PATCH', 'case.json']);

/** `removes`: the fix deletes something, so after it the plan finds nothing to remove and says so in these words (not "already applied"). */
export type CaseSpec = {fix?: string; facts?: Record<string, unknown>; removes?: string};
export type FixtureCase = {id: string; name: string; dir: string; spec: CaseSpec; files: Record<string, string>};

/** The project's own files (relative path → text), without the case's meta files. */
export function projectFiles(dir: string, prefix = ''): Record<string, string> {
	const files: Record<string, string> = {};
	for (const name of readdirSync(dir).sort()) {
		const full = path.join(dir, name);
		const relative = prefix ? `${prefix}/${name}` : name;
		if (statSync(full).isDirectory()) {
			Object.assign(files, projectFiles(full, relative));
		} else if (!(prefix === '' && metaFiles.has(name))) {
			files[relative] = readFileSync(full, 'utf8');
		}
	}

	return files;
}

/** Every fixture case, by diagnosis id, in a stable order. */
export function patchFixtureCases(): FixtureCase[] {
	const ids = readdirSync(patchFixturesRoot).filter(name => statSync(path.join(patchFixturesRoot, name)).isDirectory()).sort();
	return ids.flatMap(id =>
		readdirSync(path.join(patchFixturesRoot, id))
			.sort()
			.map(name => {
				const dir = path.join(patchFixturesRoot, id, name);
				const specFile = path.join(dir, 'case.json');
				const spec = existsSync(specFile) ? (JSON.parse(readFileSync(specFile, 'utf8')) as CaseSpec) : {};
				return {id, name, dir, spec, files: projectFiles(dir)};
			}),
	);
}

/** The fix a case names, or else the entry's first fix with edits. */
export function caseFix(entry: LoadedDiagnosis, spec: CaseSpec): Fix | undefined {
	// As `fix` chooses: the first fix with edits whose condition the case's facts do not rule out.
	return spec.fix
		? entry.fixes.find(candidate => candidate.id === spec.fix)
		: entry.fixes.find(candidate => candidate.edits.length > 0 && (!candidate.appliesWhen || evaluate(candidate.appliesWhen, spec.facts ?? {}) !== false));
}
