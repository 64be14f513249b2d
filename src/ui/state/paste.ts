// The paste screen's buffer: a pure function over the input events Ink hands out (runs of
// text, and single escape sequences), so that a paste of any size is handled in one place.

const bracketedPasteStart = '\u001B[200~';
const bracketedPasteEnd = '\u001B[201~';
const escape = '\u001B';
const endOfInput = '\u0004';

export type PasteState = {
	text: string;
	/** Complete lines so far. */
	lines: number;
	/** Inside a terminal's bracketed paste: Enter and Esc are part of the text there. */
	inPaste: boolean;
	/** A short note for the user, such as "nothing pasted yet". */
	notice?: string;
};

export type PasteOutcome =
	| {kind: 'continue'}
	| {kind: 'submit'; text: string; lines: number}
	| {kind: 'load-file'; path: string}
	| {kind: 'back'};

export const emptyPaste: PasteState = {text: '', lines: 0, inPaste: false};

function countNewlines(text: string): number {
	let count = 0;
	for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
		count++;
	}

	return count;
}

// A single typed line that names a file is a path to load, not a log.
function asPath(text: string, isFile: (path: string) => boolean): string | undefined {
	const line = text.trim();
	if (line === '' || line.includes('\n') || line.includes(escape)) {
		return undefined;
	}

	const unquoted = line.replace(/^(['"])(.*)\1$/, '$2');
	return isFile(unquoted) ? unquoted : undefined;
}

function finish(state: PasteState, isFile: (path: string) => boolean): {state: PasteState; outcome: PasteOutcome} {
	if (state.text.trim() === '') {
		return {state: {...state, notice: 'Nothing pasted yet: paste the build output, or type the path of a log file.'}, outcome: {kind: 'continue'}};
	}

	const path = asPath(state.text, isFile);
	if (path) {
		return {state, outcome: {kind: 'load-file', path}};
	}

	const lines = state.text.endsWith('\n') ? state.lines : state.lines + 1;
	return {state, outcome: {kind: 'submit', text: state.text, lines}};
}

/**
Feeds input events into the buffer. Ctrl-D ends the input; Esc (outside a bracketed paste)
leaves; Enter after a single typed line that names a file loads that file; Backspace deletes.
Colour sequences are kept (the matcher removes them); other escape sequences (arrows) are ignored.
*/
export function feedPaste(previous: PasteState, events: readonly string[], isFile: (path: string) => boolean): {state: PasteState; outcome: PasteOutcome} {
	let state: PasteState = {...previous, notice: undefined};
	for (const event of events) {
		if (event === bracketedPasteStart || event === bracketedPasteEnd) {
			state = {...state, inPaste: event === bracketedPasteStart};
			continue;
		}

		if (event.startsWith(escape)) {
			if (state.inPaste) {
				state = {...state, text: state.text + event};
			} else if (event === escape) {
				return {state, outcome: {kind: 'back'}};
			} else if (event.endsWith('m') && event.startsWith('\u001B[')) {
				state = {...state, text: state.text + event};
			}

			continue;
		}

		for (const piece of event.split(/(\r\n|\r|\u0004|\u007F|\u0008)/)) {
			if (piece === '') {
				continue;
			}

			if (piece === endOfInput) {
				return finish(state, isFile);
			}

			if (piece === '\u007F' || piece === '\u0008') {
				const removed = state.text.at(-1);
				state = {...state, text: state.text.slice(0, -1), lines: removed === '\n' ? state.lines - 1 : state.lines};
				continue;
			}

			if (piece === '\r' || piece === '\r\n' || piece === '\n') {
				const path = state.inPaste ? undefined : asPath(state.text, isFile);
				if (path) {
					return {state, outcome: {kind: 'load-file', path}};
				}

				state = {...state, text: state.text + '\n', lines: state.lines + 1};
				continue;
			}

			state = {...state, text: state.text + piece, lines: state.lines + countNewlines(piece)};
		}
	}

	return {state, outcome: {kind: 'continue'}};
}
