import {createTwoFilesPatch} from 'diff';
import {z} from 'zod';
import type {Facts} from '../knowledge/conditions.js';
import type {Diagnosis, Edit, Fix} from '../knowledge/schema.js';
import {editKinds} from './kinds.js';
import type {EditOutcome} from './types.js';
import {validateText} from './validate.js';

/** One file a patch changes. `before` is `undefined` for a file the patch creates. */
export type PatchedFile = {path: string; before: string | undefined; after: string};

export type PatchPlan =
	| {status: 'patch'; files: PatchedFile[]; diff: string; notes: string[]}
	| {status: 'already-applied'}
	| {status: 'manual'; reason: string};

/** Options every edit may carry besides its kind's own parameters. */
const commonOptions = z.object({
	kind: z.string(),
	file: z.string().min(1),
	/** Other files to try, in order, when `file` does not exist or has no shape this edit knows (flake.nix → shell.nix → default.nix). */
	orFiles: z.array(z.string().min(1)).default([]),
	/** `skip`: when none of the files exists, this edit is not needed. */
	ifMissing: z.enum(['skip', 'kind-decides']).default('kind-decides'),
	/** When the edit cannot be made, the rest of the patch still stands; its words become a note. */
	optional: z.boolean().default(false),
	/** Another place for the same change: made only when no earlier edit of the fix changed or confirmed a file. */
	fallback: z.boolean().default(false),
});

const commonKeys = new Set(Object.keys(commonOptions.shape));

/** Splits an edit from a knowledge entry into the common options and the kind's parameters. */
export function splitEdit(edit: Edit): {options: z.infer<typeof commonOptions>; params: Record<string, unknown>} {
	const options = commonOptions.parse(edit);
	const params = Object.fromEntries(Object.entries(edit).filter(([key]) => !commonKeys.has(key)));
	return {options, params};
}

/** Checks an entry's edit: the kind exists and its parameters fit. Returns the problem, or `undefined`. */
export function checkEdit(edit: Edit): string | undefined {
	const kind = editKinds.get(edit.kind);
	if (!kind) {
		return `unknown edit kind "${edit.kind}" (known: ${[...editKinds.keys()].join(', ')})`;
	}

	const common = commonOptions.safeParse(edit);
	if (!common.success) {
		return common.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ');
	}

	const params = kind.params.safeParse(splitEdit(edit).params);
	if (!params.success) {
		return params.error.issues.map(issue => `${issue.path.join('.') || '(params)'}: ${issue.message}`).join('; ');
	}

	return undefined;
}

/** A file whose every line ends in CRLF (a file that mixes endings is edited as it is). */
function usesCrlf(text: string): boolean {
	return text.includes('\r\n') && !/(?:^|[^\r])\n/.test(text);
}

/** Where a file path is safe to name in a patch: relative, inside the project. */
function isProjectPath(path: string): boolean {
	return !path.startsWith('/') && !path.split('/').includes('..') && path.length > 0;
}

export type PlanInput = {
	entry: Pick<Diagnosis, 'id'>;
	fix: Fix;
	/** Reads a project file by its path relative to the project; `undefined` when it does not exist. */
	readFile: (path: string) => string | undefined;
	/** Probe facts; the finding's log captures go under `captures`. */
	facts: Facts;
};

/**
Turns a fix's structured edits into a patch against the project's own files. An edit that
cannot be made safely makes the whole fix manual (with the words to do it by hand), unless
it is marked optional.
*/
export function planFix(input: PlanInput): PatchPlan {
	const {fix} = input;
	if (fix.edits.length === 0) {
		return {status: 'manual', reason: `This fix changes no file by itself: ${fix.steps.join(' ')}`};
	}

	// Edits see a CRLF file with LF line ends, so every line they insert gets the file's own ending back.
	const working = new Map<string, string | undefined>();
	const original = new Map<string, string | undefined>();
	const crlf = new Set<string>();
	const read = (path: string): string | undefined => {
		if (!working.has(path)) {
			const text = input.readFile(path);
			original.set(path, text);
			if (text !== undefined && usesCrlf(text)) {
				crlf.add(path);
				working.set(path, text.replaceAll('\r\n', '\n'));
			} else {
				working.set(path, text);
			}
		}

		return working.get(path);
	};

	const notes: string[] = [];
	const unmade: string[] = [];
	let confirmed = false;
	let made = false;
	for (const edit of fix.edits) {
		const problem = checkEdit(edit);
		if (problem) {
			return {status: 'manual', reason: `The knowledge entry ${input.entry.id} has a malformed edit (${problem}); follow the steps by hand.`};
		}

		const kind = editKinds.get(edit.kind)!;
		const {options, params} = splitEdit(edit);
		if (options.fallback && (made || confirmed)) {
			continue;
		}

		const candidates = [options.file, ...options.orFiles].filter(path => isProjectPath(path));
		const existing = candidates.filter(path => read(path) !== undefined);
		if (existing.length === 0 && options.ifMissing === 'skip') {
			continue;
		}

		const tried = existing.length > 0 ? existing : [options.file];
		let outcome: EditOutcome | undefined;
		let target = tried[0]!;
		const reasons: string[] = [];
		for (const path of tried) {
			const result = kind.apply(read(path), kind.params.parse(params), {facts: input.facts, path, readFile: read});
			if (result.kind !== 'manual') {
				outcome = result;
				target = path;
				break;
			}

			reasons.push(result.reason);
		}

		if (!outcome) {
			if (options.optional) {
				notes.push(...reasons.slice(0, 1));
				unmade.push(...reasons.slice(0, 1));
				continue;
			}

			return {status: 'manual', reason: reasons[0]!};
		}

		if (options.fallback) {
			// It stands in for the edits before it: what they could not do no longer needs doing by hand.
			notes.splice(0, notes.length, ...notes.filter(note => !unmade.includes(note)));
		}

		if (outcome.kind === 'changed') {
			working.set(target, outcome.text);
			notes.push(...(outcome.notes ?? []));
			made = true;
		} else {
			confirmed = true;
		}
	}

	const files: PatchedFile[] = [];
	for (const [path, edited] of working) {
		const before = original.get(path);
		const after = edited !== undefined && crlf.has(path) ? edited.replaceAll('\n', '\r\n') : edited;
		if (after !== undefined && after !== before) {
			files.push({path, before, after});
			if (crlf.has(path) && path.endsWith('.nix')) {
				notes.push(`${path} has Windows (CRLF) line ends, which the patch keeps; but Nix keeps the \\r inside '' strings, so every line of shell code in its phases and shellHook ends in a stray \\r that bash trips on. Convert it to LF line ends (sed -i 's/\\r$//' ${path}; git config core.autocrlf input).`);
			}
		}
	}

	if (files.length === 0) {
		// Nothing to change is "already applied" only when some edit saw its change in place.
		return confirmed || notes.length === 0 ? {status: 'already-applied'} : {status: 'manual', reason: notes.join('\n')};
	}

	for (const file of files) {
		const invalid = validateText(file.path, file.after);
		if (invalid) {
			return {status: 'manual', reason: `The patch is not offered because ${invalid}. Follow the steps by hand: ${fix.steps.join(' ')}`};
		}
	}

	return {status: 'patch', files, diff: renderDiff(files), notes};
}

/** A unified diff with `a/` and `b/` paths, in the form `git apply` and `patch -p1` accept. */
export function renderDiff(files: PatchedFile[]): string {
	return files
		.map(file => {
			const created = file.before === undefined;
			const header = `diff --git a/${file.path} b/${file.path}\n${created ? 'new file mode 100644\n' : ''}`;
			const body = createTwoFilesPatch(created ? '/dev/null' : `a/${file.path}`, `b/${file.path}`, file.before ?? '', file.after, undefined, undefined, {
				context: 3,
				headerOptions: {includeIndex: false, includeUnderline: false, includeFileHeaders: true},
			});
			return header + body;
		})
		.join('');
}
