/** Pure parsers for the one-line `--version` outputs and small system commands the probes run. */

/** First dotted version number in a text, e.g. "cargo 1.95.0 (f2d3ce0bd 2026-03-21)" → "1.95.0". */
export function firstVersion(text: string): string | undefined {
	return /\b(\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)?)\b/.exec(text)?.[1];
}

/** `nix --version`: "nix (Nix) 2.8.0" → "2.8.0"; anything else is not nix. */
export function parseNixVersion(stdout: string): string | undefined {
	return /^nix \(Nix\) (\d+\.\d+(?:\.\d+)?\S*)/m.exec(stdout)?.[1];
}

/**
`nix show-config` / `nix config show`: the `experimental-features` line, split into names.
Returns undefined when the line is absent (not a nix config listing).
*/
export function parseExperimentalFeatures(stdout: string): string[] | undefined {
	const line = /^experimental-features = (.*)$/m.exec(stdout);
	if (!line) {
		return undefined;
	}

	return line[1]!.split(/\s+/).filter(Boolean);
}

/** `cargo --version` / `rustc --version`: "cargo 1.95.0 (f2d3ce0bd 2026-03-21)" → "1.95.0". */
export function parseToolVersion(stdout: string, tool: string): string | undefined {
	const escaped = tool.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^${escaped}[ -](\\d+\\.\\d+\\.\\d+\\S*)`, 'm').exec(stdout)?.[1];
}

/** `rustc -vV`: the `key: value` lines, e.g. {release: "1.95.0", host: "x86_64-unknown-linux-gnu"}. */
export function parseRustcVerbose(stdout: string): {release?: string; host?: string} {
	const fields: Record<string, string> = {};
	for (const line of stdout.split('\n')) {
		const match = /^([\w-]+): (.+)$/.exec(line.trim());
		if (match) {
			fields[match[1]!] = match[2]!;
		}
	}

	return {
		...(fields.release && /^\d+\.\d+/.test(fields.release) ? {release: fields.release} : {}),
		...(fields.host && /^\w+-/.test(fields.host) ? {host: fields.host} : {}),
	};
}

/** `maturin --version`: "maturin 1.15.0" → "1.15.0". */
export function parseMaturinVersion(stdout: string): string | undefined {
	return parseToolVersion(stdout, 'maturin');
}

/** `getconf GNU_LIBC_VERSION` ("glibc 2.36") or `ldd --version` ("ldd (Debian GLIBC 2.36-9) 2.36") → "2.36". */
export function parseGlibcVersion(stdout: string): string | undefined {
	const getconf = /^glibc (\d+\.\d+)/m.exec(stdout);
	if (getconf) {
		return getconf[1];
	}

	const ldd = /^ldd \(.*(?:GLIBC|GNU libc).*\) (\d+\.\d+)/m.exec(stdout);
	return ldd?.[1];
}

/** `ldconfig -p`: every soname in the loader cache, with the path it resolves to. */
export function parseLdconfigCache(stdout: string): Map<string, string[]> {
	const cache = new Map<string, string[]>();
	for (const line of stdout.split('\n')) {
		const match = /^\s+(\S+) \(([^)]*)\) => (\S+)$/.exec(line);
		if (!match) {
			continue;
		}

		const paths = cache.get(match[1]!) ?? [];
		paths.push(match[3]!);
		cache.set(match[1]!, paths);
	}

	return cache;
}
