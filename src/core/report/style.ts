/** Text styling for plain reports: real ANSI colours, or identity functions when colour is off. */
export type Style = {
	bold: (text: string) => string;
	dim: (text: string) => string;
	red: (text: string) => string;
	green: (text: string) => string;
	yellow: (text: string) => string;
	cyan: (text: string) => string;
};

const wrap = (open: number, close: number) => (text: string) => `\u001B[${open}m${text}\u001B[${close}m`;

export const colourStyle: Style = {
	bold: wrap(1, 22),
	dim: wrap(2, 22),
	red: wrap(31, 39),
	green: wrap(32, 39),
	yellow: wrap(33, 39),
	cyan: wrap(36, 39),
};

const same = (text: string) => text;
export const plainStyle: Style = {bold: same, dim: same, red: same, green: same, yellow: same, cyan: same};

/**
Decides colour once: `NO_COLOR` (any non-empty value) turns it off, `FORCE_COLOR` (other than
"0"/"false") turns it on, otherwise colour follows whether the stream is a terminal.
*/
export function wantsColour(env: Record<string, string | undefined>, isTTY: boolean): boolean {
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') {
		return false;
	}

	if (env.FORCE_COLOR !== undefined) {
		return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
	}

	return isTTY;
}
