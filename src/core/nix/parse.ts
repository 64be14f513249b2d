// A parser for the Nix language: enough of its grammar to read every expression of a flake,
// default.nix or shell.nix (let, rec sets, inherit, functions, with, strings and their
// interpolations, operators) into a tree that src/core/nix/evaluate.ts can evaluate in part.
// Offsets in the tree are those of the source, so patches can splice by them.

/** A string's literal text, or an interpolation `${…}` with the span of its `${` and `}`. */
export type StringPart = string | {interpolation: NixNode; start: number; end: number};

export type Binding =
	| {kind: 'attr'; path: Array<string | NixNode>; value: NixNode; start: number; end: number}
	| {kind: 'inherit'; from?: NixNode; names: string[]; start: number; end: number};

export type NixNode = {start: number; end: number} & (
	| {type: 'string'; parts: StringPart[]; indented: boolean}
	| {type: 'identifier'; name: string}
	| {type: 'number'; value: number}
	| {type: 'path'; value: string}
	| {type: 'uri'; value: string}
	| {type: 'select'; target: NixNode; path: Array<string | NixNode>; fallback?: NixNode}
	| {type: 'has'; target: NixNode; path: Array<string | NixNode>}
	| {type: 'apply'; fn: NixNode; argument: NixNode}
	| {type: 'attrs'; recursive: boolean; bindings: Binding[]}
	| {type: 'let'; bindings: Binding[]; body: NixNode}
	| {type: 'list'; items: NixNode[]}
	| {type: 'lambda'; parameters: string[]; body: NixNode}
	| {type: 'binary'; operator: string; left: NixNode; right: NixNode}
	| {type: 'unary'; operator: string; operand: NixNode}
	| {type: 'if'; condition: NixNode; then: NixNode; else: NixNode}
	| {type: 'with'; scope: NixNode; body: NixNode}
	| {type: 'assert'; condition: NixNode; body: NixNode}
);

type Token =
	| {kind: 'id' | 'number' | 'path' | 'uri' | 'op'; text: string; start: number; end: number}
	| {kind: 'string'; parts: StringPart[]; indented: boolean; start: number; end: number};

export class NixSyntaxError extends Error {
	constructor(
		message: string,
		readonly offset: number,
	) {
		super(message);
	}
}

const keywords = new Set(['let', 'in', 'rec', 'with', 'inherit', 'if', 'then', 'else', 'assert', 'or']);
const operators = ['...', '${', '==', '!=', '<=', '>=', '&&', '||', '->', '//', '++', '+', '-', '*', '/', '<', '>', '!', '?', '@', ':', ';', '.', '=', ',', '{', '}', '[', ']', '(', ')'];
const pathPattern = /(?:~|[a-zA-Z0-9._+-]*)(?:\/[a-zA-Z0-9._+-]+)+\/?/y;
const searchPathPattern = /<[a-zA-Z0-9._+-]+(?:\/[a-zA-Z0-9._+-]+)*>/y;
const uriPattern = /[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+/y;
const identifierPattern = /[a-zA-Z_][a-zA-Z0-9_'-]*/y;
const numberPattern = /\d+(?:\.\d*)?(?:[eE][+-]?\d+)?/y;

function stickyMatch(pattern: RegExp, text: string, offset: number): string | undefined {
	pattern.lastIndex = offset;
	return pattern.exec(text)?.[0];
}

/** Reads a string token from its opening quote; interpolations are parsed as expressions. */
function readString(text: string, start: number, indented: boolean): Token {
	const parts: StringPart[] = [];
	let literal = '';
	let position = start + (indented ? 2 : 1);
	for (;;) {
		if (position >= text.length) {
			throw new NixSyntaxError(indented ? "an '' string is never closed" : 'a " string is never closed', start);
		}

		const char = text[position]!;
		if (!indented && char === '\\') {
			const next = text[position + 1] ?? '';
			literal += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
			position += 2;
			continue;
		}

		if (indented && char === "'" && text[position + 1] === "'") {
			const next = text[position + 2];
			if (next === "'") {
				literal += "''";
				position += 3;
				continue;
			}

			if (next === '$') {
				literal += '$';
				position += 3;
				continue;
			}

			if (next === '\\') {
				const escaped = text[position + 3] ?? '';
				literal += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped === 'r' ? '\r' : escaped;
				position += 4;
				continue;
			}

			break;
		}

		if (!indented && char === '"') {
			break;
		}

		if (char === '$' && text[position + 1] === '{') {
			if (literal) {
				parts.push(literal);
				literal = '';
			}

			const parser = new Parser(text, position + 2);
			const expression = parser.expression();
			const close = parser.expect('}');
			parts.push({interpolation: expression, start: position, end: close.end});
			position = close.end;
			continue;
		}

		if (char === '$' && text[position + 1] === '$') {
			literal += '$$';
			position += 2;
			continue;
		}

		literal += char;
		position++;
	}

	if (literal) {
		parts.push(literal);
	}

	return {kind: 'string', parts, indented, start, end: position + (indented ? 2 : 1)};
}

class Parser {
	private position: number;
	private peeked: Token | undefined;
	/** Where the last consumed token ends (the position may already be past a peeked one). */
	private consumedEnd = 0;

	constructor(
		private readonly text: string,
		start = 0,
	) {
		this.position = start;
	}

	private skipSpaceAndComments(): void {
		const {text} = this;
		for (;;) {
			const char = text[this.position];
			if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
				this.position++;
			} else if (char === '#') {
				const end = text.indexOf('\n', this.position);
				this.position = end === -1 ? text.length : end;
			} else if (char === '/' && text[this.position + 1] === '*') {
				const end = text.indexOf('*/', this.position + 2);
				if (end === -1) {
					throw new NixSyntaxError('a /* comment is never closed', this.position);
				}

				this.position = end + 2;
			} else {
				return;
			}
		}
	}

	private lex(): Token | undefined {
		this.skipSpaceAndComments();
		const {text} = this;
		const start = this.position;
		if (start >= text.length) {
			return undefined;
		}

		const char = text[start]!;
		if (char === '"' || (char === "'" && text[start + 1] === "'")) {
			return readString(text, start, char === "'");
		}

		for (const [kind, pattern] of [
			['path', pathPattern],
			['path', searchPathPattern],
			['uri', uriPattern],
			['id', identifierPattern],
			['number', numberPattern],
		] as const) {
			const matched = stickyMatch(pattern, text, start);
			if (matched) {
				return {kind, text: matched, start, end: start + matched.length};
			}
		}

		const operator = operators.find(candidate => text.startsWith(candidate, start));
		if (!operator) {
			throw new NixSyntaxError(`unexpected character "${char}"`, start);
		}

		return {kind: 'op', text: operator, start, end: start + operator.length};
	}

	peek(): Token | undefined {
		if (!this.peeked) {
			this.peeked = this.lex();
			if (this.peeked) {
				this.position = this.peeked.end;
			}
		}

		return this.peeked;
	}

	next(): Token {
		const token = this.peek();
		if (!token) {
			throw new NixSyntaxError('unexpected end of file', this.text.length);
		}

		this.peeked = undefined;
		this.consumedEnd = token.end;
		return token;
	}

	private isOp(text: string, token = this.peek()): boolean {
		return token?.kind === 'op' && token.text === text;
	}

	private isKeyword(word: string, token = this.peek()): boolean {
		return token?.kind === 'id' && token.text === word;
	}

	expect(text: string): Token {
		const token = this.next();
		if ((token.kind === 'op' || token.kind === 'id') && token.text === text) {
			return token;
		}

		throw new NixSyntaxError(`expected "${text}"`, token.start);
	}

	/** Looks ahead without consuming: restores the position afterwards. */
	private lookahead<T>(read: () => T): T {
		const saved = {position: this.position, peeked: this.peeked, consumedEnd: this.consumedEnd};
		try {
			return read();
		} finally {
			this.position = saved.position;
			this.peeked = saved.peeked;
			this.consumedEnd = saved.consumedEnd;
		}
	}

	atEnd(): boolean {
		return this.peek() === undefined;
	}

	expression(): NixNode {
		const token = this.peek();
		if (!token) {
			throw new NixSyntaxError('an expression was expected', this.text.length);
		}

		if (this.isKeyword('let')) {
			this.next();
			if (this.isOp('{')) {
				// The old `let { body = …; }` form.
				const set = this.attrs(token.start, true);
				return {type: 'let', bindings: set.bindings, body: {type: 'identifier', name: 'body', start: set.start, end: set.end}, start: token.start, end: set.end};
			}

			const bindings = this.bindings('in');
			this.expect('in');
			const body = this.expression();
			return {type: 'let', bindings, body, start: token.start, end: body.end};
		}

		if (this.isKeyword('with') || this.isKeyword('assert')) {
			const isWith = this.isKeyword('with');
			this.next();
			const first = this.expression();
			this.expect(';');
			const body = this.expression();
			return isWith
				? {type: 'with', scope: first, body, start: token.start, end: body.end}
				: {type: 'assert', condition: first, body, start: token.start, end: body.end};
		}

		if (this.isKeyword('if')) {
			this.next();
			const condition = this.expression();
			this.expect('then');
			const then = this.expression();
			this.expect('else');
			const otherwise = this.expression();
			return {type: 'if', condition, then, else: otherwise, start: token.start, end: otherwise.end};
		}

		if (token.kind === 'id' && !keywords.has(token.text)) {
			const after = this.lookahead(() => {
				this.next();
				return this.peek();
			});
			if (this.isOp(':', after)) {
				this.next();
				this.next();
				const body = this.expression();
				return {type: 'lambda', parameters: [token.text], body, start: token.start, end: body.end};
			}

			if (this.isOp('@', after)) {
				this.next();
				this.next();
				const parameters = [token.text, ...this.formals()];
				this.expect(':');
				const body = this.expression();
				return {type: 'lambda', parameters, body, start: token.start, end: body.end};
			}
		}

		if (this.isOp('{') && this.startsFormals()) {
			const parameters = this.formals();
			if (this.isOp('@')) {
				this.next();
				const name = this.next();
				if (name.kind === 'id') {
					parameters.push(name.text);
				}
			}

			this.expect(':');
			const body = this.expression();
			return {type: 'lambda', parameters, body, start: token.start, end: body.end};
		}

		return this.binary(0);
	}

	// `{ a, b ? 1, ... }:` as opposed to an attribute set.
	private startsFormals(): boolean {
		return this.lookahead(() => {
			this.next();
			const first = this.next();
			if (first.kind === 'op' && first.text === '}') {
				const after = this.peek();
				return this.isOp(':', after) || this.isOp('@', after);
			}

			if (first.kind === 'op' && first.text === '...') {
				return true;
			}

			const second = this.peek();
			return first.kind === 'id' && (this.isOp(',', second) || this.isOp('?', second) || this.isOp('}', second));
		});
	}

	private formals(): string[] {
		this.expect('{');
		const names: string[] = [];
		while (!this.isOp('}')) {
			const token = this.next();
			if (token.kind === 'id') {
				names.push(token.text);
				if (this.isOp('?')) {
					this.next();
					this.expression();
				}
			} else if (!(token.kind === 'op' && token.text === '...')) {
				throw new NixSyntaxError('a function argument name was expected', token.start);
			}

			if (this.isOp(',')) {
				this.next();
			} else if (!this.isOp('}')) {
				throw new NixSyntaxError('expected "," or "}"', this.peek()?.start ?? this.text.length);
			}
		}

		this.expect('}');
		return names;
	}

	// Operators from loosest to tightest; `right` marks right-associative ones.
	private static readonly levels: Array<{operators: string[]; right?: boolean}> = [
		{operators: ['->'], right: true},
		{operators: ['||']},
		{operators: ['&&']},
		{operators: ['==', '!=']},
		{operators: ['<', '>', '<=', '>=']},
		{operators: ['//'], right: true},
		{operators: ['+', '-']},
		{operators: ['*', '/']},
		{operators: ['++'], right: true},
	];

	private binary(level: number): NixNode {
		if (level === 6) {
			// `!` binds looser than `+` and tighter than `//`.
			if (this.isOp('!')) {
				const token = this.next();
				const operand = this.binary(6);
				return {type: 'unary', operator: '!', operand, start: token.start, end: operand.end};
			}
		}

		if (level >= Parser.levels.length) {
			return this.hasAttribute();
		}

		const {operators, right} = Parser.levels[level]!;
		let left = this.binary(level + 1);
		while (this.peek()?.kind === 'op' && operators.includes((this.peek() as {text: string}).text)) {
			const operator = this.next() as {text: string};
			const rightSide = right ? this.binary(level) : this.binary(level + 1);
			left = {type: 'binary', operator: operator.text, left, right: rightSide, start: left.start, end: rightSide.end};
			if (right) {
				break;
			}
		}

		return left;
	}

	private hasAttribute(): NixNode {
		const target = this.negation();
		if (this.isOp('?')) {
			this.next();
			const path = this.attributePath();
			return {type: 'has', target, path, start: target.start, end: this.consumedEnd};
		}

		return target;
	}

	private negation(): NixNode {
		if (this.isOp('-')) {
			const token = this.next();
			const operand = this.negation();
			return {type: 'unary', operator: '-', operand, start: token.start, end: operand.end};
		}

		return this.application();
	}

	private application(): NixNode {
		let fn = this.selection();
		while (this.startsOperand()) {
			const argument = this.selection();
			fn = {type: 'apply', fn, argument, start: fn.start, end: argument.end};
		}

		return fn;
	}

	private startsOperand(): boolean {
		const token = this.peek();
		if (!token) {
			return false;
		}

		if (token.kind === 'op') {
			return ['(', '[', '{'].includes(token.text);
		}

		if (token.kind === 'id') {
			return !keywords.has(token.text) || token.text === 'rec' || token.text === 'let';
		}

		return true;
	}

	private selection(): NixNode {
		const target = this.primary();
		if (!this.isOp('.')) {
			return target;
		}

		this.next();
		const path = this.attributePath();
		let end = this.consumedEnd;
		let fallback: NixNode | undefined;
		if (this.isKeyword('or')) {
			this.next();
			fallback = this.selection();
			end = fallback.end;
		}

		return {type: 'select', target, path, ...(fallback ? {fallback} : {}), start: target.start, end};
	}

	private attributePath(): Array<string | NixNode> {
		const path: Array<string | NixNode> = [this.attributeName()];
		while (this.isOp('.')) {
			this.next();
			path.push(this.attributeName());
		}

		return path;
	}

	private attributeName(): string | NixNode {
		const token = this.next();
		if (token.kind === 'id') {
			return token.text;
		}

		if (token.kind === 'string') {
			return token.parts.length === 1 && typeof token.parts[0] === 'string' ? token.parts[0] : {type: 'string', parts: token.parts, indented: false, start: token.start, end: token.end};
		}

		if (token.kind === 'op' && token.text === '${') {
			const expression = this.expression();
			this.expect('}');
			return expression;
		}

		throw new NixSyntaxError('an attribute name was expected', token.start);
	}

	private primary(): NixNode {
		const token = this.next();
		switch (token.kind) {
			case 'string': {
				return {type: 'string', parts: token.parts, indented: token.indented, start: token.start, end: token.end};
			}

			case 'number': {
				return {type: 'number', value: Number(token.text), start: token.start, end: token.end};
			}

			case 'path': {
				return {type: 'path', value: token.text, start: token.start, end: token.end};
			}

			case 'uri': {
				return {type: 'uri', value: token.text, start: token.start, end: token.end};
			}

			case 'id': {
				if (token.text === 'rec') {
					return this.attrs(token.start, true);
				}

				if (token.text === 'let') {
					// `let { … }` as an operand.
					this.peeked = token;
					this.position = token.end;
					return this.expression();
				}

				if (keywords.has(token.text)) {
					throw new NixSyntaxError(`unexpected "${token.text}"`, token.start);
				}

				return {type: 'identifier', name: token.text, start: token.start, end: token.end};
			}

			case 'op': {
				break;
			}
		}

		if (token.text === '(') {
			const inner = this.expression();
			const close = this.expect(')');
			return {...inner, start: token.start, end: close.end};
		}

		if (token.text === '[') {
			const items: NixNode[] = [];
			while (!this.isOp(']')) {
				items.push(this.selection());
			}

			const close = this.expect(']');
			return {type: 'list', items, start: token.start, end: close.end};
		}

		if (token.text === '{') {
			this.peeked = token;
			this.position = token.end;
			return this.attrs(token.start, false);
		}

		throw new NixSyntaxError(`unexpected "${token.text}"`, token.start);
	}

	private attrs(start: number, recursive: boolean): NixNode & {type: 'attrs'} {
		this.expect('{');
		const bindings = this.bindings('}');
		const close = this.expect('}');
		return {type: 'attrs', recursive, bindings, start, end: close.end};
	}

	private bindings(terminator: string): Binding[] {
		const bindings: Binding[] = [];
		while (!(this.isOp(terminator) || this.isKeyword(terminator))) {
			const first = this.peek();
			if (!first) {
				throw new NixSyntaxError(`expected "${terminator}"`, this.text.length);
			}

			if (this.isKeyword('inherit')) {
				this.next();
				let from: NixNode | undefined;
				if (this.isOp('(')) {
					const open = this.next();
					from = this.expression();
					const close = this.expect(')');
					from = {...from, start: open.start, end: close.end};
				}

				const names: string[] = [];
				while (!this.isOp(';')) {
					const name = this.attributeName();
					if (typeof name === 'string') {
						names.push(name);
					}
				}

				const semicolon = this.expect(';');
				bindings.push({kind: 'inherit', ...(from ? {from} : {}), names, start: first.start, end: semicolon.end});
				continue;
			}

			const path = this.attributePath();
			this.expect('=');
			const value = this.expression();
			const semicolon = this.expect(';');
			bindings.push({kind: 'attr', path, value, start: first.start, end: semicolon.end});
		}

		return bindings;
	}
}

/** Parses a whole Nix file. Throws NixSyntaxError with the offset of the first problem. */
export function parseNix(text: string): NixNode {
	const parser = new Parser(text);
	const expression = parser.expression();
	if (!parser.atEnd()) {
		throw new NixSyntaxError('unexpected text after the expression', parser.peek()!.start);
	}

	return expression;
}
