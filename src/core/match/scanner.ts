import type {LoadedDiagnosis} from '../knowledge/schema.js';
import {LiteralAutomaton} from './literal-automaton.js';
import {lineSegments, stripAnsi} from './normalize.js';

/** One log line that a signature matched. `line` is 1-based in the user's log. */
export type LogEvidence = {line: number; text: string; signature: string; means?: string};

/** What one signature (or counter-signature) saw in the whole log. */
export type SignatureHits = {count: number; evidence: LogEvidence[]; captures: Record<string, string>};

/** Per diagnosis id, per signature id: the hits. */
export type ScanResult = {
	lines: number;
	/** UTF-16 code units seen; the byte count comes from the reader. */
	characters: number;
	hits: Map<string, Map<string, SignatureHits>>;
};

const evidencePerSignature = 3;
const maxEvidenceText = 400;

/**
Where the scan keeps lines that read as a build failure, whatever the class: the report shows
them when no known class reaches the reporting threshold. Not a knowledge entry.
*/
export const failureLinesId = '(failure-lines)';

// Wordings with which cargo, rustc, the linkers, Python, maturin and Nix report a failure.
const failureLineLiterals = [
	'error:',
	'error[E',
	'ERROR:',
	'Error:',
	'panicked at',
	'maturin failed',
	'failed with exit code',
	'ImportError',
	'ModuleNotFoundError',
	'undefined symbol',
	'undefined reference',
	'cannot open shared object file',
	'Library not loaded',
	'Fatal Python error',
];
const failureLinePattern =
	/error(?:\[E\d+\])?:|ERROR:|Error:|panicked at|maturin failed|failed with exit code|ImportError|ModuleNotFoundError|undefined (?:symbol|reference)|cannot open shared object file|Library not loaded|Fatal Python error/;

type Rule = {
	/** Set once the rule has all the evidence it keeps; its lines need not be looked at again. */
	saturated: boolean;
	diagnosisId: string;
	signatureId: string;
	regex: RegExp;
	literals: string[];
	means?: string;
};

// Keeps evidence readable when a line is megabytes long: a window around the match.
function clipEvidence(text: string, matchIndex: number): string {
	if (text.length <= maxEvidenceText) {
		return text.trim();
	}

	const start = Math.max(0, Math.min(matchIndex - 100, text.length - maxEvidenceText));
	return `${start > 0 ? '…' : ''}${text.slice(start, start + maxEvidenceText).trim()}…`;
}

/**
A streaming matcher. Feed it the log in chunks of any size; it keeps only the unfinished last
line between chunks, so memory stays bounded however long the log is.

Speed comes from one pass of a literal automaton over each chunk: only lines containing a
signature's literal are normalised and tested against that signature's pattern.
*/
export class LogScanner {
	readonly #rules: Rule[];
	readonly #rulesByLiteral = new Map<string, Rule[]>();
	readonly #literals: string[];
	readonly #automaton: LiteralAutomaton;
	readonly #droppedLiterals = new Set<number>();
	#sawSaturation = false;
	readonly #hits = new Map<string, Map<string, SignatureHits>>();
	#pending = '';
	#linesDone = 0;
	#characters = 0;

	constructor(knowledge: readonly LoadedDiagnosis[]) {
		this.#rules = knowledge.flatMap(entry => [
			...entry.compiled.signatures.map(signature => ({
				saturated: false,
				diagnosisId: entry.id,
				signatureId: signature.id,
				regex: signature.regex,
				literals: signature.literals,
				means: signature.means,
			})),
			...entry.compiled.counterSignatures.map(signature => ({
				saturated: false,
				diagnosisId: entry.id,
				signatureId: signature.id,
				regex: signature.regex,
				literals: signature.literals,
				means: signature.means,
			})),
		]);
		this.#rules.push({saturated: false, diagnosisId: failureLinesId, signatureId: 'failure-line', regex: failureLinePattern, literals: failureLineLiterals});
		for (const rule of this.#rules) {
			for (const literal of new Set(rule.literals)) {
				const rules = this.#rulesByLiteral.get(literal) ?? [];
				rules.push(rule);
				this.#rulesByLiteral.set(literal, rules);
			}
		}

		this.#literals = [...this.#rulesByLiteral.keys()];
		this.#automaton = new LiteralAutomaton(this.#literals);
	}

	/** Adds the next piece of the log. */
	feed(chunk: string): void {
		this.#characters += chunk.length;
		const text = this.#pending + chunk;
		const lastNewline = text.lastIndexOf('\n');
		if (lastNewline === -1) {
			this.#pending = text;
			return;
		}

		this.#pending = text.slice(lastNewline + 1);
		this.#scanLines(text.slice(0, lastNewline + 1));
		if (this.#sawSaturation) {
			this.#dropSaturatedLiterals();
		}
	}

	// A literal common in build noise (say `/nix/store/` for a context signature) would send
	// every line to the regexes. Once all rules behind a literal have their evidence, the
	// literal leaves the automaton, so the rest of the log is scanned as if it were absent.
	#dropSaturatedLiterals(): void {
		this.#sawSaturation = false;
		const saturated = [...this.#literals.entries()]
			.filter(([index, literal]) => !this.#droppedLiterals.has(index) && this.#rulesByLiteral.get(literal)!.every(rule => rule.saturated))
			.map(([index]) => index);
		if (saturated.length > 0) {
			for (const index of saturated) {
				this.#droppedLiterals.add(index);
			}

			this.#automaton.deactivate(saturated);
		}
	}

	/** Finishes the log and returns every hit. The scanner can be fed again afterwards only by a new instance. */
	end(): ScanResult {
		if (this.#pending !== '') {
			this.#scanLines(this.#pending + '\n');
			this.#pending = '';
		}

		return {lines: this.#linesDone, characters: this.#characters, hits: this.#hits};
	}

	// Scans complete lines (the text ends with '\n').
	#scanLines(rawText: string): void {
		const text = stripAnsi(rawText);
		let cursor = 0;
		let lineNumber = this.#linesDone + 1;
		for (let found = this.#automaton.findFrom(text, 0); found !== -1; ) {
			const lineStart = text.lastIndexOf('\n', found - 1) + 1;
			const lineEnd = text.indexOf('\n', found - 1);
			for (let index = text.indexOf('\n', cursor); index !== -1 && index < lineStart; index = text.indexOf('\n', index + 1)) {
				lineNumber++;
			}

			cursor = lineStart;
			this.#testLine(text.slice(lineStart, lineEnd), lineNumber);
			found = this.#automaton.findFrom(text, lineEnd + 1);
		}

		for (let index = text.indexOf('\n', cursor); index !== -1; index = text.indexOf('\n', index + 1)) {
			lineNumber++;
		}

		this.#linesDone = lineNumber - 1;
	}

	#testLine(rawLine: string, lineNumber: number): void {
		const tried = new Set<Rule>();
		const segments = lineSegments(rawLine);
		for (const literalIndex of this.#automaton.literalsIn(rawLine)) {
			const literal = this.#literals[literalIndex]!;
			// The automaton folds non-ASCII characters together; confirm the literal itself.
			if (!rawLine.includes(literal)) {
				continue;
			}

			for (const rule of this.#rulesByLiteral.get(literal) ?? []) {
				if (tried.has(rule) || rule.saturated) {
					continue;
				}

				tried.add(rule);
				for (const segment of segments) {
					const match = rule.regex.exec(segment);
					if (match) {
						this.#record(rule, match, segment, lineNumber);
						break;
					}
				}
			}
		}
	}

	#record(rule: Rule, found: RegExpExecArray, segment: string, lineNumber: number): void {
		let bySignature = this.#hits.get(rule.diagnosisId);
		if (!bySignature) {
			bySignature = new Map();
			this.#hits.set(rule.diagnosisId, bySignature);
		}

		let hits = bySignature.get(rule.signatureId);
		if (!hits) {
			hits = {count: 0, evidence: [], captures: {}};
			bySignature.set(rule.signatureId, hits);
		}

		hits.count++;
		if (hits.evidence.length < evidencePerSignature) {
			hits.evidence.push({line: lineNumber, text: clipEvidence(segment, found.index), signature: rule.signatureId, means: rule.means});
		}

		if (hits.evidence.length >= evidencePerSignature && !rule.saturated) {
			rule.saturated = true;
			this.#sawSaturation = true;
		}

		for (const [name, value] of Object.entries(found.groups ?? {})) {
			if (value !== undefined && hits.captures[name] === undefined) {
				hits.captures[name] = value;
			}
		}
	}
}

/** Scans a whole log held in memory. */
export function scanLog(knowledge: readonly LoadedDiagnosis[], text: string): ScanResult {
	const scanner = new LogScanner(knowledge);
	scanner.feed(text);
	return scanner.end();
}
