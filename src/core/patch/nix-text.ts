// Just enough of Nix's lexical structure to edit expressions safely: which spans are code,
// strings or comments, where a bracket closes, where a builder call's attribute set is,
// and a syntax check (balanced brackets, closed strings and comments) for when
// `nix-instantiate --parse` is not available.

export type NixRegion = {kind: 'code' | 'string' | 'indented-string' | 'comment'; start: number; end: number};

/**
Splits a Nix text into code, string and comment regions. Interpolations `${…}` inside strings
are code regions of their own (nested to any depth).
*/
export function nixRegions(text: string): {regions: NixRegion[]; error?: {offset: number; message: string}} {
	const regions: NixRegion[] = [];
	// Each frame is a code context; `until` is the brace depth at which an interpolation ends.
	const stack: Array<{depth: number}> = [];
	let depth = 0;
	let codeStart = 0;
	let position = 0;
	const pushCode = (end: number) => {
		if (end > codeStart) {
			regions.push({kind: 'code', start: codeStart, end});
		}
	};

	while (position < text.length) {
		const char = text[position]!;
		if (char === '#') {
			pushCode(position);
			const end = text.indexOf('\n', position);
			const stop = end === -1 ? text.length : end;
			regions.push({kind: 'comment', start: position, end: stop});
			position = stop;
			codeStart = position;
			continue;
		}

		if (char === '/' && text[position + 1] === '*') {
			pushCode(position);
			const end = text.indexOf('*/', position + 2);
			if (end === -1) {
				return {regions, error: {offset: position, message: 'a /* comment is never closed'}};
			}

			regions.push({kind: 'comment', start: position, end: end + 2});
			position = end + 2;
			codeStart = position;
			continue;
		}

		if (char === '"' || (char === "'" && text[position + 1] === "'")) {
			pushCode(position);
			const indented = char === "'";
			const result = readNixString(text, position, indented);
			if ('error' in result) {
				return {regions, error: {offset: position, message: result.error}};
			}

			for (const part of result.parts) {
				if (part.kind === 'code') {
					const inner = nixRegions(text.slice(part.start, part.end));
					if (inner.error) {
						return {regions, error: {offset: part.start + inner.error.offset, message: inner.error.message}};
					}

					regions.push(...inner.regions.map(region => ({...region, start: region.start + part.start, end: region.end + part.start})));
				} else {
					regions.push({kind: indented ? 'indented-string' : 'string', start: part.start, end: part.end});
				}
			}

			position = result.end;
			codeStart = position;
			continue;
		}

		if (char === '{' || char === '[' || char === '(') {
			depth++;
			stack.push({depth});
		} else if (char === '}' || char === ']' || char === ')') {
			if (stack.length === 0) {
				return {regions, error: {offset: position, message: `"${char}" has no opening bracket`}};
			}

			stack.pop();
			depth--;
		}

		position++;
	}

	pushCode(text.length);
	return {regions};
}

type StringPart = {kind: 'text' | 'code'; start: number; end: number};

/** Reads a "…" or ''…'' string from its opening quote; interpolations are returned as code parts. */
function readNixString(text: string, start: number, indented: boolean): {end: number; parts: StringPart[]} | {error: string} {
	const parts: StringPart[] = [];
	let position = start + (indented ? 2 : 1);
	let textStart = start;
	for (;;) {
		if (position >= text.length) {
			return {error: indented ? "an '' string is never closed" : 'a " string is never closed'};
		}

		const char = text[position]!;
		if (!indented && char === '\\') {
			position += 2;
			continue;
		}

		if (indented && char === "'" && text[position + 1] === "'") {
			// Escapes: ''' (a literal ''), ''$ (a literal $), ''\x.
			const next = text[position + 2];
			if (next === "'" || next === '$') {
				position += 3;
				continue;
			}

			if (next === '\\') {
				position += 4;
				continue;
			}

			parts.push({kind: 'text', start: textStart, end: position + 2});
			return {end: position + 2, parts};
		}

		if (!indented && char === '"') {
			parts.push({kind: 'text', start: textStart, end: position + 1});
			return {end: position + 1, parts};
		}

		if (char === '$' && text[position + 1] === '{') {
			parts.push({kind: 'text', start: textStart, end: position + 2});
			const close = matchingBrace(text, position + 1);
			if (close === undefined) {
				return {error: 'a ${ interpolation is never closed'};
			}

			parts.push({kind: 'code', start: position + 2, end: close});
			position = close + 1;
			textStart = close;
			continue;
		}

		if (char === '$' && text[position + 1] === '$') {
			position += 2;
			continue;
		}

		position++;
	}
}

/**
Where a comment or string that starts at `position` ends: `position` itself when none starts
there, `undefined` when it never ends.
*/
function skipCommentOrString(text: string, position: number): number | undefined {
	const char = text[position];
	if (char === '#') {
		const end = text.indexOf('\n', position);
		return end === -1 ? text.length : end;
	}

	if (char === '/' && text[position + 1] === '*') {
		const end = text.indexOf('*/', position + 2);
		return end === -1 ? undefined : end + 2;
	}

	if (char === '"' || (char === "'" && text[position + 1] === "'")) {
		const result = readNixString(text, position, char === "'");
		return 'error' in result ? undefined : result.end;
	}

	return position;
}

/** Offset of the bracket that closes the one at `open` ({, [ or (), skipping strings and comments. */
export function matchingBrace(text: string, open: number): number | undefined {
	const pairs: Record<string, string> = {'{': '}', '[': ']', '(': ')'};
	const stack: string[] = [];
	let position = open;
	while (position < text.length) {
		const char = text[position]!;
		const skipped = skipCommentOrString(text, position);
		if (skipped === undefined) {
			return undefined;
		}

		if (skipped !== position) {
			position = skipped;
			continue;
		}

		if (char in pairs) {
			stack.push(pairs[char]!);
		} else if (char === '}' || char === ']' || char === ')') {
			if (stack.pop() !== char) {
				return undefined;
			}

			if (stack.length === 0) {
				return position;
			}
		}

		position++;
	}

	return undefined;
}

/** The outermost string literals of a Nix text, interpolations included. */
export function stringLiterals(text: string): Array<{start: number; end: number; indented: boolean}> {
	const literals: Array<{start: number; end: number; indented: boolean}> = [];
	let position = 0;
	while (position < text.length) {
		const char = text[position]!;
		if (char === '#') {
			const end = text.indexOf('\n', position);
			position = end === -1 ? text.length : end;
			continue;
		}

		if (char === '/' && text[position + 1] === '*') {
			const end = text.indexOf('*/', position + 2);
			position = end === -1 ? text.length : end + 2;
			continue;
		}

		if (char === '"' || (char === "'" && text[position + 1] === "'")) {
			const result = readNixString(text, position, char === "'");
			if ('error' in result) {
				return literals;
			}

			literals.push({start: position, end: result.end, indented: char === "'"});
			position = result.end;
			continue;
		}

		position++;
	}

	return literals;
}

/** The built-in syntax check: balanced brackets, closed strings and comments. */
export function checkNixSyntax(text: string): string | undefined {
	const {error} = nixRegions(text);
	if (error) {
		return `line ${lineOf(text, error.offset)}: ${error.message}`;
	}

	const stack: Array<{char: string; offset: number}> = [];
	const pairs: Record<string, string> = {'}': '{', ']': '[', ')': '('};
	for (const region of nixRegions(text).regions) {
		if (region.kind !== 'code') {
			continue;
		}

		for (let position = region.start; position < region.end; position++) {
			const char = text[position]!;
			if (char === '{' || char === '[' || char === '(') {
				stack.push({char, offset: position});
			} else if (char in pairs) {
				const top = stack.pop();
				if (!top || top.char !== pairs[char]) {
					return `line ${lineOf(text, position)}: "${char}" does not close ${top ? `the "${top.char}" of line ${lineOf(text, top.offset)}` : 'anything'}`;
				}
			}
		}
	}

	if (stack.length > 0) {
		const top = stack.at(-1)!;
		return `line ${lineOf(text, top.offset)}: "${top.char}" is never closed`;
	}

	return checkBindingSemicolons(text);
}

/**
Catches the most common edit slip: an attribute set binding with no `;` before the next
binding (`a = 1\n  b = 2;`). Looks only at lines that start a binding inside code.
*/
function checkBindingSemicolons(text: string): string | undefined {
	const code = codeOnly(text);
	const lines = code.split('\n');
	const binding = /^\s*[A-Za-z_][\w'-]*(?:\.[A-Za-z_][\w'-]*)*\s*=(?!=)/;
	for (let index = 0; index < lines.length - 1; index++) {
		const line = lines[index]!;
		if (!binding.test(line) || !binding.test(lines[index + 1]!)) {
			continue;
		}

		const value = line.replace(binding, '').trim();
		// A complete one-line value without its `;`, directly followed by the next binding.
		if (value.length > 0 && !value.endsWith(';') && !/[{[(=:,]$/.test(value) && !/^(?:let|with|if|then|else)\b/.test(value) && !value.endsWith('//') && !value.endsWith('++')) {
			return `line ${index + 1}: the binding has no ";" before the next one`;
		}
	}

	return undefined;
}

/** The text with strings and comments blanked out (same length, newlines kept). */
export function codeOnly(text: string): string {
	const {regions} = nixRegions(text);
	let result = '';
	let position = 0;
	for (const region of regions) {
		if (region.start > position) {
			result += text.slice(position, region.start);
		}

		const span = text.slice(region.start, region.end);
		result += region.kind === 'code' ? span : span.replaceAll(/[^\n]/g, region.kind === 'comment' ? ' ' : 'x');
		position = region.end;
	}

	return result + text.slice(position);
}

export function lineOf(text: string, offset: number): number {
	let line = 1;
	for (let index = 0; index < offset && index < text.length; index++) {
		if (text[index] === '\n') {
			line++;
		}
	}

	return line;
}

/** A call to a derivation or shell builder with a literal attribute set: `pkgs.mkShell { … }`. */
export type BuilderCall = {builder: string; open: number; close: number; callStart: number};

/** The builders the Nix edits know, and the shapes users write them in. */
export const knownBuilders = [
	'mkShell',
	'mkShellNoCC',
	'buildPythonPackage',
	'buildPythonApplication',
	'mkDerivation',
	'buildRustPackage',
	'buildPackage',
	'buildDepsOnly',
	'buildMaturinPackage',
] as const;

/**
Finds every call of the given builders whose argument is (or ends in) a literal attribute set:
`mkShell {`, `mkShell rec {`, `stdenv.mkDerivation (finalAttrs: {`, `craneLib.buildPackage (commonArgs // {`.
*/
export function findBuilderCalls(text: string, builders: readonly string[]): BuilderCall[] {
	const code = codeOnly(text);
	const calls: BuilderCall[] = [];
	const pattern = new RegExp(`(?<![\\w'-])(?:[A-Za-z_][\\w'-]*\\.)*(${builders.join('|')})\\b\\s*(?:rec\\s*)?(?:\\(\\s*(?:[A-Za-z_][\\w'-]*\\s*:\\s*)?(?:[A-Za-z_][\\w.'-]*\\s*\\/\\/\\s*)*)?\\{`, 'g');
	for (const match of code.matchAll(pattern)) {
		// devenv's and numtide devshell's mkShell take modules, not mkShell's attributes.
		if (/(?:^|\.)(?:devenv|devshell)\./.test(match[0])) {
			continue;
		}

		const open = match.index + match[0].length - 1;
		const close = matchingBrace(text, open);
		if (close !== undefined) {
			calls.push({builder: match[1]!, open, close, callStart: match.index});
		}
	}

	return calls;
}

/** `name = { … };` bindings whose value is a literal attribute set (e.g. crane's `commonArgs`). */
export function findAttrsetBinding(text: string, name: string): {open: number; close: number} | undefined {
	const code = codeOnly(text);
	const match = new RegExp(`(?<![\\w'.-])${escapeRegExp(name)}\\s*=\\s*(?:rec\\s*)?\\{`).exec(code);
	if (!match) {
		return undefined;
	}

	const open = match.index + match[0].length - 1;
	const close = matchingBrace(text, open);
	return close === undefined ? undefined : {open, close};
}

/** The `X` names in `builder (X // {`, which share their attributes with the call. */
export function mergedNames(text: string, call: BuilderCall): string[] {
	const head = text.slice(call.callStart, call.open);
	return [...head.matchAll(/([A-Za-z_][\w'-]*)\s*\/\//g)].map(match => match[1]!);
}

export function escapeRegExp(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The indentation of the attributes directly inside `{ … }` at `open`. */
export function bodyIndent(text: string, open: number, close: number): string | undefined {
	const body = text.slice(open + 1, close);
	const lines = body.split('\n').slice(1);
	for (const line of lines) {
		if (line.trim().length > 0 && !line.trim().startsWith('}')) {
			return /^[ \t]*/.exec(line)![0];
		}
	}

	// An empty set: one step deeper than the line that opens it.
	const openLineStart = text.lastIndexOf('\n', open) + 1;
	const base = /^[ \t]*/.exec(text.slice(openLineStart))![0];
	return base.includes('\t') ? `${base}\t` : `${base}  `;
}

/** Where a new attribute line goes: the start of the line holding the closing `}`, if it holds nothing else before it. */
export function insertionBeforeClose(text: string, close: number): number | undefined {
	const lineStart = text.lastIndexOf('\n', close - 1) + 1;
	return /^[ \t]*$/.test(text.slice(lineStart, close)) ? lineStart : undefined;
}

/** Is there a binding `name = ` (or `env.name = `, or `name` inside an `env = { }`) between `open` and `close`? */
export function findBinding(text: string, open: number, close: number, name: string): {start: number; valueStart: number; valueEnd: number} | undefined {
	const code = codeOnly(text);
	const pattern = new RegExp(`(?<=[\\s;{])(?:env\\.)?${escapeRegExp(name)}\\s*=(?!=)\\s*`, 'g');
	pattern.lastIndex = open + 1;
	for (let match = pattern.exec(code); match && match.index < close; match = pattern.exec(code)) {
		const valueStart = match.index + match[0].length;
		const valueEnd = endOfBindingValue(text, valueStart);
		if (valueEnd !== undefined) {
			return {start: match.index, valueStart, valueEnd};
		}
	}

	return undefined;
}

/** Offset of the `;` that ends a binding's value starting at `start`. */
export function endOfBindingValue(text: string, start: number): number | undefined {
	let position = start;
	while (position < text.length) {
		const char = text[position]!;
		if (char === ';') {
			return position;
		}

		if (char === '{' || char === '[' || char === '(') {
			const close = matchingBrace(text, position);
			if (close === undefined) {
				return undefined;
			}

			position = close + 1;
			continue;
		}

		const skipped = skipCommentOrString(text, position);
		if (skipped === undefined) {
			return undefined;
		}

		if (skipped !== position) {
			position = skipped;
			continue;
		}

		if (char === '}' || char === ']' || char === ')') {
			return undefined;
		}

		position++;
	}

	return undefined;
}

/** `let`-style bindings anywhere in the file: name → value text (one-line values only). */
export function simpleBindings(text: string): Map<string, string> {
	const code = codeOnly(text);
	const bindings = new Map<string, string>();
	for (const match of code.matchAll(/(?<=^|[\s;{])([A-Za-z_][\w'-]*)\s*=(?!=)\s*([^;{}\n]+(?:\{[^;{}\n]*\}[^;{}\n]*)*);/gm)) {
		const name = match[1]!;
		if (!bindings.has(name)) {
			bindings.set(name, text.slice(match.index + match[0].length - match[2]!.length - 1, match.index + match[0].length - 1).trim());
		}
	}

	return bindings;
}

/**
The Python expressions the file has in scope: `python` (the interpreter) and `pythonEnv`
(a `withPackages` environment), found from its bindings.
*/
export function pythonExpressions(text: string): {python?: string; pythonEnv?: string} {
	const bindings = simpleBindings(text);
	let python: string | undefined;
	let pythonEnv: string | undefined;
	for (const [name, value] of bindings) {
		if (pythonEnv === undefined && /\.withPackages\b/.test(value)) {
			pythonEnv = name;
		}
	}

	const interpreterValue = /^(?:[A-Za-z_][\w'-]*\.)*(?:python3\d*|python|python3\d*Full|pypy3\d*)$/;
	for (const preferred of ['python', 'py', 'pythonInterpreter']) {
		const value = bindings.get(preferred);
		if (value !== undefined && !/withPackages/.test(value)) {
			python = preferred;
			break;
		}
	}

	if (python === undefined) {
		for (const [name, value] of bindings) {
			if (interpreterValue.test(value) && /python|pypy/i.test(value)) {
				python = name;
				break;
			}
		}
	}

	if (python === undefined) {
		// A function argument: `{ lib, python3, ... }:`.
		const formals = /\{([^{}]*)\}\s*:/.exec(codeOnly(text));
		const argument = formals?.[1]?.split(',').map(part => part.trim().split(/\s|\?/)[0]).find(name => name !== undefined && /^python3?\d*$/.test(name));
		if (argument) {
			python = argument;
		}
	}

	if (python === undefined) {
		// No binding: a literal `pkgs.python312` used somewhere in code.
		const literal = /(?<![\w'.-])pkgs\.(?:python3\d*|pypy3\d*)(?![\w'-])(?!\.pkgs)(?!Packages)/.exec(codeOnly(text));
		if (literal) {
			python = literal[0];
		}
	}

	return {python, pythonEnv};
}
