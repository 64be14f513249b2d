import type {CommandContext} from '../cli/context.js';
import {ExitCode, UserError} from '../cli/exit-codes.js';
import type {LoadedDiagnosis} from '../core/knowledge/schema.js';
import {formatProblems, loadKnowledge} from '../io/knowledge-dir.js';

const loaded = new Map<string | undefined, ReturnType<typeof loadKnowledge>>();

/**
Loads the knowledge base. Broken entries are named on stderr and skipped; only a knowledge
base with no usable entry at all stops the command.
*/
export async function loadKnowledgeOrFail(context: CommandContext): Promise<LoadedDiagnosis[]> {
	const dir = context.env.PYO3_DOCTOR_KNOWLEDGE_DIR || undefined;
	// One load per folder and process: a process that runs several commands (the tests) reads it once.
	const loading = loaded.get(dir) ?? loadKnowledge(dir);
	loaded.set(dir, loading);
	const {entries, problems} = await loading;
	if (problems.length > 0) {
		context.stderr.write(`${formatProblems(problems)}\n`);
		context.stderr.write(`pyo3-doctor: ${problems.length} knowledge problem(s); the entries above were skipped.\n`);
	}

	if (entries.length === 0) {
		throw new UserError('No knowledge entry could be loaded, so nothing can be diagnosed. Reinstall pyo3-doctor.', ExitCode.internal);
	}

	return entries;
}
