import {createHash, randomBytes} from 'node:crypto';
import {constants, copyFileSync, existsSync, lstatSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Facts} from '../core/knowledge/conditions.js';
import type {LoadedDiagnosis} from '../core/knowledge/schema.js';
import {planFix, type PatchedFile, type PatchPlan} from '../core/patch/plan.js';
import type {FixPatch, PatchLookup} from '../core/report/findings-json.js';
import {syntaxOf, validateText} from '../core/patch/validate.js';

export {findProjectRoot} from './project-root.js';

/** Project files larger than this are not read (nothing the patches edit is ever this big). */
const maxFileBytes = 2 * 1024 * 1024;

/** Is `candidate` the folder `root` or inside it? Both must be absolute and resolved. */
function isInside(root: string, candidate: string): boolean {
	const relative = path.relative(root, candidate);
	return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
A reader for planFix: project-relative path → text, or `undefined` when the file does not
exist, is not a regular file, is too big, or lies outside the project.
*/
export function projectReader(root: string): (relativePath: string) => string | undefined {
	const realRoot = realpathSync(root);
	return relativePath => {
		const full = path.resolve(realRoot, relativePath);
		if (!isInside(realRoot, full)) {
			return undefined;
		}

		try {
			const stats = statSync(full);
			if (!stats.isFile() || stats.size > maxFileBytes) {
				return undefined;
			}

			return readFileSync(full, 'utf8');
		} catch {
			return undefined;
		}
	};
}

export function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** The content hashes of a plan's files as they were when the diff was made (`null`: the file did not exist). */
export function planHashes(plan: Extract<PatchPlan, {status: 'patch'}>): Record<string, string | null> {
	return Object.fromEntries(plan.files.map(file => [file.path, file.before === undefined ? null : sha256(file.before)]));
}

export type ApplyOptions = {
	/** Content hashes captured when the diff was shown; defaults to the plan's own `before` texts. */
	hashes?: Record<string, string | null>;
	/** Checks a Nix file with `nix-instantiate --parse`; `undefined` result means it parses, `null` means nix is not installed. */
	parseNix?: (file: string) => Promise<string | undefined | null>;
	/** For backup names; injected so tests are deterministic. */
	now?: () => Date;
};

export type ApplyResult =
	| {ok: true; written: Array<{path: string; backup?: string; created: boolean}>; nixChecked: boolean}
	| {ok: false; reason: string};

type Checked = {file: PatchedFile; target: string; mode: number | undefined};

/** Refuses a file for one of the reasons a write would be unsafe; returns the words, or the resolved target. */
function checkTarget(root: string, file: PatchedFile, expectedHash: string | null): {target: string; mode: number | undefined} | {reason: string} {
	const full = path.resolve(root, file.path);
	if (path.isAbsolute(file.path) || !isInside(root, full)) {
		return {reason: `${file.path} is outside the project (${root}); pyo3-doctor only writes files inside it.`};
	}

	let target = full;
	let stats;
	try {
		stats = lstatSync(full);
	} catch {
		stats = undefined;
	}

	if (stats?.isSymbolicLink()) {
		const link = readlinkSync(full);
		let resolved: string;
		try {
			resolved = realpathSync(full);
		} catch {
			resolved = path.resolve(path.dirname(full), link);
		}

		if (resolved.startsWith('/nix/store/') || link.startsWith('/nix/store/')) {
			return {reason: `${file.path} is a symbolic link into the Nix store (${link}): it is generated and read-only. Change the Nix expression or file it is built from, or replace the link with a copy of your own first.`};
		}

		if (!isInside(root, resolved)) {
			return {reason: `${file.path} is a symbolic link to ${resolved}, outside the project; pyo3-doctor does not write there.`};
		}

		target = resolved;
		stats = statSync(resolved);
	}

	// The parent folder may itself be a link out of the project.
	try {
		const parent = realpathSync(path.dirname(target));
		if (!isInside(root, parent)) {
			return {reason: `${file.path} is in ${parent}, outside the project; pyo3-doctor does not write there.`};
		}

		if (parent.startsWith('/nix/store/')) {
			return {reason: `${file.path} is inside the Nix store (${parent}), which is read-only.`};
		}
	} catch {
		if (file.before !== undefined) {
			return {reason: `${file.path} can no longer be found.`};
		}
	}

	if (stats && !stats.isFile()) {
		return {reason: `${file.path} is not a regular file.`};
	}

	// Checked from the mode bits, not by trying: root may write anything, but a read-only file says "do not".
	if (stats && (stats.mode & 0o222) === 0) {
		return {reason: `${file.path} is read-only (mode ${(stats.mode & 0o777).toString(8)}). Make it writable (chmod u+w ${file.path}) if you mean it to change, then run the fix again.`};
	}

	const current = stats ? readFileSync(target, 'utf8') : undefined;
	const currentHash = current === undefined ? null : sha256(current);
	if (currentHash !== expectedHash) {
		const what = expectedHash === null ? 'now exists' : current === undefined ? 'has been deleted' : 'has changed';
		return {reason: `${file.path} ${what} since its diff was made; nothing was written. Run the fix again to see a diff of the file as it is now.`};
	}

	return {target, mode: stats ? stats.mode & 0o7777 : undefined};
}

function backupName(target: string, now: Date): string {
	const plain = `${target}.pyo3-doctor.bak`;
	if (!existsSync(plain)) {
		return plain;
	}

	const stamp = now.toISOString().replaceAll(/[:.]/g, '-');
	return `${target}.pyo3-doctor.${stamp}.bak`;
}

/**
Writes a plan's files. Every check runs before anything is written: the path is inside the
project and not a link into the Nix store, the file is writable and unchanged since its diff
was made, and the new text is valid (TOML parses; Nix parses with `nix-instantiate --parse`
when nix is installed, else passes the built-in check). Each file is written to a temporary
file beside it and renamed over the original, after a backup copy; if any step fails, the
files already replaced are restored and nothing is left half-done.
*/
export async function applyPlan(root: string, plan: Extract<PatchPlan, {status: 'patch'}>, options: ApplyOptions = {}): Promise<ApplyResult> {
	const realRoot = realpathSync(root);
	const hashes = options.hashes ?? planHashes(plan);
	const checked: Checked[] = [];
	for (const file of plan.files) {
		const expected = file.path in hashes ? hashes[file.path]! : file.before === undefined ? null : sha256(file.before);
		const result = checkTarget(realRoot, file, expected);
		if ('reason' in result) {
			return {ok: false, reason: result.reason};
		}

		const invalid = validateText(file.path, file.after);
		if (invalid) {
			return {ok: false, reason: `${invalid}; nothing was written.`};
		}

		checked.push({file, ...result});
	}

	const stamp = Math.random().toString(36).slice(2, 8) + randomBytes(2).toString('hex');
	const temporary: string[] = [];
	const cleanUp = () => {
		for (const file of temporary) {
			rmSync(file, {force: true});
		}
	};

	let nixChecked = false;
	try {
		for (const item of checked) {
			const temp = path.join(path.dirname(item.target), `.${path.basename(item.target)}.pyo3-doctor-${stamp}.tmp`);
			writeFileSync(temp, item.file.after, {flag: 'wx', mode: item.mode ?? 0o644});
			temporary.push(temp);
			if (syntaxOf(item.file.path) === 'nix' && options.parseNix) {
				const problem = await options.parseNix(temp);
				if (problem !== null) {
					nixChecked = true;
				}

				if (typeof problem === 'string') {
					cleanUp();
					return {ok: false, reason: `nix-instantiate --parse rejects the patched ${item.file.path}: ${problem}; nothing was written.`};
				}
			}
		}
	} catch (error) {
		cleanUp();
		return {ok: false, reason: `Could not prepare the new files: ${(error as Error).message}; nothing was written.`};
	}

	const now = options.now?.() ?? new Date();
	const written: Array<{path: string; backup?: string; created: boolean}> = [];
	const done: Array<{target: string; backup?: string}> = [];
	let pendingBackup: string | undefined;
	try {
		for (const [index, item] of checked.entries()) {
			let backup: string | undefined;
			if (item.file.before !== undefined) {
				backup = backupName(item.target, now);
				copyFileSync(item.target, backup, constants.COPYFILE_EXCL);
				pendingBackup = backup;
			}

			renameSync(temporary[index]!, item.target);
			pendingBackup = undefined;
			done.push({target: item.target, backup});
			written.push({path: item.file.path, backup: backup ? path.relative(realRoot, backup) : undefined, created: item.file.before === undefined});
		}
	} catch (error) {
		if (pendingBackup) {
			rmSync(pendingBackup, {force: true});
		}

		// Put back what was already replaced, newest first.
		for (const item of done.reverse()) {
			try {
				if (item.backup) {
					copyFileSync(item.backup, item.target);
					rmSync(item.backup, {force: true});
				} else {
					rmSync(item.target, {force: true});
				}
			} catch {
				// The backup stays on disk; the message below names the failure.
			}
		}

		cleanUp();
		return {ok: false, reason: `Writing failed (${(error as Error).message}); the files already written were restored from their backups.`};
	}

	return {ok: true, written, nixChecked};
}

/**
The patch of every fix of the given findings against the project at `root`, for `--json`
output (`diagnose --project`, `check`). Findings' log captures feed the edits under `captures.*`.
*/
export function createPatchLookup(options: {root: string; findings: ReadonlyArray<{diagnosis: LoadedDiagnosis; captures: Record<string, string>}>; facts: Facts}): PatchLookup {
	const readFile = projectReader(options.root);
	const cache = new Map<string, FixPatch | undefined>();
	return (diagnosisId, fixId) => {
		const key = `${diagnosisId}\u0000${fixId}`;
		if (cache.has(key)) {
			return cache.get(key);
		}

		const finding = options.findings.find(candidate => candidate.diagnosis.id === diagnosisId);
		const fix = finding?.diagnosis.fixes.find(candidate => candidate.id === fixId);
		let patch: FixPatch | undefined;
		if (finding && fix && fix.edits.length > 0) {
			const plan = planFix({entry: finding.diagnosis, fix, readFile, facts: {...options.facts, captures: finding.captures}});
			if (plan.status === 'patch') {
				patch = {status: 'patch', diff: plan.diff, files: plan.files.map(file => file.path)};
			} else if (plan.status === 'already-applied') {
				patch = {status: 'already-applied', diff: null, reason: 'already applied: the project files already say what this fix would make them say'};
			} else {
				patch = {status: 'manual', diff: null, reason: plan.reason};
			}
		}

		cache.set(key, patch);
		return patch;
	};
}
