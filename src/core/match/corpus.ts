import {createHash} from 'node:crypto';

/** One labelled log from a public report: the shape of `test/corpus/*.jsonl` and the dev corpus. */
export type CorpusRow = {id: string; class: string; source_url: string; platform: string; log: string};

export type CorpusPart = 'tuning' | 'held-back';

/** Share of threads kept back from every weight, literal and pattern (by thread, see `corpusPart`). */
export const heldBackPercent = 35;

/** Parses JSON lines; blank lines are skipped, a broken line names its number. */
export function parseCorpus(text: string, file = 'corpus'): CorpusRow[] {
	return text.split('\n').flatMap((line, index) => {
		if (line.trim() === '') {
			return [];
		}

		try {
			return [JSON.parse(line) as CorpusRow];
		} catch (error) {
			throw new Error(`${file}:${index + 1}: not JSON: ${(error as Error).message}`);
		}
	});
}

/**
The thread a log was taken from: the URL without fragment, query or trailing slash, so that two
logs of one discussion always land in the same part.
*/
export function threadOf(sourceUrl: string): string {
	return sourceUrl.replace(/[#?].*$/, '').replace(/\/+$/, '').toLowerCase();
}

/**
The part a row belongs to, decided by the SHA-256 of its thread alone: the first four bytes,
as a number modulo 100, below `heldBackPercent` mean held back. No label, log or result
enters the decision, so the split cannot drift towards what the matcher gets right.
*/
export function corpusPart(sourceUrl: string): CorpusPart {
	const digest = createHash('sha256').update(threadOf(sourceUrl)).digest();
	return digest.readUInt32BE(0) % 100 < heldBackPercent ? 'held-back' : 'tuning';
}
