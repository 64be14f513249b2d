import {parseArgs} from 'node:util';
import type {CommandContext} from '../cli/context.js';
import {ExitCode, UserError} from '../cli/exit-codes.js';
import {formatEntry} from '../core/report/findings-text.js';
import {colourStyle, plainStyle, wantsColour} from '../core/report/style.js';
import {formatTopic} from '../core/topics.js';
import {loadTopics} from '../io/topics.js';
import {loadKnowledgeOrFail} from './shared.js';

export const usage = `Usage: pyo3-doctor explain [ID | TOPIC] [--json]

Prints one diagnosis in full: why it happens (in Nix and outside it), what it looks
like in a log, every fix, and references. 'pyo3-doctor list' shows the ids.
With a TOPIC, prints a page that answers a common question with a recipe; with no
argument, lists the topics.

Examples:
  pyo3-doctor explain extension-module-in-binary
  pyo3-doctor explain maturin-under-nix`;

export async function run(context: CommandContext): Promise<number> {
	const {values, positionals} = parseArgs({
		args: context.argv,
		allowPositionals: true,
		options: {json: {type: 'boolean', default: false}, help: {type: 'boolean', short: 'h', default: false}},
	});
	if (values.help) {
		context.stdout.write(`${usage}\n`);
		return ExitCode.ok;
	}

	const [id] = positionals;
	if (positionals.length > 1) {
		throw new UserError(`explain takes one diagnosis id or topic.\n\n${usage}`, ExitCode.usage);
	}

	const style = wantsColour(context.env, Boolean(context.stdout.isTTY)) ? colourStyle : plainStyle;
	const topics = loadTopics();
	if (!id) {
		if (values.json) {
			context.stdout.write(`${JSON.stringify({schemaVersion: 1, topics: topics.map(({id, title}) => ({id, title}))}, null, 2)}\n`);
			return ExitCode.ok;
		}

		const width = Math.max(0, ...topics.map(topic => topic.id.length));
		context.stdout.write(`Topics (pyo3-doctor explain TOPIC):\n${topics.map(topic => `  ${topic.id.padEnd(width)}  ${topic.title}`).join('\n')}\n\n`);
		context.stdout.write('Diagnoses: pyo3-doctor explain ID (pyo3-doctor list shows every id).\n');
		return ExitCode.ok;
	}

	const topic = topics.find(candidate => candidate.id === id);
	if (topic) {
		context.stdout.write(values.json ? `${JSON.stringify({schemaVersion: 1, topic}, null, 2)}\n` : `${formatTopic(topic, style)}\n`);
		return ExitCode.ok;
	}

	const knowledge = await loadKnowledgeOrFail(context);
	const entry = knowledge.find(candidate => candidate.id === id);
	if (!entry) {
		const close = [...topics.map(candidate => candidate.id), ...knowledge.map(candidate => candidate.id)].filter(candidate => candidate.includes(id) || id.includes(candidate));
		const hint = close.length > 0 ? ` Did you mean: ${close.slice(0, 5).join(', ')}?` : ' Run pyo3-doctor list for every id, pyo3-doctor explain for the topics.';
		throw new UserError(`No diagnosis or topic has the id "${id}".${hint}`, ExitCode.usage);
	}

	if (values.json) {
		const {compiled, dir, ...data} = entry;
		context.stdout.write(`${JSON.stringify({schemaVersion: 1, diagnosis: data}, null, 2)}\n`);
		return ExitCode.ok;
	}

	context.stdout.write(`${formatEntry(entry, style)}\n`);
	return ExitCode.ok;
}
