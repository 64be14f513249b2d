import type {LoadedDiagnosis} from '../knowledge/schema.js';
import {rankFindings} from './rank.js';
import type {ScanResult} from './scanner.js';

/** Fitted numbers of one entry, as stored in `knowledge/diagnoses/<id>/fitted.json`. */
export type FittedWeights = {
	signatures: Record<string, number>;
	counterSignatures: Record<string, number>;
	/**
	Per signature: of the corpus logs where it matched, the share that were this class
	(smoothed). Says how close a log with that line alone comes to the class, anchor or not;
	the weights cannot, being fitted only on logs where an anchor matched.
	*/
	closeness?: Record<string, number>;
};

/**
A labelled log, scanned once. `label` is the class that must come first (`none` for a near
miss); `notFor` lists classes the log must not be (an entry's own `examples/no-match`), when
the right class is not known. `scored` logs (the corpus rows) are the ones cross-validation
scores; the others (entry examples, real-suite logs) always train.
*/
export type TrainingLog = {name: string; thread: string; scan: ScanResult; label?: string; notFor?: string[]; scored?: boolean};

/** How a log with its right class (or `none`) fared under one set of weights. */
export type Outcome = {label: string; top?: string; topConfidence: number; rightConfidence: number; confident: string[]};

const clamp = (value: number) => Math.min(1 - 1e-6, Math.max(1e-6, value));
const logit = (p: number) => Math.log(clamp(p) / (1 - clamp(p)));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
// Three decimals, never 0: a weight must stay above zero (the schema's rule for hand weights).
const round3 = (value: number) => Math.max(0.001, Math.round(value * 1000) / 1000);

type Sample = {hits: number[]; counters: number[]; positive: boolean};

// The samples one entry learns from: every log where one of its anchors fired and whose
// verdict for this entry is known (the right class, another class, or "not this one").
function samplesFor(entry: LoadedDiagnosis, logs: readonly TrainingLog[]): Sample[] {
	const signatures = entry.compiled.signatures;
	const counters = entry.compiled.counterSignatures;
	const samples: Sample[] = [];
	for (const log of logs) {
		const hits = log.scan.hits.get(entry.id);
		if (!hits || !signatures.some(signature => signature.role === 'anchor' && hits.has(signature.id))) {
			continue;
		}

		const positive = log.label === entry.id;
		if (log.label === undefined && !log.notFor?.includes(entry.id)) {
			continue;
		}

		samples.push({
			hits: signatures.flatMap((signature, index) => (hits.has(signature.id) ? [index] : [])),
			counters: counters.flatMap((counter, index) => (hits.has(counter.id) ? [index] : [])),
			positive,
		});
	}

	return samples;
}

/**
Fits one entry's weights by maximum likelihood of its noisy-OR confidence
(1 − Π(1 − wᵢ) over the signatures that hit, times Π(1 − pⱼ) over the counter-signatures that
hit), with a Gaussian prior on each weight's log-odds centred on the hand-set value of the
entry. `priorWidth` is that prior's standard deviation: small keeps the hand weights, large
lets the corpus decide. Plain gradient descent from the hand weights, so the result is
deterministic.
*/
export function fitEntry(entry: LoadedDiagnosis, logs: readonly TrainingLog[], priorWidth: number): FittedWeights {
	const signatures = entry.compiled.signatures;
	const counters = entry.compiled.counterSignatures;
	const prior = [...signatures.map(signature => logit(signature.weight)), ...counters.map(counter => logit(counter.penalty))];
	const theta = [...prior];
	const samples = samplesFor(entry, logs);
	const precision = 1 / (priorWidth * priorWidth);
	const steps = 1500;
	const rate = 0.5;
	for (let step = 0; step < steps; step++) {
		const gradient = theta.map((value, index) => (value - prior[index]!) * precision);
		for (const sample of samples) {
			let notExplained = 1;
			for (const index of sample.hits) {
				notExplained *= 1 - sigmoid(theta[index]!);
			}

			let kept = 1;
			for (const index of sample.counters) {
				kept *= 1 - sigmoid(theta[signatures.length + index]!);
			}

			const confidence = clamp((1 - notExplained) * kept);
			const dLoss = (confidence - (sample.positive ? 1 : 0)) / (confidence * (1 - confidence));
			for (const index of sample.hits) {
				gradient[index]! += dLoss * kept * notExplained * sigmoid(theta[index]!);
			}

			for (const index of sample.counters) {
				const at = signatures.length + index;
				gradient[at]! -= dLoss * (1 - notExplained) * kept * sigmoid(theta[at]!);
			}
		}

		const scale = rate / Math.max(1, samples.length / 4);
		for (let index = 0; index < theta.length; index++) {
			theta[index]! -= scale * gradient[index]!;
		}
	}

	return {
		signatures: Object.fromEntries(signatures.map((signature, index) => [signature.id, round3(clamp(sigmoid(theta[index]!)))])),
		counterSignatures: Object.fromEntries(counters.map((counter, index) => [counter.id, round3(clamp(sigmoid(theta[signatures.length + index]!)))])),
	};
}

/**
The closeness of each signature: (right + 4·base) / (matched + 4) over the corpus logs in which
the signature matched, where `base` is the class's share of the corpus logs. Only corpus logs
count: an entry's own examples were chosen to show its signatures, so they are no fair sample.
A line seen in few logs says little more than the base rate; a line that shows up in logs of
every class (`pyo3` on a Windows entry) gets a small share, however much it adds after an anchor.
*/
export function closenessOf(entry: LoadedDiagnosis, logs: readonly TrainingLog[]): Record<string, number> {
	const corpus = logs.filter(log => log.scored === true && log.label !== undefined);
	const base = corpus.length === 0 ? 0 : corpus.filter(log => log.label === entry.id).length / corpus.length;
	const matched = new Map<string, number>();
	const right = new Map<string, number>();
	for (const log of corpus) {
		const hits = log.scan.hits.get(entry.id);
		if (!hits) {
			continue;
		}

		for (const signature of entry.compiled.signatures) {
			if (hits.has(signature.id)) {
				matched.set(signature.id, (matched.get(signature.id) ?? 0) + 1);
				right.set(signature.id, (right.get(signature.id) ?? 0) + (log.label === entry.id ? 1 : 0));
			}
		}
	}

	const priorLogs = 4;
	return Object.fromEntries(
		entry.compiled.signatures.map(signature => [
			signature.id,
			round3(((right.get(signature.id) ?? 0) + priorLogs * base) / ((matched.get(signature.id) ?? 0) + priorLogs)),
		]),
	);
}

/**
One entry with its fitted weights, penalties and closeness in place of the hand-set numbers, both
in its data (which the build's bundle keeps) and in its compiled form; evidence stays as it is.
*/
export function withFitted(entry: LoadedDiagnosis, weights: FittedWeights): LoadedDiagnosis {
	const fitSignature = <S extends {id: string; weight: number}>(signature: S): S => {
		const closeness = weights.closeness?.[signature.id];
		return {...signature, weight: weights.signatures[signature.id] ?? signature.weight, ...(closeness === undefined ? {} : {closeness})};
	};

	const fitCounter = <C extends {id: string; penalty: number}>(counter: C): C => ({...counter, penalty: weights.counterSignatures[counter.id] ?? counter.penalty});
	return {
		...entry,
		signatures: entry.signatures.map(fitSignature),
		counterSignatures: entry.counterSignatures.map(fitCounter),
		compiled: {signatures: entry.compiled.signatures.map(fitSignature), counterSignatures: entry.compiled.counterSignatures.map(fitCounter)},
	};
}

/** The entries with their fitted numbers (`withFitted`); an entry without any keeps its hand-set ones. */
export function withFittedWeights(knowledge: readonly LoadedDiagnosis[], fitted: ReadonlyMap<string, FittedWeights>): LoadedDiagnosis[] {
	return knowledge.map(entry => {
		const weights = fitted.get(entry.id);
		return weights ? withFitted(entry, weights) : entry;
	});
}

export function fitAll(knowledge: readonly LoadedDiagnosis[], logs: readonly TrainingLog[], priorWidth: number): Map<string, FittedWeights> {
	return new Map(knowledge.map(entry => [entry.id, {...fitEntry(entry, logs, priorWidth), closeness: closenessOf(entry, logs)}]));
}

/** Ranks one scanned log and reports how its labelled class fared. */
export function outcomeOf(knowledge: readonly LoadedDiagnosis[], scan: ScanResult, label: string): Outcome {
	const findings = rankFindings(knowledge, scan);
	return {
		label,
		top: findings[0]?.diagnosis.id,
		topConfidence: findings[0]?.confidence ?? 0,
		rightConfidence: findings.find(finding => finding.diagnosis.id === label)?.confidence ?? 0,
		confident: findings.filter(finding => finding.confidence >= 0.5).map(finding => finding.diagnosis.id),
	};
}

/** Right class first and at 0.5 or more; for a near miss, nothing at 0.5 or more. */
export function isRight(outcome: Outcome): boolean {
	if (outcome.label === 'none') {
		return outcome.confident.length === 0;
	}

	return outcome.top === outcome.label && outcome.topConfidence >= 0.5;
}

export type Figures = {
	labelled: number;
	topOne: number;
	nearMisses: number;
	nearMissesConfident: number;
	/** Findings at 0.5 or more, over all logs; and how many of them are the log's class. */
	confidentFindings: number;
	confidentRight: number;
	/** Logs whose right class came first; and how many of those reached 0.5. */
	rightTop: number;
	rightTopConfident: number;
};

/** The figures the README reports, for one set of outcomes. */
export function figuresOf(outcomes: readonly Outcome[]): Figures {
	const figures: Figures = {labelled: 0, topOne: 0, nearMisses: 0, nearMissesConfident: 0, confidentFindings: 0, confidentRight: 0, rightTop: 0, rightTopConfident: 0};
	for (const outcome of outcomes) {
		figures.confidentFindings += outcome.confident.length;
		figures.confidentRight += outcome.confident.filter(id => id === outcome.label).length;
		if (outcome.label === 'none') {
			figures.nearMisses++;
			figures.nearMissesConfident += outcome.confident.length > 0 ? 1 : 0;
			continue;
		}

		figures.labelled++;
		figures.topOne += isRight(outcome) ? 1 : 0;
		if (outcome.top === outcome.label) {
			figures.rightTop++;
			figures.rightTopConfident += outcome.topConfidence >= 0.5 ? 1 : 0;
		}
	}

	return figures;
}

/** Fold of a thread for cross-validation: a stable hash of its name, so folds never split a thread. */
function foldOf(thread: string, folds: number): number {
	let hash = 2166136261;
	for (let index = 0; index < thread.length; index++) {
		hash = Math.imul(hash ^ thread.charCodeAt(index), 16777619) >>> 0;
	}

	return hash % folds;
}

export type CrossValidation = {priorWidth: number; figures: Figures}[];

/**
K-fold cross-validation over threads: each fold is fitted on the others and ranked with those
weights. Only the corpus rows are scored; examples and real-suite logs always train.
*/
export function crossValidate(knowledge: readonly LoadedDiagnosis[], logs: readonly TrainingLog[], priorWidths: readonly number[], folds = 5): CrossValidation {
	return priorWidths.map(priorWidth => {
		const outcomes: Outcome[] = [];
		for (let fold = 0; fold < folds; fold++) {
			const inFold = (log: TrainingLog) => log.scored === true && foldOf(log.thread, folds) === fold;
			const fitted = fitAll(knowledge, logs.filter(log => !inFold(log)), priorWidth);
			const weighted = withFittedWeights(knowledge, fitted);
			for (const log of logs.filter(inFold)) {
				outcomes.push(outcomeOf(weighted, log.scan, log.label!));
			}
		}

		return {priorWidth, figures: figuresOf(outcomes)};
	});
}

/** The prior width with the most logs right in cross-validation; ties go to the narrower prior. */
export function bestPriorWidth(validation: CrossValidation): number {
	const score = (figures: Figures) => figures.topOne + figures.nearMisses - figures.nearMissesConfident;
	return [...validation].sort((a, b) => score(b.figures) - score(a.figures) || a.priorWidth - b.priorWidth)[0]!.priorWidth;
}
