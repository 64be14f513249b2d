import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {nixInstantiateProblem, nixScanProblem, pyo3ConfigProblem, tomlProblem, type FileProblem} from '../core/files/parse-problems.js';
import {isEntry} from '../io/project-root.js';
import {findOnPath, probeRun, type ProbeContext} from './context.js';
import {findCargoLock} from './project.js';
import {maxProjectFileBytes} from './workspace.js';

export type {FileProblem} from '../core/files/parse-problems.js';

export {maxProjectFileBytes} from './workspace.js';

const readErrors: Record<string, string> = {
	EACCES: 'permission denied',
	EPERM: 'permission denied',
	ELOOP: 'a loop of symbolic links',
	EISDIR: 'a folder, not a file',
	ENAMETOOLONG: 'a path too long',
};

/**
The text of a project file, or why it cannot be had: unreadable, too large, binary or not UTF-8.
`undefined` when there is no such file (absent is not a problem).
*/
export function readProjectText(full: string, shown: string): {text: string} | {problem: FileProblem} | undefined {
	const unreadable = (message: string): {problem: FileProblem} => ({problem: {file: shown, message, parser: 'read'}});
	let bytes: Buffer;
	try {
		const stat = statSync(full);
		if (stat.isDirectory()) {
			return unreadable(`cannot be read: ${readErrors.EISDIR} (EISDIR)`);
		}

		// A named pipe, socket or device would block the read (or never end): never opened.
		if (!stat.isFile()) {
			return unreadable('not read: not a regular file (a pipe, socket or device)');
		}

		const size = stat.size;
		if (size > maxProjectFileBytes) {
			return unreadable(`not read: ${(size / 1024 / 1024).toFixed(1)} MB is far too large for this file`);
		}

		bytes = readFileSync(full);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? '';
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			return undefined;
		}

		return unreadable(`cannot be read: ${readErrors[code] ?? code} (${code})`);
	}

	if (bytes.includes(0)) {
		return unreadable('a binary file, not text');
	}

	try {
		return {text: new TextDecoder('utf-8', {fatal: true}).decode(bytes)};
	} catch {
		const valid = validUtf8Prefix(bytes);
		const before = bytes.subarray(0, valid).toString('utf8');
		const line = before.split('\n').length;
		return {problem: {file: shown, message: `not UTF-8 text (byte 0x${bytes[valid]!.toString(16)})`, line, column: before.length - before.lastIndexOf('\n'), parser: 'UTF-8'}};
	}
}

// The length of the longest prefix that decodes as UTF-8 (for the position of the first bad byte).
function validUtf8Prefix(bytes: Buffer): number {
	let low = 0;
	let high = bytes.length;
	const decoder = new TextDecoder('utf-8', {fatal: true});
	while (low < high) {
		const middle = Math.ceil((low + high) / 2);
		try {
			decoder.decode(bytes.subarray(0, middle), {stream: true});
			decoder.decode();
			low = middle;
		} catch {
			high = middle - 1;
		}
	}

	return low;
}

/** Which parser judged the Nix files: Nix's own, or (without an answer from it) the built-in scan. */
export type NixParser = 'nix-instantiate --parse' | 'built-in scan';

async function nixProblem(context: ProbeContext, full: string, shown: string, text: string, parsers: Set<NixParser>): Promise<FileProblem | undefined> {
	if (findOnPath('nix-instantiate', context.env)) {
		const result = await probeRun(context, 'nix-instantiate', ['--parse', full], path.dirname(full));
		if (result.status === 'ok') {
			parsers.add('nix-instantiate --parse');
			return undefined;
		}

		if (result.status === 'failed' && /error/.test(result.stderr)) {
			parsers.add('nix-instantiate --parse');
			return nixInstantiateProblem(shown, result.stderr);
		}
	}

	// No nix-instantiate, or it gave no answer: the built-in scan.
	parsers.add('built-in scan');
	return nixScanProblem(shown, text);
}

/**
Every project file that cannot be read or does not parse: Cargo.toml, Cargo.lock, pyproject.toml,
.cargo/config.toml (or .cargo/config), flake.nix, default.nix, shell.nix, and the file
PYO3_CONFIG_FILE names. Missing files are not problems. Also says which parser judged the Nix files.
*/
export async function probeFileProblems(context: ProbeContext, root: string | undefined): Promise<{problems: FileProblem[]; nixParsedBy: NixParser[]}> {
	const parsers = new Set<NixParser>();
	const checks: Array<Promise<FileProblem | undefined>> = [];
	const check = (full: string, shown: string, parse: (text: string) => FileProblem | undefined | Promise<FileProblem | undefined>) => {
		const read = readProjectText(full, shown);
		if (read) {
			checks.push('problem' in read ? Promise.resolve(read.problem) : Promise.resolve(parse(read.text)));
		}
	};

	if (root) {
		for (const name of ['Cargo.toml', 'pyproject.toml']) {
			check(path.join(root, name), name, text => tomlProblem(name, text));
		}

		const config = ['config.toml', 'config'].map(name => path.join('.cargo', name)).find(name => isEntry(path.join(root, name)));
		if (config) {
			check(path.join(root, config), config, text => tomlProblem(config, text));
		}

		const lock = findCargoLock(root);
		if (lock) {
			const shown = path.relative(root, lock);
			check(lock, shown, text => tomlProblem(shown, text));
		}

		for (const name of ['flake.nix', 'default.nix', 'shell.nix']) {
			check(path.join(root, name), name, async text => nixProblem(context, path.join(root, name), name, text, parsers));
		}
	}

	const configFile = context.env.PYO3_CONFIG_FILE;
	if (configFile) {
		const full = path.resolve(root ?? context.cwd, configFile);
		const shown = `PYO3_CONFIG_FILE (${configFile})`;
		if (isEntry(full)) {
			check(full, shown, text => pyo3ConfigProblem(shown, text));
		} else {
			checks.push(Promise.resolve({file: shown, message: 'no such file (pyo3 fails to open it)', parser: 'read'}));
		}
	}

	const problems = (await Promise.all(checks)).filter((problem): problem is FileProblem => problem !== undefined);
	return {problems, nixParsedBy: [...parsers].sort()};
}
