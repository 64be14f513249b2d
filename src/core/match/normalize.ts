// Log normalisation: what a terminal or CI page would show a person, one line at a time.
// Line numbers are never changed, so evidence always points at the user's own file.

// CSI sequences (colours, cursor moves), OSC sequences (hyperlinks, titles) and lone ESC pairs.
// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-Z\\-_]|\u009B[0-?]*[ -/]*[@-~]/g;

/** Removes ANSI escape sequences; a no-op (and cheap) on text without ESC. */
export function stripAnsi(text: string): string {
	return text.includes('\u001B') || text.includes('\u009B') ? text.replace(ansiPattern, '') : text;
}

// Prefixes that wrap real tool output without being part of it, tried in order at line start:
// - GitHub Actions timestamps: `2024-05-01T10:20:30.1234567Z `
// - Nix build logs: `> ` quoting after `last 10 log lines:`, and `pname> ` from `nix build -L`
// - Docker BuildKit plain progress: `#12 3.456 ` (step, then seconds), or `#12 ` on step lines
const timestampPrefix = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?/;
const buildKitPrefix = /^#\d+ (?:\d+\.\d+ )?/;
const nixQuotePrefix = /^\s*>(?: |$)/;
const nixAttributePrefix = /^[\w][\w.+-]{0,80}> /;

/** Strips wrapper prefixes, one layer each, from a single line. */
export function stripLinePrefixes(line: string): string {
	let result = line;
	result = result.replace(timestampPrefix, '');
	result = result.replace(buildKitPrefix, '');
	result = result.replace(nixAttributePrefix, '');
	result = result.replace(nixQuotePrefix, '');
	return result;
}

/**
Splits one raw line into what was printed: a Windows line end is dropped, and `\r` progress
redraws become separate segments (every segment was on screen at some point).
*/
export function lineSegments(rawLine: string): string[] {
	const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
	if (!line.includes('\r')) {
		return [stripLinePrefixes(line)];
	}

	return line
		.split('\r')
		.filter(segment => segment.trim() !== '')
		.map(segment => stripLinePrefixes(segment));
}

/** Normalises a whole log into display lines (for tests and small inputs; the scanner streams). */
export function normalizeLog(text: string): string[] {
	return stripAnsi(text)
		.split('\n')
		.map(line => lineSegments(line).join(' '));
}
