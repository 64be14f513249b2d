// Text laid out for a fixed-size terminal: every screen turns its content into styled lines
// of at most `width` characters, so that it can count them and page instead of overflowing.

export type Tone = 'title' | 'id' | 'dim' | 'good' | 'warn' | 'bad' | 'accent' | 'added' | 'removed' | 'hunk';

export type StyledLine = {text: string; tone?: Tone; bold?: boolean};

// eslint-disable-next-line no-control-regex
const ansiPattern = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const controlPattern = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/** What a terminal would show of one line of a log: no escape sequences, no control bytes, tabs as spaces. */
export function displayText(text: string): string {
	return text.replace(ansiPattern, '').replaceAll('\t', '    ').replace(controlPattern, '');
}

/**
Wraps one line to `width` columns at spaces, breaking words longer than a line. Continuation
lines keep the first line's indentation (up to half the width), so lists stay readable.
*/
export function wrapLine(text: string, width: number): string[] {
	const safeWidth = Math.max(width, 8);
	if (text.length <= safeWidth) {
		return [text];
	}

	// Continuation lines hang under the text of a list item, a command or a log line.
	const hanging = /^\s*(?:- |\$ |log line \d+: |[✓✗!] |\[[✓✗!]\] )?/.exec(text)?.[0].length ?? 0;
	const indentation = Math.min(hanging, Math.floor(safeWidth / 2));
	const pad = ' '.repeat(indentation);
	const lines: string[] = [];
	let current = '';
	for (const word of text.slice(indentation).split(' ')) {
		const prefix = lines.length === 0 ? text.slice(0, indentation) : pad;
		const candidate = current === '' ? prefix + word : `${current} ${word}`;
		if (candidate.length <= safeWidth) {
			current = candidate;
			continue;
		}

		if (current !== '') {
			lines.push(current);
		}

		let rest = pad + word;
		while (rest.length > safeWidth) {
			lines.push(rest.slice(0, safeWidth));
			rest = pad + rest.slice(safeWidth);
		}

		current = rest;
	}

	lines.push(current);
	return lines;
}

/** Wraps every styled line, keeping each piece's style. */
export function wrapStyled(lines: readonly StyledLine[], width: number): StyledLine[] {
	return lines.flatMap(line => line.text.split('\n').flatMap(part => wrapLine(part, width).map(text => ({...line, text}))));
}

/** Cuts a line to `width` columns with an ellipsis. */
export function truncate(text: string, width: number): string {
	return text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0))}…`;
}

/** Keeps a scroll offset inside the content. */
export function clampScroll(scroll: number, contentHeight: number, viewHeight: number): number {
	return Math.max(0, Math.min(scroll, contentHeight - viewHeight));
}
