import type {Condition, FactTest} from './schema.js';

/** The probe facts: one plain object, addressed by dotted paths (see knowledge/facts.yaml). */
export type Facts = Record<string, unknown>;

/** Reads a dotted path; `undefined` means the fact was not gathered. */
export function readFact(facts: Facts, path: string): unknown {
	let value: unknown = facts;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') {
			return undefined;
		}

		value = (value as Record<string, unknown>)[key];
	}

	return value;
}

/**
Compares dotted version strings numerically ("3.10" > "3.9"). Non-numeric tails such as
"rc1" or "+local" are ignored.
*/
export function compareVersions(left: string, right: string): number {
	const parts = (version: string) => version.split(/[.+-]/).map(part => Number.parseInt(part, 10)).filter(part => !Number.isNaN(part));
	const a = parts(left);
	const b = parts(right);
	for (let index = 0; index < Math.max(a.length, b.length); index++) {
		const difference = (a[index] ?? 0) - (b[index] ?? 0);
		if (difference !== 0) {
			return Math.sign(difference);
		}
	}

	return 0;
}

/**
Evaluates a condition: `true`, `false`, or `undefined` when a fact it needs is unknown.
Unknown is kept apart from false so that a missing probe never refutes a diagnosis.
*/
export function evaluate(condition: Condition, facts: Facts): boolean | undefined {
	if ('all' in condition) {
		const results = condition.all.map(child => evaluate(child, facts));
		if (results.includes(false)) {
			return false;
		}

		return results.includes(undefined) ? undefined : true;
	}

	if ('any' in condition) {
		const results = condition.any.map(child => evaluate(child, facts));
		if (results.includes(true)) {
			return true;
		}

		return results.includes(undefined) ? undefined : false;
	}

	if ('not' in condition) {
		const result = evaluate(condition.not, facts);
		return result === undefined ? undefined : !result;
	}

	return testFact(condition, readFact(facts, condition.fact));
}

function testFact(test: FactTest, value: unknown): boolean | undefined {
	if (test.exists !== undefined) {
		return (value !== undefined && value !== null) === test.exists;
	}

	if (value === undefined) {
		return undefined;
	}

	if ('equals' in test) {
		return value === test.equals;
	}

	if (test.in) {
		return test.in.includes(value as string);
	}

	if (test.includes !== undefined) {
		if (Array.isArray(value)) {
			return value.includes(test.includes);
		}

		return typeof value === 'string' ? value.includes(String(test.includes)) : false;
	}

	if (value === null) {
		return false;
	}

	if (test.matches !== undefined) {
		return new RegExp(test.matches).test(String(value));
	}

	if (test.versionAtLeast !== undefined) {
		return compareVersions(String(value), test.versionAtLeast) >= 0;
	}

	if (test.versionBelow !== undefined) {
		return compareVersions(String(value), test.versionBelow) < 0;
	}

	return undefined;
}

/**
The facts a condition that holds rests on, with their values: every known fact it tests, and of
an `any` only the branches that hold. This is what `check` shows as the proof of a finding.
*/
export function provingFacts(condition: Condition, facts: Facts): Array<{fact: string; value: unknown}> {
	if ('all' in condition) {
		return dedupe(condition.all.flatMap(child => provingFacts(child, facts)));
	}

	if ('any' in condition) {
		return dedupe(condition.any.filter(child => evaluate(child, facts) === true).flatMap(child => provingFacts(child, facts)));
	}

	if ('not' in condition) {
		return provingFacts(condition.not, facts);
	}

	const value = readFact(facts, condition.fact);
	return value === undefined ? [{fact: condition.fact, value: null}] : [{fact: condition.fact, value}];
}

function dedupe(items: Array<{fact: string; value: unknown}>): Array<{fact: string; value: unknown}> {
	const seen = new Set<string>();
	return items.filter(item => !seen.has(item.fact) && seen.add(item.fact));
}

/** Replaces `{{dotted.path}}` with the fact's value, or with `?` when it is unknown. */
export function fillTemplate(template: string, values: Facts): string {
	return template.replaceAll(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path: string) => {
		const value = readFact(values, path);
		if (value === undefined || value === null) {
			return '?';
		}

		return Array.isArray(value) ? value.join(', ') : String(value);
	});
}
