// One-line text fields: what a run of typed input does to the value.

const backspaces = new Set(['\u007F', '\b']);

/**
Applies one input event to a one-line field's value. Ink hands over a single event for several
keys that arrive in one read (key repeat, a fast typist, a paste, a loaded machine), so a run such
as "\x7f\x7f\x7f" must delete three characters, not add three invisible ones. Other control
characters and line breaks are dropped: the field holds one line of printable text.
*/
export function typeInto(value: string, input: string): string {
	let result = value;
	for (const character of input) {
		if (backspaces.has(character)) {
			result = [...result].slice(0, -1).join('');
		} else if (character >= ' ') {
			result += character;
		}
	}

	return result;
}
