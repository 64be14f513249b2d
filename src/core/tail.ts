/**
The last part of a long output, kept within fixed limits: at most `maxLines` lines and about
`maxChars` characters, however much is pushed. A two-hour build streams through it in
constant memory; what it holds is what a person would scroll back to.
*/
export class TailBuffer {
	readonly maxLines: number;
	readonly maxChars: number;
	// Complete lines, oldest first, without their '\n'. A plain array with a moving start keeps
	// pushes O(1); it is compacted when the dead prefix grows.
	#lines: string[] = [];
	#start = 0;
	#chars = 0;
	#pending = '';
	#linesSeen = 0;

	constructor(options: {maxLines?: number; maxChars?: number} = {}) {
		this.maxLines = Math.max(1, options.maxLines ?? 2000);
		this.maxChars = Math.max(1, options.maxChars ?? 1024 * 1024);
	}

	/** Adds the next piece of output; pieces may split lines anywhere. */
	push(text: string): void {
		let cursor = 0;
		for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', cursor)) {
			this.#addLine(this.#pending + text.slice(cursor, newline));
			this.#pending = '';
			cursor = newline + 1;
		}

		this.#pending = this.#clip(this.#pending + text.slice(cursor));
	}

	/** The kept lines, oldest first, including an unfinished last line. */
	lines(): string[] {
		const kept = this.#lines.slice(this.#start);
		return this.#pending === '' ? kept : [...kept, this.#pending];
	}

	/** The kept text, lines joined by '\n'. */
	text(): string {
		return this.lines().join('\n');
	}

	/** How many complete lines went through, kept or not. */
	get linesSeen(): number {
		return this.#linesSeen;
	}

	/** How many lines were dropped from the front to stay within the limits. */
	get linesDropped(): number {
		return this.#linesSeen - (this.#lines.length - this.#start);
	}

	#addLine(rawLine: string): void {
		const line = this.#clip(rawLine);
		this.#linesSeen++;
		this.#lines.push(line);
		this.#chars += line.length + 1;
		while (this.#lines.length - this.#start > this.maxLines || (this.#chars + this.#pending.length > this.maxChars && this.#lines.length - this.#start > 1)) {
			this.#chars -= this.#lines[this.#start]!.length + 1;
			this.#start++;
		}

		if (this.#start > 1024 && this.#start * 2 > this.#lines.length) {
			this.#lines = this.#lines.slice(this.#start);
			this.#start = 0;
		}
	}

	// A single line longer than the whole budget keeps only its end, marked by '…'.
	#clip(line: string): string {
		return line.length > this.maxChars ? `…${line.slice(line.length - this.maxChars + 1)}` : line;
	}
}
