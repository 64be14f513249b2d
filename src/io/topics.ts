import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {topicFromMarkdown, type Topic} from '../core/topics.js';

/** `knowledge/topics/` of this package (src/io and dist/io are both two levels below the root). */
export const defaultTopicsDir = fileURLToPath(new URL('../../knowledge/topics', import.meta.url));

/** Every topic page, sorted by id; none when the folder is missing. */
export function loadTopics(dir: string = defaultTopicsDir): Topic[] {
	let names: string[];
	try {
		names = readdirSync(dir).filter(name => name.endsWith('.md')).sort();
	} catch {
		return [];
	}

	return names.map(name => topicFromMarkdown(name.slice(0, -'.md'.length), readFileSync(path.join(dir, name), 'utf8')));
}
