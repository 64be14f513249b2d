import type {LoadedDiagnosis} from '../knowledge/schema.js';
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

type Rule = {
	diagnosisId: string;
	signatureId: string;
	regex: RegExp;
	literals: string[];
	means?: string;
};

function escapeRegex(text: string): string {
	return text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

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

Speed comes from one combined literal regex run over each chunk: only lines containing a
signature's literal are normalised and tested against that signature's pattern.
*/
export class LogScanner {
	readonly #rules: Rule[];
	readonly #rulesByLiteral = new Map<string, Rule[]>();
	readonly #literalPattern: RegExp;
	readonly #hits = new Map<string, Map<string, SignatureHits>>();
	#pending = '';
	#linesDone = 0;
	#characters = 0;

	constructor(knowledge: readonly LoadedDiagnosis[]) {
		this.#rules = knowledge.flatMap(entry => [
			...entry.compiled.signatures.map(signature => ({
				diagnosisId: entry.id,
				signatureId: signature.id,
				regex: signature.regex,
				literals: signature.literals,
				means: signature.means,
			})),
			...entry.compiled.counterSignatures.map(signature => ({
				diagnosisId: entry.id,
				signatureId: signature.id,
				regex: signature.regex,
				literals: signature.literals,
				means: signature.means,
			})),
		]);
		for (const rule of this.#rules) {
			for (const literal of new Set(rule.literals)) {
				const rules = this.#rulesByLiteral.get(literal) ?? [];
				rules.push(rule);
				this.#rulesByLiteral.set(literal, rules);
			}
		}

		// Longest first, so that a literal that contains another is still found on its own.
		const literals = [...this.#rulesByLiteral.keys()].sort((a, b) => b.length - a.length);
		this.#literalPattern = literals.length > 0 ? new RegExp(literals.map(escapeRegex).join('|'), 'g') : /$^/g;
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
		const literalPattern = this.#literalPattern;
		literalPattern.lastIndex = 0;
		let cursor = 0;
		let lineNumber = this.#linesDone + 1;
		let match: RegExpExecArray | null;
		while ((match = literalPattern.exec(text)) !== null) {
			const lineStart = text.lastIndexOf('\n', match.index) + 1;
			const lineEnd = text.indexOf('\n', match.index);
			for (let index = text.indexOf('\n', cursor); index !== -1 && index < lineStart; index = text.indexOf('\n', index + 1)) {
				lineNumber++;
			}

			cursor = lineStart;
			this.#testLine(text.slice(lineStart, lineEnd), lineNumber);
			literalPattern.lastIndex = lineEnd + 1;
		}

		for (let index = text.indexOf('\n', cursor); index !== -1; index = text.indexOf('\n', index + 1)) {
			lineNumber++;
		}

		this.#linesDone = lineNumber - 1;
	}

	#testLine(rawLine: string, lineNumber: number): void {
		const present = new Set<string>();
		for (const found of rawLine.matchAll(this.#literalPattern)) {
			present.add(found[0]);
		}

		// A literal can hide inside a longer one at the same place; check the rest directly.
		for (const literal of this.#rulesByLiteral.keys()) {
			if (!present.has(literal) && rawLine.includes(literal)) {
				present.add(literal);
			}
		}

		const tried = new Set<Rule>();
		const segments = lineSegments(rawLine);
		for (const literal of present) {
			for (const rule of this.#rulesByLiteral.get(literal) ?? []) {
				if (tried.has(rule)) {
					continue;
				}

				tried.add(rule);
				for (const segment of segments) {
					const found = rule.regex.exec(segment);
					if (found) {
						this.#record(rule, found, segment, lineNumber);
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
