// Locates tables, keys and values in TOML text by offset, so that edits change only the
// spans they mean to and keep comments, order and layout byte for byte. smol-toml parses
// and validates; it does not say where things are, which is what this file is for.

/** A `key = value` line (or a key inside an inline table). Offsets index the whole text. */
export type TomlEntry = {
	/** Header path of the table the entry is in; `[]` for the root. */
	table: string[];
	/** The key, split at dots: `pyo3.version` is `['pyo3', 'version']`. */
	key: string[];
	keyStart: number;
	valueStart: number;
	valueEnd: number;
	/** Start of the line holding the key, and the end of the line the value ends on (after its newline). */
	lineStart: number;
	lineEnd: number;
};

export type TomlTable = {
	path: string[];
	isArray: boolean;
	headerStart: number;
	/** Just after the header line's newline. */
	bodyStart: number;
	/** Start of the next header line, or the end of the text. */
	bodyEnd: number;
};

export type TomlLayout = {tables: TomlTable[]; entries: TomlEntry[]};

const bareKeyChar = /[A-Za-z0-9_-]/;

/** Reads past whitespace (not newlines). */
function skipBlanks(text: string, index: number): number {
	while (index < text.length && (text[index] === ' ' || text[index] === '\t')) {
		index++;
	}

	return index;
}

function lineEndAfter(text: string, index: number): number {
	const newline = text.indexOf('\n', index);
	return newline === -1 ? text.length : newline + 1;
}

/** Reads a quoted string starting at `index`; returns its end offset and decoded value. */
function readString(text: string, index: number): {end: number; value: string} {
	const quote = text[index]!;
	const triple = text.startsWith(quote.repeat(3), index);
	if (triple) {
		let end = text.indexOf(quote.repeat(3), index + 3);
		if (end === -1) {
			return {end: text.length, value: text.slice(index + 3)};
		}

		// Up to two more quotes may close the string: `"""a""""` ends with the last three.
		while (text[end + 3] === quote) {
			end++;
		}

		return {end: end + 3, value: text.slice(index + 3, end)};
	}

	let position = index + 1;
	let value = '';
	while (position < text.length && text[position] !== quote && text[position] !== '\n') {
		if (quote === '"' && text[position] === '\\') {
			const next = text[position + 1];
			const simple: Record<string, string> = {n: '\n', t: '\t', '"': '"', '\\': '\\', r: '\r', b: '\b', f: '\f'};
			if (next !== undefined && next in simple) {
				value += simple[next];
				position += 2;
				continue;
			}

			value += text.slice(position, position + 2);
			position += 2;
			continue;
		}

		value += text[position];
		position++;
	}

	return {end: Math.min(position + 1, text.length), value};
}

/** Reads a (possibly dotted, possibly quoted) key; stops before `=` or `]`. */
function readKey(text: string, index: number): {end: number; parts: string[]} {
	const parts: string[] = [];
	let position = skipBlanks(text, index);
	for (;;) {
		if (text[position] === '"' || text[position] === "'") {
			const string = readString(text, position);
			parts.push(string.value);
			position = string.end;
		} else {
			const start = position;
			while (position < text.length && bareKeyChar.test(text[position]!)) {
				position++;
			}

			if (position === start) {
				return {end: position, parts};
			}

			parts.push(text.slice(start, position));
		}

		position = skipBlanks(text, position);
		if (text[position] !== '.') {
			return {end: position, parts};
		}

		position = skipBlanks(text, position + 1);
	}
}

/** Skips blanks, newlines and comments (inside arrays). */
function skipSpaceAndComments(text: string, index: number): number {
	for (;;) {
		while (index < text.length && /\s/.test(text[index]!)) {
			index++;
		}

		if (text[index] !== '#') {
			return index;
		}

		index = lineEndAfter(text, index);
	}
}

/** Returns the offset just past the value starting at `index`. */
export function skipValue(text: string, index: number): number {
	const first = text[index];
	if (first === '"' || first === "'") {
		return readString(text, index).end;
	}

	if (first === '[' || first === '{') {
		const close = first === '[' ? ']' : '}';
		let position = index + 1;
		for (;;) {
			position = skipSpaceAndComments(text, position);
			if (position >= text.length) {
				return text.length;
			}

			const char = text[position]!;
			if (char === close) {
				return position + 1;
			}

			if (char === ',') {
				position++;
				continue;
			}

			if (first === '{') {
				// `key = value` inside an inline table
				const key = readKey(text, position);
				position = skipBlanks(text, key.end);
				if (text[position] === '=') {
					position = skipBlanks(text, position + 1);
				}

				if (key.end === position && text[position] !== '"' && text[position] !== "'" && text[position] !== '[' && text[position] !== '{') {
					position++;
					continue;
				}
			}

			const end = skipValue(text, position);
			position = end > position ? end : position + 1;
		}
	}

	let position = index;
	while (position < text.length && !/[\s,\]}#]/.test(text[position]!)) {
		position++;
	}

	return position;
}

/** Finds every table header and every top-level `key = value` of a TOML text. */
export function scanToml(text: string): TomlLayout {
	const tables: TomlTable[] = [];
	const entries: TomlEntry[] = [];
	let current: string[] = [];
	let position = 0;
	while (position < text.length) {
		const lineStart = position;
		const start = skipBlanks(text, position);
		const char = text[start];
		if (char === '\n' || char === '\r' || char === '#' || char === undefined) {
			position = lineEndAfter(text, start);
			continue;
		}

		if (char === '[') {
			const isArray = text[start + 1] === '[';
			const key = readKey(text, start + (isArray ? 2 : 1));
			current = key.parts;
			const bodyStart = lineEndAfter(text, key.end);
			const previous = tables.at(-1);
			if (previous) {
				previous.bodyEnd = lineStart;
			}

			tables.push({path: key.parts, isArray, headerStart: lineStart, bodyStart, bodyEnd: text.length});
			position = bodyStart;
			continue;
		}

		const key = readKey(text, start);
		let afterKey = skipBlanks(text, key.end);
		if (key.parts.length === 0 || text[afterKey] !== '=') {
			position = lineEndAfter(text, start);
			continue;
		}

		afterKey = skipBlanks(text, afterKey + 1);
		const valueEnd = skipValue(text, afterKey);
		entries.push({table: current, key: key.parts, keyStart: start, valueStart: afterKey, valueEnd, lineStart, lineEnd: lineEndAfter(text, valueEnd)});
		position = lineEndAfter(text, valueEnd);
	}

	return {tables, entries};
}

/** Entries of an inline table value `{ a = 1, b = [..] }`, with offsets into the whole text. */
export function inlineTableEntries(text: string, valueStart: number, valueEnd: number, table: string[]): TomlEntry[] {
	const entries: TomlEntry[] = [];
	if (text[valueStart] !== '{') {
		return entries;
	}

	let position = valueStart + 1;
	while (position < valueEnd - 1) {
		position = skipSpaceAndComments(text, position);
		if (text[position] === ',') {
			position++;
			continue;
		}

		if (position >= valueEnd - 1) {
			break;
		}

		const key = readKey(text, position);
		let afterKey = skipBlanks(text, key.end);
		if (key.parts.length === 0 || text[afterKey] !== '=') {
			break;
		}

		afterKey = skipBlanks(text, afterKey + 1);
		const end = skipValue(text, afterKey);
		entries.push({table, key: key.parts, keyStart: position, valueStart: afterKey, valueEnd: end, lineStart: position, lineEnd: end});
		position = end;
	}

	return entries;
}

export type ArrayItem = {start: number; end: number; value: string | undefined};

/** The items of an array value, with offsets; `value` is set for string items. */
export function arrayItems(text: string, valueStart: number, valueEnd: number): ArrayItem[] {
	const items: ArrayItem[] = [];
	if (text[valueStart] !== '[') {
		return items;
	}

	let position = valueStart + 1;
	while (position < valueEnd - 1) {
		position = skipSpaceAndComments(text, position);
		if (text[position] === ',') {
			position++;
			continue;
		}

		if (position >= valueEnd - 1 || text[position] === ']') {
			break;
		}

		const end = skipValue(text, position);
		const isString = text[position] === '"' || text[position] === "'";
		items.push({start: position, end, value: isString ? readString(text, position).value : undefined});
		position = end > position ? end : position + 1;
	}

	return items;
}

/** A text replacement; several are applied from the end so offsets stay valid. */
export type Splice = {start: number; end: number; text: string};

export function applySplices(text: string, splices: Splice[]): string {
	let result = text;
	for (const splice of [...splices].sort((a, b) => b.start - a.start)) {
		result = result.slice(0, splice.start) + splice.text + result.slice(splice.end);
	}

	return result;
}

/** Splice that removes one item of an array, with its comma and the spacing that belongs to it. */
export function removeArrayItem(text: string, items: ArrayItem[], index: number): Splice {
	const item = items[index]!;
	const multiline = text.slice(items[0]!.start, items.at(-1)!.end).includes('\n') || /\n\s*$/.test(text.slice(0, item.start));
	if (multiline) {
		// Remove the whole line the item is on, when it is alone on it.
		const lineStart = text.lastIndexOf('\n', item.start - 1) + 1;
		let end = item.end;
		end = skipBlanks(text, end);
		if (text[end] === ',') {
			end++;
		}

		end = skipBlanks(text, end);
		if (text[end] === '#') {
			end = text.indexOf('\n', end);
		}

		if (/^\s*$/.test(text.slice(lineStart, item.start)) && (text[end] === '\n' || text[end] === '\r')) {
			return {start: lineStart, end: lineEndAfter(text, end), text: ''};
		}
	}

	if (index < items.length - 1) {
		// `"a", "b"` → `"b"`: take the item up to the next one.
		return {start: item.start, end: items[index + 1]!.start, text: ''};
	}

	if (index > 0) {
		// Last item: take the comma and spacing after the previous one.
		const previousEnd = items[index - 1]!.end;
		let end = skipBlanks(text, item.end);
		if (text[end] === ',') {
			end++;
		}

		return {start: previousEnd, end, text: ''};
	}

	// The only item: keep the brackets.
	let end = skipBlanks(text, item.end);
	if (text[end] === ',') {
		end++;
	}

	return {start: item.start, end, text: ''};
}

/** Splice that adds a string item at the end of an array, in the array's own style. */
export function appendArrayItem(text: string, valueStart: number, valueEnd: number, literal: string): Splice {
	const items = arrayItems(text, valueStart, valueEnd);
	const closing = valueEnd - 1;
	if (items.length === 0) {
		const inner = text.slice(valueStart + 1, closing);
		if (inner.includes('\n')) {
			const indent = /\n([ \t]*)\]$/.exec(text.slice(valueStart, valueEnd))?.[1] ?? '';
			return {start: valueStart + 1, end: closing, text: `\n${indent}    ${literal},\n${indent}`};
		}

		return {start: valueStart + 1, end: closing, text: literal};
	}

	const last = items.at(-1)!;
	const between = text.slice(last.end, closing);
	const multiline = /\n/.test(between);
	if (multiline) {
		const itemLineStart = text.lastIndexOf('\n', last.start - 1) + 1;
		const indent = text.slice(itemLineStart, last.start);
		const hasTrailingComma = /^\s*,/.test(between);
		if (hasTrailingComma) {
			const commaAt = last.end + between.indexOf(',');
			const lineEnd = lineEndAfter(text, commaAt);
			return {start: lineEnd, end: lineEnd, text: `${indent}${literal},\n`};
		}

		return {start: last.end, end: last.end, text: `,\n${indent}${literal}`};
	}

	const separator = items.length > 1 ? text.slice(items[0]!.end, items[1]!.start) : ', ';
	const trailing = /^\s*,/.test(between);
	if (trailing) {
		const commaAt = last.end + between.indexOf(',');
		return {start: commaAt + 1, end: commaAt + 1, text: ` ${literal},`};
	}

	return {start: last.end, end: last.end, text: `${separator}${literal}`};
}

/** A TOML basic string literal for a plain value. */
export function tomlString(value: string): string {
	return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Tables with this exact header path. */
export function findTables(layout: TomlLayout, path: string[]): TomlTable[] {
	return layout.tables.filter(table => samePath(table.path, path));
}

export function samePath(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((part, index) => part === b[index]);
}

/** The entry for `key` in table `table` (`[]` = root); dotted keys are compared in full. */
export function findEntry(layout: TomlLayout, table: string[], key: string[]): TomlEntry | undefined {
	return layout.entries.find(entry => samePath(entry.table, table) && samePath(entry.key, key));
}

/**
Where a new `key = value` line goes at the end of a table: after its last entry (so trailing
blank lines and comments before the next header stay where they are).
*/
export function endOfTableEntries(layout: TomlLayout, table: TomlTable): number {
	const inTable = layout.entries.filter(entry => entry.lineStart >= table.bodyStart && entry.lineStart < table.bodyEnd);
	const last = inTable.at(-1);
	return last ? last.lineEnd : table.bodyStart;
}

/** Text to append a new table at the end of a file: one blank line before it. */
export function appendTableText(text: string, block: string): Splice {
	let prefix = '';
	if (text.length > 0) {
		prefix = text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
	}

	return {start: text.length, end: text.length, text: `${prefix}${block}`};
}

/** The line ending a file uses, so inserted lines match it. */
export function lineEnding(text: string): string {
	return text.includes('\r\n') ? '\r\n' : '\n';
}
