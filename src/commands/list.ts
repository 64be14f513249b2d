import {parseArgs} from 'node:util';
import type {CommandContext} from '../cli/context.js';
import {ExitCode} from '../cli/exit-codes.js';
import {loadKnowledgeOrFail} from './shared.js';

export const usage = `Usage: pyo3-doctor list [--json]

Lists every diagnosis id pyo3-doctor knows, with its title, grouped by domain.`;

export async function run(context: CommandContext): Promise<number> {
	const {values} = parseArgs({
		args: context.argv,
		options: {json: {type: 'boolean', default: false}, help: {type: 'boolean', short: 'h', default: false}},
	});
	if (values.help) {
		context.stdout.write(`${usage}\n`);
		return ExitCode.ok;
	}

	const knowledge = await loadKnowledgeOrFail(context);
	if (values.json) {
		const diagnoses = knowledge.map(entry => ({id: entry.id, title: entry.title, domain: entry.domain, summary: entry.summary}));
		context.stdout.write(`${JSON.stringify({schemaVersion: 1, diagnoses}, null, 2)}\n`);
		return ExitCode.ok;
	}

	const width = Math.max(...knowledge.map(entry => entry.id.length));
	const domains = [...new Set(knowledge.map(entry => entry.domain))].sort();
	for (const domain of domains) {
		context.stdout.write(`${domain}\n`);
		for (const entry of knowledge.filter(candidate => candidate.domain === domain)) {
			context.stdout.write(`  ${entry.id.padEnd(width)}  ${entry.title}\n`);
		}
	}

	return ExitCode.ok;
}
