import {readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {findOnPath} from './context.js';

// pyenv's and asdf's shims are shell scripts that start the version manager (`pyenv exec`,
// `asdf exec`), which costs a few hundred milliseconds per call. The interpreter a shim would run
// is written down in files the manager itself reads; a shim is resolved from them. `system`, a
// version not installed, or a set-up these files do not decide fall back to running the shim.

/** A version file's lines without comments and blanks, each split in words; undefined when unreadable. */
function versionFileLines(file: string): string[][] | undefined {
	try {
		return readFileSync(file, 'utf8')
			.split('\n')
			.map(line => line.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean))
			.filter(words => words.length > 0);
	} catch {
		return undefined;
	}
}

/** The first answer `pick` gives for the `name` file of a folder from `start` up to `/`. */
function nearest(start: string, name: string, pick: (lines: string[][]) => string[] | undefined): string[] | undefined {
	for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
		const lines = versionFileLines(path.join(dir, name));
		const picked = lines && pick(lines);
		if (picked) {
			return picked;
		}

		if (path.dirname(dir) === dir) {
			return undefined;
		}
	}
}

/** The first of `versions` that has `name` in its bin folder; undefined when `system` (no folder) comes first. */
function firstInstalled(versions: string[], binFolder: (version: string) => string | undefined, name: string, env: Record<string, string | undefined>): string | undefined {
	for (const version of versions) {
		const folder = binFolder(version);
		if (!folder) {
			return undefined;
		}

		const candidate = findOnPath(path.join(folder, name), env);
		if (candidate) {
			return candidate;
		}
	}

	return undefined;
}

/**
pyenv (README, "Choosing the Python version"): PYENV_VERSION, else the nearest `.python-version` from
the current folder (PYENV_DIR when set) up, else `$PYENV_ROOT/version`, else `system`; the versions
named are tried in order.
*/
function resolvePyenv(file: string, env: Record<string, string | undefined>, cwd: string, home: string): string | undefined {
	const root = env.PYENV_ROOT || path.join(home, '.pyenv');
	if (path.dirname(file) !== path.join(root, 'shims')) {
		return undefined;
	}

	const allWords = (lines: string[][]) => (lines.length > 0 ? lines.flat() : undefined);
	const fromFile = (file: string) => {
		const lines = versionFileLines(file);
		return lines && allWords(lines);
	};

	const versions = (env.PYENV_VERSION ? env.PYENV_VERSION.split(':').filter(Boolean) : undefined) ?? nearest(env.PYENV_DIR || cwd, '.python-version', allWords) ?? fromFile(path.join(root, 'version')) ?? ['system'];
	return firstInstalled(versions, version => (version === 'system' ? undefined : path.join(root, 'versions', version, 'bin')), path.basename(file), env);
}

/**
asdf (docs, "Configuration" and "Versions"): ASDF_PYTHON_VERSION, else the `python` line of the
nearest `.tool-versions` from the current folder up, else of `$HOME/.tool-versions`; a version is an
installed one, `path:DIR` or `system`. With `legacy_version_file = yes` in .asdfrc a `.python-version`
may decide too: then the shim is run.
*/
function resolveAsdf(file: string, env: Record<string, string | undefined>, cwd: string, home: string): string | undefined {
	const dataDir = env.ASDF_DATA_DIR || path.join(home, '.asdf');
	if (path.dirname(file) !== path.join(dataDir, 'shims')) {
		return undefined;
	}

	try {
		if (/^\s*legacy_version_file\s*=\s*yes/m.test(readFileSync(env.ASDF_CONFIG_FILE || path.join(home, '.asdfrc'), 'utf8'))) {
			return undefined;
		}
	} catch {
		// No .asdfrc: the default, .tool-versions only.
	}

	const toolVersions = env.ASDF_DEFAULT_TOOL_VERSIONS_FILENAME || '.tool-versions';
	const pythonLine = (lines: string[][]) => lines.find(([tool]) => tool === 'python')?.slice(1);
	const homeLines = versionFileLines(path.join(home, toolVersions));
	const versions = (env.ASDF_PYTHON_VERSION ? env.ASDF_PYTHON_VERSION.split(/\s+/).filter(Boolean) : undefined) ?? nearest(cwd, toolVersions, pythonLine) ?? (homeLines && pythonLine(homeLines));
	if (!versions) {
		return undefined;
	}

	const binFolder = (version: string) => {
		if (version === 'system') {
			return undefined;
		}

		return version.startsWith('path:') ? path.join(version.slice('path:'.length), 'bin') : path.join(dataDir, 'installs', 'python', version, 'bin');
	};

	return firstInstalled(versions, binFolder, path.basename(file), env);
}

/** The interpreter a pyenv or asdf shim would run, or undefined when `file` is no such shim or the shim must be run to know. */
export function resolveShim(file: string, env: Record<string, string | undefined>, cwd: string): string | undefined {
	const home = env.HOME || os.homedir();
	return resolvePyenv(file, env, cwd, home) ?? resolveAsdf(file, env, cwd, home);
}
