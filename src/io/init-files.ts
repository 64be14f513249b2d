import {mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {templateNames, type PlannedFile, type Templates} from '../core/init/plan.js';

/** `knowledge/templates/` of this package (src/io and dist/io are both two levels below the root). */
export const defaultTemplatesDir = fileURLToPath(new URL('../../knowledge/templates', import.meta.url));

/** Reads every project template the planner needs. */
export function loadInitTemplates(dir: string = defaultTemplatesDir): Templates {
	return Object.fromEntries(templateNames.map(name => [name, readFileSync(path.join(dir, name), 'utf8')])) as Templates;
}

/** What writing one planned file would do to the directory. */
export type FileAction = 'create' | 'unchanged' | 'conflict';

/** For each planned file: new, already there with the same content, or there with other content. */
export function planActions(directory: string, files: readonly PlannedFile[]): Array<{file: PlannedFile; action: FileAction}> {
	return files.map(file => {
		const target = path.join(directory, file.path);
		let existing: string | undefined;
		try {
			existing = statSync(target).isFile() ? readFileSync(target, 'utf8') : '\u0000(not a file)';
		} catch {
			existing = undefined;
		}

		if (existing === undefined) {
			return {file, action: 'create' as const};
		}

		return {file, action: existing === file.content ? ('unchanged' as const) : ('conflict' as const)};
	});
}

/** Writes the given files under `directory`, creating folders as needed. */
export function writeProjectFiles(directory: string, files: readonly PlannedFile[]): void {
	for (const file of files) {
		const target = path.join(directory, file.path);
		mkdirSync(path.dirname(target), {recursive: true});
		writeFileSync(target, file.content);
	}
}
