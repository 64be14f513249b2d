import {parseArgs} from 'node:util';
import type {CommandContext} from '../cli/context.js';
import {ExitCode, UserError} from '../cli/exit-codes.js';
import {formatEntry} from '../core/report/findings-text.js';
import {colourStyle, plainStyle, wantsColour} from '../core/report/style.js';
import {loadKnowledgeOrFail} from './shared.js';

export const usage = `Usage: pyo3-doctor explain ID [--json]

Prints one diagnosis in full: why it happens (in Nix and outside it), what it looks
like in a log, every fix, and references. 'pyo3-doctor list' shows the ids.`;

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
	if (!id || positionals.length > 1) {
		throw new UserError(`explain takes one diagnosis id.\n\n${usage}`, ExitCode.usage);
	}

	const knowledge = await loadKnowledgeOrFail(context);
	const entry = knowledge.find(candidate => candidate.id === id);
	if (!entry) {
		const close = knowledge.filter(candidate => candidate.id.includes(id) || id.includes(candidate.id)).map(candidate => candidate.id);
		const hint = close.length > 0 ? ` Did you mean: ${close.slice(0, 5).join(', ')}?` : ' Run pyo3-doctor list for every id.';
		throw new UserError(`No diagnosis has the id "${id}".${hint}`, ExitCode.usage);
	}

	if (values.json) {
		const {compiled, dir, ...data} = entry;
		context.stdout.write(`${JSON.stringify({schemaVersion: 1, diagnosis: data}, null, 2)}\n`);
		return ExitCode.ok;
	}

	const style = wantsColour(context.env, Boolean(context.stdout.isTTY)) ? colourStyle : plainStyle;
	context.stdout.write(`${formatEntry(entry, style)}\n`);
	return ExitCode.ok;
}
