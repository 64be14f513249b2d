// The labelled logs the weights are fitted on. Only the tuning part of the public corpus takes
// part: the held-back part is never read here, so no weight can be tuned on it.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {corpusPart, parseCorpus, threadOf, type CorpusRow} from '../core/match/corpus.js';
import type {TrainingLog} from '../core/match/fit.js';
import {scanLog} from '../core/match/scanner.js';
import type {LoadedDiagnosis} from '../core/knowledge/schema.js';
import {loadExamples} from '../io/knowledge-dir.js';

/** Where the labelled logs live, relative to the repository root. */
export const corpusFiles = {
	public: 'test/corpus/public.jsonl',
	dev: '../shared/corpus/dev.jsonl',
	realLogs: 'test/real/logs',
	realScenarios: 'test/real/scenarios',
};

export function readCorpus(file: string): CorpusRow[] {
	return existsSync(file) ? parseCorpus(readFileSync(file, 'utf8'), file) : [];
}

/** The tuning part of the public corpus plus the dev corpus, each row as one labelled log. */
export function tuningRows(root: string): CorpusRow[] {
	const publicRows = readCorpus(path.join(root, corpusFiles.public)).filter(row => corpusPart(row.source_url) === 'tuning');
	return [...publicRows, ...readCorpus(path.join(root, corpusFiles.dev))];
}

// Logs captured from real builds by the real-tool suite, labelled by their scenario.
function realLogs(root: string): Array<{name: string; label: string; text: string}> {
	const logsDir = path.join(root, corpusFiles.realLogs);
	if (!existsSync(logsDir)) {
		return [];
	}

	return readdirSync(logsDir)
		.filter(name => name.endsWith('.log'))
		.sort()
		.flatMap(name => {
			const scenario = path.join(root, corpusFiles.realScenarios, name.replace(/\.log$/, ''), 'scenario.json');
			if (!existsSync(scenario)) {
				return [];
			}

			// A log that shows only a symptom (the probes prove its cause) is labelled with the symptom.
			const {id, offlineId} = JSON.parse(readFileSync(scenario, 'utf8')) as {id: string; offlineId?: string};
			return [{name: `real:${name}`, label: offlineId ?? id, text: readFileSync(path.join(logsDir, name), 'utf8')}];
		});
}

/**
Every log the weights learn from, scanned once: the tuning rows and real-suite logs with their
class, each entry's `examples/match` with that entry as class, and its `examples/no-match` as
"not this entry".
*/
export function trainingLogs(knowledge: readonly LoadedDiagnosis[], root: string): TrainingLog[] {
	const rows = tuningRows(root);
	// An example copied from a corpus row keeps that row's thread, so that cross-validation never
	// tests a log on a fold that learnt from its copy.
	const threadOfText = new Map(rows.map(row => [row.log.trim(), threadOf(row.source_url)]));
	const logs: TrainingLog[] = rows.map(row => ({
		name: row.id,
		thread: threadOf(row.source_url),
		label: row.class,
		scored: true,
		scan: scanLog(knowledge, row.log),
	}));
	for (const log of realLogs(root)) {
		logs.push({name: log.name, thread: log.name, label: log.label, scan: scanLog(knowledge, log.text)});
	}

	for (const entry of knowledge) {
		for (const example of loadExamples(entry.dir)) {
			const name = `${entry.id}/${example.expect}/${path.basename(example.file)}`;
			const scan = scanLog(knowledge, example.text);
			const thread = threadOfText.get(example.text.trim()) ?? `example:${name}`;
			logs.push(example.expect === 'match' ? {name, thread, label: entry.id, scan} : {name, thread, notFor: [entry.id], scan});
		}
	}

	return logs;
}
