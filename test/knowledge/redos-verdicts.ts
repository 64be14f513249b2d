import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';

/** Where proven-safe patterns are recorded, so that the suite re-checks only new or changed ones. */
export const verdictsFile = new URL('../../knowledge/redos-verdicts.json', import.meta.url);

export type Verdicts = Record<string, {pattern: string; flags: string; status: 'safe'; checker: string; recheck: string}>;

/** The key of a pattern: its flags and text, hashed. */
export function patternKey(pattern: string, flags: string): string {
	return createHash('sha256').update(`${flags}/${pattern}`).digest('hex').slice(0, 24);
}

export function readVerdicts(): Verdicts {
	try {
		return JSON.parse(readFileSync(verdictsFile, 'utf8')) as Verdicts;
	} catch {
		return {};
	}
}

/** The installed recheck version: a verdict from another version is checked again. */
export const recheckVersion = (JSON.parse(readFileSync(new URL('../../node_modules/recheck/package.json', import.meta.url), 'utf8')) as {version: string}).version;
