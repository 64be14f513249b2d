/** How output is produced, decided once at the entry point. */
export type Mode = 'interactive' | 'plain' | 'json';

/**
`--json` wins; then a CI environment or a stdout that is not a terminal means plain text;
only a terminal on stdout with a way to read keys is interactive. `CI=false`/`CI=0` do not count as CI.
*/
export function decideMode(options: {json: boolean; stdoutIsTTY: boolean; keyboardAvailable: boolean; env: Record<string, string | undefined>}): Mode {
	if (options.json) {
		return 'json';
	}

	const ci = options.env.CI;
	const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
	if (inCi || !options.stdoutIsTTY || !options.keyboardAvailable) {
		return 'plain';
	}

	return 'interactive';
}
