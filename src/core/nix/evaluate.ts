import {parse as parseToml} from 'smol-toml';
import {parseNix, type Binding, type NixNode} from './parse.js';

// Evaluates the parts of a Nix file that are knowable from the file alone: strings and the
// `let`/`rec`/`inherit` bindings they interpolate, the version of a `pythonXY` attribute,
// `builtins.replaceStrings` and a few other string functions, and Cargo.toml read through
// `builtins.fromTOML`/crane's `crateNameFromCargoToml`. Whatever depends on nixpkgs or on a
// function argument stays unknown, and an interpolation of it is kept as written.

export type NixValue =
	| {kind: 'string'; text: string; complete: boolean}
	| {kind: 'attrs'; attributes: Map<string, Thunk>}
	| {kind: 'list'; items: Thunk[]}
	| {kind: 'python'; attribute: string}
	| {kind: 'number'; value: number}
	| {kind: 'path'; value: string}
	| {kind: 'unknown'};

type Thunk = () => NixValue;

type Scope = {names: Map<string, Thunk>; parent?: Scope; withScope?: boolean};

export type EvaluateOptions = {
	/** The text of a file next to the Nix file (`./Cargo.toml`), for builtins.readFile and crane. */
	readFile?: (relativePath: string) => string | undefined;
};

/** A string literal of the file with its interpolations evaluated where they can be. */
export type ResolvedString = {
	start: number;
	end: number;
	indented: boolean;
	/** The binding the string is (part of) the value of, e.g. installPhase. */
	attribute?: string;
	/** The string's value; an interpolation that stays unknown is kept as `${…}` source text. */
	text: string;
	complete: boolean;
	/** Each interpolation's source span and, when known, its string value. */
	interpolations: Array<{start: number; end: number; value?: string}>;
};

const unknown: NixValue = {kind: 'unknown'};
const pythonAttribute = /^(?:python|pypy)3\d*$/;
const maxDepth = 200;

function memo(compute: () => NixValue): Thunk {
	let state: 'new' | 'running' | 'done' = 'new';
	let value: NixValue = unknown;
	return () => {
		if (state === 'done') {
			return value;
		}

		if (state === 'running') {
			return unknown;
		}

		state = 'running';
		value = compute();
		state = 'done';
		return value;
	};
}

function fromJson(value: unknown): NixValue {
	if (typeof value === 'string') {
		return {kind: 'string', text: value, complete: true};
	}

	if (typeof value === 'number') {
		return {kind: 'number', value};
	}

	if (Array.isArray(value)) {
		return {kind: 'list', items: value.map(item => () => fromJson(item))};
	}

	if (value !== null && typeof value === 'object') {
		return {kind: 'attrs', attributes: new Map(Object.entries(value).map(([key, item]) => [key, () => fromJson(item)]))};
	}

	return unknown;
}

function asString(value: NixValue): string | undefined {
	if (value.kind === 'string' && value.complete) {
		return value.text;
	}

	if (value.kind === 'number') {
		return String(value.value);
	}

	return undefined;
}

/** Python version facts of a `python311`-style attribute, as nixpkgs defines them. */
function pythonAttributeValue(attribute: string, name: string): NixValue {
	const version = /^(?:python|pypy)(\d)(\d+)$/.exec(attribute);
	if (!version) {
		return unknown;
	}

	const [major, minor] = [version[1]!, version[2]!];
	const text = (value: string): NixValue => ({kind: 'string', text: value, complete: true});
	switch (name) {
		case 'pythonVersion': {
			return text(`${major}.${minor}`);
		}

		case 'libPrefix': {
			return text(`${attribute.startsWith('pypy') ? 'pypy' : 'python'}${major}.${minor}`);
		}

		case 'sitePackages': {
			return text(`lib/python${major}.${minor}/site-packages`);
		}

		case 'sourceVersion': {
			return {kind: 'attrs', attributes: new Map([['major', () => text(major)], ['minor', () => text(minor)]])};
		}

		default: {
			return unknown;
		}
	}
}

function select(value: NixValue, name: string): NixValue {
	if (value.kind === 'attrs') {
		return value.attributes.get(name)?.() ?? unknown;
	}

	if (value.kind === 'python') {
		return pythonAttributeValue(value.attribute, name);
	}

	// `pkgs.python311`, `inputs.nixpkgs.legacyPackages.${system}.python312`: nixpkgs' Python attributes.
	if (value.kind === 'unknown' && pythonAttribute.test(name)) {
		return {kind: 'python', attribute: name};
	}

	return unknown;
}

/** The dotted name a function is called by (`builtins.replaceStrings`, `lib.versions.majorMinor`). */
function calleeName(node: NixNode): string | undefined {
	if (node.type === 'identifier') {
		return node.name;
	}

	if (node.type === 'select' && node.path.every(part => typeof part === 'string')) {
		const base = calleeName(node.target);
		return base === undefined ? undefined : [base, ...(node.path as string[])].join('.');
	}

	return undefined;
}

class Evaluator {
	private depth = 0;
	readonly strings: ResolvedString[] = [];

	constructor(
		private readonly source: string,
		private readonly options: EvaluateOptions,
	) {}

	private lookup(scope: Scope | undefined, name: string): NixValue {
		let withSeen = false;
		for (let current = scope; current; current = current.parent) {
			const thunk = current.names.get(name);
			if (thunk) {
				return thunk();
			}

			withSeen ||= Boolean(current.withScope);
		}

		if (name === 'builtins') {
			return unknown;
		}

		// Under `with pkgs;`, a bare `python311` is nixpkgs' attribute.
		return pythonAttribute.test(name) && (withSeen || /\d/.test(name)) ? {kind: 'python', attribute: name} : unknown;
	}

	evaluate(node: NixNode, scope: Scope | undefined): NixValue {
		if (this.depth > maxDepth) {
			return unknown;
		}

		this.depth++;
		try {
			return this.evaluateNode(node, scope);
		} finally {
			this.depth--;
		}
	}

	private evaluateNode(node: NixNode, scope: Scope | undefined): NixValue {
		switch (node.type) {
			case 'string': {
				return this.stringValue(node, scope).value;
			}

			case 'number': {
				return {kind: 'number', value: node.value};
			}

			case 'path': {
				return {kind: 'path', value: node.value};
			}

			case 'identifier': {
				return this.lookup(scope, node.name);
			}

			case 'select': {
				let value = this.evaluate(node.target, scope);
				for (const part of node.path) {
					const name = typeof part === 'string' ? part : asString(this.evaluate(part, scope));
					value = name === undefined ? unknown : select(value, name);
				}

				return value.kind === 'unknown' && node.fallback ? this.evaluate(node.fallback, scope) : value;
			}

			case 'attrs': {
				return {kind: 'attrs', attributes: this.attributes(node.bindings, scope, node.recursive).names};
			}

			case 'let': {
				return this.evaluate(node.body, this.attributes(node.bindings, scope, true));
			}

			case 'list': {
				return {kind: 'list', items: node.items.map(item => memo(() => this.evaluate(item, scope)))};
			}

			case 'binary': {
				return this.binary(node.operator, node.left, node.right, scope);
			}

			case 'apply': {
				return this.apply(node, scope);
			}

			case 'with': {
				return this.evaluate(node.body, {names: new Map(), parent: scope, withScope: true});
			}

			case 'assert': {
				return this.evaluate(node.body, scope);
			}

			default: {
				return unknown;
			}
		}
	}

	private binary(operator: string, left: NixNode, right: NixNode, scope: Scope | undefined): NixValue {
		const a = this.evaluate(left, scope);
		const b = this.evaluate(right, scope);
		if (operator === '//' && a.kind === 'attrs' && b.kind === 'attrs') {
			return {kind: 'attrs', attributes: new Map([...a.attributes, ...b.attributes])};
		}

		if (operator === '+' && a.kind === 'string' && b.kind === 'string') {
			return {kind: 'string', text: a.text + b.text, complete: a.complete && b.complete};
		}

		if (operator === '++' && a.kind === 'list' && b.kind === 'list') {
			return {kind: 'list', items: [...a.items, ...b.items]};
		}

		return unknown;
	}

	// Calls of the few functions whose result is knowable here; any other call is unknown.
	private apply(node: NixNode & {type: 'apply'}, scope: Scope | undefined): NixValue {
		const argumentNodes: NixNode[] = [];
		let callee: NixNode = node;
		while (callee.type === 'apply') {
			argumentNodes.unshift(callee.argument);
			callee = callee.fn;
		}

		const name = calleeName(callee)?.split('.').at(-1);
		const argument = (index: number) => (argumentNodes[index] ? this.evaluate(argumentNodes[index], scope) : unknown);
		const stringArgument = (index: number) => asString(argument(index));
		const strings = (value: NixValue) => (value.kind === 'list' ? value.items.map(item => asString(item())) : undefined);
		switch (name) {
			case 'replaceStrings': {
				const from = strings(argument(0));
				const to = strings(argument(1));
				const text = stringArgument(2);
				if (!from || !to || text === undefined || from.includes(undefined) || to.includes(undefined) || from.length !== to.length) {
					return unknown;
				}

				let result = '';
				let position = 0;
				// builtins.replaceStrings tries each pattern at each position, first match wins.
				while (position <= text.length) {
					const index = from.findIndex(pattern => text.startsWith(pattern!, position));
					if (index !== -1 && from[index] !== '') {
						result += to[index];
						position += from[index]!.length;
					} else {
						result += text[position] ?? '';
						position++;
					}
				}

				return {kind: 'string', text: result, complete: true};
			}

			case 'toString': {
				const text = stringArgument(0);
				return text === undefined ? unknown : {kind: 'string', text, complete: true};
			}

			case 'concatStrings':
			case 'concatStringsSep': {
				const separator = name === 'concatStringsSep' ? stringArgument(0) : '';
				const items = strings(argument(name === 'concatStringsSep' ? 1 : 0));
				return separator === undefined || !items || items.includes(undefined) ? unknown : {kind: 'string', text: items.join(separator), complete: true};
			}

			case 'majorMinor':
			case 'major':
			case 'minor': {
				const version = stringArgument(0)?.split('.');
				if (!version || version.length < 2) {
					return unknown;
				}

				const text = name === 'majorMinor' ? version.slice(0, 2).join('.') : name === 'major' ? version[0]! : version[1]!;
				return {kind: 'string', text, complete: true};
			}

			case 'readFile': {
				const file = this.readPath(argument(0));
				return file === undefined ? unknown : {kind: 'string', text: file, complete: true};
			}

			case 'fromTOML':
			case 'importTOML': {
				const text = name === 'fromTOML' ? stringArgument(0) : this.readPath(argument(0));
				return text === undefined ? unknown : this.toml(text);
			}

			case 'crateNameFromCargoToml': {
				// crane: { cargoToml = ./Cargo.toml; } or { src = ./.; } → { pname, version } from [package].
				const options = argument(0);
				const cargoToml = options.kind === 'attrs' ? options.attributes.get('cargoToml')?.() : undefined;
				const src = options.kind === 'attrs' ? options.attributes.get('src')?.() : undefined;
				const text = cargoToml ? this.readPath(cargoToml) : src?.kind === 'path' ? this.readPath({kind: 'path', value: `${src.value.replace(/\/$/, '')}/Cargo.toml`}) : undefined;
				const manifest = text === undefined ? undefined : this.toml(text);
				const cargoPackage = manifest?.kind === 'attrs' ? manifest.attributes.get('package')?.() : undefined;
				if (cargoPackage?.kind !== 'attrs') {
					return unknown;
				}

				return {
					kind: 'attrs',
					attributes: new Map([
						['pname', () => cargoPackage.attributes.get('name')?.() ?? unknown],
						['version', () => cargoPackage.attributes.get('version')?.() ?? unknown],
					]),
				};
			}

			default: {
				return unknown;
			}
		}
	}

	private readPath(value: NixValue): string | undefined {
		if (value.kind !== 'path' || !value.value.startsWith('./') || !this.options.readFile) {
			return undefined;
		}

		return this.options.readFile(value.value.replace(/^\.\/(?:\.\/)*/, '').replace(/^\.$/, ''));
	}

	private toml(text: string): NixValue {
		try {
			return fromJson(parseToml(text));
		} catch {
			return unknown;
		}
	}

	/** The bindings of a set or `let`, as a scope; `recursive` makes them see each other. */
	attributes(bindings: readonly Binding[], outer: Scope | undefined, recursive: boolean): Scope {
		const scope: Scope = {names: new Map(), parent: outer};
		const inner = recursive ? scope : outer;
		const nested = new Map<string, Binding[]>();
		for (const binding of bindings) {
			if (binding.kind === 'inherit') {
				for (const name of binding.names) {
					scope.names.set(
						name,
						memo(() => (binding.from ? select(this.evaluate(binding.from, inner), name) : this.lookup(outer, name))),
					);
				}

				continue;
			}

			const [first, ...rest] = binding.path;
			const name = typeof first === 'string' ? first : asString(this.evaluate(first!, inner));
			if (name === undefined) {
				continue;
			}

			if (rest.length === 0) {
				scope.names.set(name, memo(() => this.evaluate(binding.value, inner)));
			} else {
				nested.set(name, [...(nested.get(name) ?? []), {...binding, path: rest}]);
			}
		}

		// `a.b = 1; a.c = 2;` builds the set `a`.
		for (const [name, group] of nested) {
			scope.names.set(name, memo(() => ({kind: 'attrs', attributes: this.attributes(group, inner, false).names})));
		}

		return scope;
	}

	/** A string node's value; records its interpolations. */
	stringValue(node: NixNode & {type: 'string'}, scope: Scope | undefined): {value: NixValue; interpolations: ResolvedString['interpolations']} {
		let text = '';
		let complete = true;
		const interpolations: ResolvedString['interpolations'] = [];
		for (const part of node.parts) {
			if (typeof part === 'string') {
				text += part;
				continue;
			}

			const value = this.evaluate(part.interpolation, scope);
			const known = value.kind === 'string' ? (value.complete ? value.text : undefined) : asString(value);
			interpolations.push({start: part.start, end: part.end, ...(known === undefined ? {} : {value: known})});
			if (value.kind === 'string' && !value.complete) {
				// Partly known: its own unknown parts are already written as `${…}`.
				text += value.text;
				complete = false;
			} else if (known === undefined) {
				text += this.source.slice(part.start, part.end);
				complete = false;
			} else {
				text += known;
			}
		}

		return {value: {kind: 'string', text, complete}, interpolations};
	}

	/** Visits every node with the scope it is evaluated in, recording each string literal. */
	visit(node: NixNode, scope: Scope | undefined, attribute: string | undefined): void {
		switch (node.type) {
			case 'string': {
				const {value, interpolations} = this.stringValue(node, scope);
				if (value.kind === 'string') {
					this.strings.push({start: node.start, end: node.end, indented: node.indented, ...(attribute ? {attribute} : {}), text: value.text, complete: value.complete, interpolations});
				}

				for (const part of node.parts) {
					if (typeof part !== 'string') {
						this.visit(part.interpolation, scope, attribute);
					}
				}

				return;
			}

			case 'attrs':
			case 'let': {
				const inner = this.attributes(node.bindings, scope, node.type === 'let' || node.recursive);
				const valueScope = node.type === 'let' || node.recursive ? inner : scope;
				for (const binding of node.bindings) {
					if (binding.kind === 'attr') {
						const last = binding.path.at(-1);
						this.visit(binding.value, valueScope, typeof last === 'string' ? last : attribute);
					} else if (binding.from) {
						this.visit(binding.from, valueScope, attribute);
					}
				}

				if (node.type === 'let') {
					this.visit(node.body, inner, attribute);
				}

				return;
			}

			case 'lambda': {
				// An argument named like a nixpkgs Python (`{ python311, ... }:`) is that Python.
				const argument = (name: string): Thunk => () => (/\d/.test(name) && pythonAttribute.test(name) ? {kind: 'python', attribute: name} : unknown);
				const parameters: Scope = {names: new Map(node.parameters.map(name => [name, argument(name)])), parent: scope};
				this.visit(node.body, parameters, attribute);
				return;
			}

			case 'with': {
				this.visit(node.scope, scope, attribute);
				this.visit(node.body, {names: new Map(), parent: scope, withScope: true}, attribute);
				return;
			}

			default: {
				for (const child of children(node)) {
					this.visit(child, scope, attribute);
				}
			}
		}
	}
}

function children(node: NixNode): NixNode[] {
	switch (node.type) {
		case 'select':
		case 'has': {
			return [node.target, ...node.path.filter((part): part is NixNode => typeof part !== 'string'), ...('fallback' in node && node.fallback ? [node.fallback] : [])];
		}

		case 'apply': {
			return [node.fn, node.argument];
		}

		case 'list': {
			return node.items;
		}

		case 'binary': {
			return [node.left, node.right];
		}

		case 'unary': {
			return [node.operand];
		}

		case 'if': {
			return [node.condition, node.then, node.else];
		}

		case 'assert': {
			return [node.condition, node.body];
		}

		default: {
			return [];
		}
	}
}

/**
Every string literal of a Nix file, evaluated as far as the file allows, in source order.
Undefined when the file does not parse.
*/
export function resolveNixStrings(source: string, options: EvaluateOptions = {}): ResolvedString[] | undefined {
	let tree: NixNode;
	try {
		tree = parseNix(source);
	} catch {
		return undefined;
	}

	const evaluator = new Evaluator(source, options);
	evaluator.visit(tree, undefined, undefined);
	return evaluator.strings.sort((a, b) => a.start - b.start);
}

/**
The file's text with each string literal replaced by its evaluated value (in double quotes),
for reading names and flags out of it; the text as it is when the file does not parse.
*/
export function resolvedNixText(source: string, options: EvaluateOptions = {}): string {
	const strings = resolveNixStrings(source, options);
	if (!strings) {
		return source;
	}

	let result = '';
	let position = 0;
	for (const string of strings) {
		if (string.start < position) {
			continue; // A string inside an interpolation of one already written.
		}

		result += `${source.slice(position, string.start)}"${string.text}"`;
		position = string.end;
	}

	return result + source.slice(position);
}
