import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {parse as parseYaml} from 'yaml';
import {pyo3PythonSupport, pyo3SupportFor} from '../../src/core/facts/pyo3-support.js';
import {compareVersions} from '../../src/core/knowledge/conditions.js';
import type {Diagnosis} from '../../src/core/knowledge/schema.js';
import {renderSupportText, seriesAccepting} from '../../src/core/knowledge/support-text.js';
import {knowledge} from '../helpers/knowledge.js';

/**
A sentence that states which pyo3 series build for which Python, e.g. "pyo3 0.16–0.28 accept 3.7",
"0.29 needs at least 3.8", "pyo3 0.25 and later support 3.14".
*/
const claimPattern =
	/(?<!maturin |crane |nixpkgs )(?:pyo3 )?\b(?<first>0\.\d+)(?:\s*(?:–|-|to)\s*(?<last>0\.\d+)|(?<onward> and (?:later|newer)))? (?:still )?(?<verb>accepts?|supports?|needs?(?: at least)?|requires?(?: at least)?) (?:Python |CPython )?(?<python>3\.\d+)(?![\d.t])/g;

type Claim = {text: string; series: string[]; verb: string; python: string};

function seriesBetween(first: string, last: string | undefined): string[] {
	return pyo3PythonSupport
		.map(row => row.series)
		.filter(series => compareVersions(series, first) >= 0 && (last === undefined || compareVersions(series, last) <= 0))
		.sort(compareVersions);
}

export function claimsIn(text: string): Claim[] {
	return [...text.matchAll(claimPattern)].map(match => {
		const {first, last, onward, verb, python} = match.groups!;
		return {text: match[0], series: seriesBetween(first!, last ?? (onward ? undefined : first)), verb: verb!, python: python!};
	});
}

// Why a claim disagrees with the support table, or undefined when it agrees.
function contradiction(claim: Claim): string | undefined {
	if (claim.series.length === 0) {
		return 'names no series the support table knows';
	}

	for (const series of claim.series) {
		const row = pyo3SupportFor(series)!;
		const atLeast = /needs?|requires?/.test(claim.verb);
		if (atLeast && row.minPython !== claim.python) {
			return `pyo3 ${series} needs at least ${row.minPython}`;
		}

		if (!atLeast && (compareVersions(claim.python, row.minPython) < 0 || compareVersions(claim.python, row.maxPython) > 0)) {
			return `pyo3 ${series} supports ${row.minPython}–${row.maxPython}`;
		}
	}

	return undefined;
}

// The prose of an entry: everything a reader sees, with the field it came from.
function prose(entry: Diagnosis): Array<[string, string]> {
	return [
		['title', entry.title],
		['summary', entry.summary],
		['explanation', entry.explanation],
		...entry.facts.map((rule, index): [string, string] => [`facts[${index}].says`, rule.says]),
		...entry.fixes.flatMap((fix, index) => [
			[`fixes[${index}].title`, fix.title] as [string, string],
			...fix.steps.map((step, stepIndex): [string, string] => [`fixes[${index}].steps[${stepIndex}]`, step]),
		]),
	];
}

describe('version ranges come from the pyo3 support table', () => {
	it('renders the series that accept a Python from the table', () => {
		const {text, unknown} = renderSupportText('pyo3 {{pyo3-support:series-accepting 3.7}} accept 3.7');
		assert.deepEqual(unknown, []);
		const [claim] = claimsIn(text);
		assert.ok(claim, text);
		assert.equal(contradiction(claim), undefined);
		// The series just outside the rendered range do not accept 3.7.
		const outside = pyo3PythonSupport.filter(row => !claim.series.includes(row.series));
		assert.ok(outside.every(row => compareVersions('3.7', row.minPython) < 0 || compareVersions('3.7', row.maxPython) > 0));
	});

	it('leaves a placeholder the table cannot answer and names it', () => {
		assert.equal(seriesAccepting('2.7'), undefined);
		assert.deepEqual(renderSupportText('{{pyo3-support:series-accepting 2.7}} {{pyo3-support:max-python 0.1}}').unknown, [
			'{{pyo3-support:series-accepting 2.7}}',
			'{{pyo3-support:max-python 0.1}}',
		]);
	});

	it('finds a claim that contradicts the table', () => {
		const [claim] = claimsIn('pyo3 0.16 to 0.22 need at least 3.6');
		assert.equal(contradiction(claim!), `pyo3 0.16 needs at least ${pyo3SupportFor('0.16')!.minPython}`);
	});

	for (const entry of knowledge) {
		it(`${entry.id}: states no version range against the table, and repeats none by hand`, () => {
			const file = path.join(entry.dir, 'diagnosis.yaml');
			const raw = parseYaml(readFileSync(file, 'utf8')) as Diagnosis;
			const wrong = prose(entry).flatMap(([field, text]) =>
				claimsIn(text).flatMap(claim => {
					const why = contradiction(claim);
					return why ? [`${field}: "${claim.text}" but ${why}`] : [];
				}),
			);
			const byHand = prose({...raw, facts: raw.facts ?? []}).flatMap(([field, text]) =>
				claimsIn(text).map(claim => `${field}: "${claim.text}" (write {{pyo3-support:…}} instead)`),
			);
			assert.deepEqual([...wrong, ...byHand], []);
		});
	}
});
