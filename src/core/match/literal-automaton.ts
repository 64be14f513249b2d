// An Aho-Corasick automaton over many literals: one pass over the text finds every line that
// may contain any of them, in time linear in the text whatever the number of literals. A single
// JavaScript regex alternation of a few hundred literals is several times slower on large logs.
//
// It is a prefilter: it may report a literal that is not there (only the first `prefixLength`
// characters of each literal are in the automaton, and characters that occur in no literal
// share one column), never miss one that is. Callers confirm with String#includes.

/** How many leading characters of each literal the automaton knows; keeps it small to build. */
const prefixLength = 8;

export class LiteralAutomaton {
	/** Character code (below 128) → column; every other character is column 0. */
	readonly #columnOf = new Uint8Array(128);
	/** log2 of the number of columns, so a row starts at `state << #shift`. */
	readonly #shift: number;
	readonly #delta: Int32Array;
	readonly #outputs: Array<number[] | undefined>;
	/** 1 where an active literal's prefix ends. */
	readonly #accepting: Uint8Array;
	readonly #active: Uint8Array;

	constructor(literals: readonly string[]) {
		const prefixes = literals.map(literal => literal.slice(0, prefixLength));
		let columns = 1;
		for (const prefix of prefixes) {
			for (let index = 0; index < prefix.length; index++) {
				const code = prefix.charCodeAt(index);
				if (code < 128 && this.#columnOf[code] === 0) {
					this.#columnOf[code] = columns++;
				}
			}
		}

		this.#shift = Math.max(1, Math.ceil(Math.log2(columns)));
		const width = 1 << this.#shift;

		// The trie, as a table of transitions (-1: none yet).
		const capacity = 1 + prefixes.reduce((sum, prefix) => sum + prefix.length, 0);
		const table = new Int32Array(capacity * width).fill(-1);
		const ends: Array<number[] | undefined> = [undefined];
		let states = 1;
		for (const [literalIndex, prefix] of prefixes.entries()) {
			let state = 0;
			for (let index = 0; index < prefix.length; index++) {
				const slot = (state << this.#shift) | this.#column(prefix.charCodeAt(index));
				if (table[slot] === -1) {
					table[slot] = states++;
					ends.push(undefined);
				}

				state = table[slot]!;
			}

			if (prefix.length > 0) {
				(ends[state] ??= []).push(literalIndex);
			}
		}

		// Breadth-first: failure links and outputs, turning the trie into a full DFA in place.
		const outputs = new Array<number[] | undefined>(states).fill(undefined);
		const failure = new Int32Array(states);
		const queue = new Int32Array(states);
		let tail = 0;
		for (let symbol = 0; symbol < width; symbol++) {
			if (table[symbol] === -1) {
				table[symbol] = 0;
			} else {
				queue[tail++] = table[symbol]!;
			}
		}

		for (let head = 0; head < tail; head++) {
			const state = queue[head]!;
			const inherited = outputs[failure[state]!];
			const own = ends[state];
			outputs[state] = own && inherited ? [...own, ...inherited] : (own ?? inherited);
			const base = state << this.#shift;
			const failureBase = failure[state]! << this.#shift;
			for (let symbol = 0; symbol < width; symbol++) {
				const next = table[base + symbol]!;
				if (next === -1) {
					table[base + symbol] = table[failureBase + symbol]!;
				} else {
					failure[next] = table[failureBase + symbol]!;
					queue[tail++] = next;
				}
			}
		}

		this.#delta = table.subarray(0, states * width);
		this.#outputs = outputs;
		this.#active = new Uint8Array(literals.length).fill(1);
		this.#accepting = new Uint8Array(states);
		this.#refreshAccepting();
	}

	/** Stops reporting these literals (say, once every rule behind them has its evidence). */
	deactivate(literalIndices: Iterable<number>): void {
		for (const index of literalIndices) {
			this.#active[index] = 0;
		}

		this.#refreshAccepting();
	}

	/**
	Returns the index just past the first possible literal occurrence at or after `from`, or -1.
	The caller decides where to resume (usually the next line), so the state starts fresh.
	*/
	findFrom(text: string, from: number): number {
		const delta = this.#delta;
		const accepting = this.#accepting;
		const columnOf = this.#columnOf;
		const shift = this.#shift;
		const length = text.length;
		let state = 0;
		for (let index = from; index < length; index++) {
			const code = text.charCodeAt(index);
			state = delta[(state << shift) | (code < 128 ? columnOf[code]! : 0)]!;
			if (accepting[state] === 1) {
				return index + 1;
			}
		}

		return -1;
	}

	/** The indices of the active literals whose prefix occurs in `text` between `start` and `end`. */
	literalsIn(text: string, start = 0, end = text.length): Set<number> {
		const found = new Set<number>();
		let state = 0;
		for (let index = start; index < end; index++) {
			state = this.#delta[(state << this.#shift) | this.#column(text.charCodeAt(index))]!;
			if (this.#accepting[state] === 1) {
				for (const literal of this.#outputs[state]!) {
					if (this.#active[literal] === 1) {
						found.add(literal);
					}
				}
			}
		}

		return found;
	}

	#column(code: number): number {
		return code < 128 ? this.#columnOf[code]! : 0;
	}

	#refreshAccepting(): void {
		for (const [state, outputs] of this.#outputs.entries()) {
			this.#accepting[state] = outputs?.some(literal => this.#active[literal] === 1) ? 1 : 0;
		}
	}
}
