import {existsSync} from 'node:fs';
import path from 'node:path';
import {findOnPath, probeRun, type ProbeContext} from './context.js';
import {parseLdconfigCache} from './parsers/tools.js';

/** The sonames the dynamic loader finds on its own (ld.so.cache), read with `ldconfig -p`. */
export async function probeLoaderCache(context: ProbeContext): Promise<Map<string, string[]> | undefined> {
	const ldconfig = findOnPath('ldconfig', context.env) ?? ['/sbin/ldconfig', '/usr/sbin/ldconfig'].find(file => existsSync(file));
	if (!ldconfig) {
		return undefined;
	}

	const result = await probeRun(context, ldconfig, ['-p']);
	// An answer with no library in it is no answer: the loader's cache stays unknown.
	const cache = result.status === 'ok' ? parseLdconfigCache(result.stdout) : undefined;
	return cache && cache.size > 0 ? cache : undefined;
}

/** Whether the loader finds a soname: in LD_LIBRARY_PATH, in extra directories (RUNPATH), or in its cache. */
export function loaderFinds(
	soname: string,
	options: {cache: Map<string, string[]> | undefined; ldLibraryPath?: string; extraDirs?: readonly string[]; origin?: string},
): boolean | undefined {
	const dirs = [...(options.extraDirs ?? []), ...(options.ldLibraryPath ?? '').split(path.delimiter)].filter(Boolean);
	for (const dir of dirs) {
		const expanded = options.origin ? dir.replaceAll(/\$(?:ORIGIN|\{ORIGIN\})/g, options.origin) : dir;
		if (existsSync(path.join(expanded, soname))) {
			return true;
		}
	}

	if (!options.cache) {
		return undefined;
	}

	return options.cache.has(soname);
}
