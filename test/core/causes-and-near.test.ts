import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {LoadedDiagnosis} from '../../src/core/knowledge/schema.js';
import {orderCausesFirst} from '../../src/core/match/causes.js';
import {whatCameClose} from '../../src/core/match/near.js';
import {closenessOf, type TrainingLog} from '../../src/core/match/fit.js';
import {rankFindings, sortFindings, withProvenCauses, type Finding} from '../../src/core/match/rank.js';
import {scanLog} from '../../src/core/match/scanner.js';
import {formatFindings} from '../../src/core/report/findings-text.js';
import {plainStyle} from '../../src/core/report/style.js';
import {knowledge} from '../helpers/knowledge.js';

const entry = (id: string) => knowledge.find(candidate => candidate.id === id)!;

function finding(diagnosis: LoadedDiagnosis, confidence: number): Finding {
	return {diagnosis, confidence, summary: diagnosis.summary, evidence: [{line: 1, text: `a line of ${diagnosis.id}`, signature: 's'}], factEvidence: [], captures: {}};
}

describe('cause over symptom', () => {
	it('the shipped chains name known classes', () => {
		// Given every entry's leadsTo
		const ids = new Set(knowledge.map(candidate => candidate.id));
		// When each target is looked up
		const unknown = knowledge.flatMap(candidate => candidate.leadsTo.filter(target => !ids.has(target)).map(target => `${candidate.id} → ${target}`));
		// Then all exist, and the chains the domain has are declared
		assert.deepEqual(unknown, []);
		assert.ok(entry('cdylib-links-libpython').leadsTo.includes('manylinux-audit-failure'));
		assert.ok(entry('pyo3-rebuild-env-drift').leadsTo.includes('nix-store-readonly-artifacts'));
		assert.ok(entry('pyo3-wrong-interpreter-selected').leadsTo.includes('undefined-symbol-at-import'));
		assert.ok(entry('cross-compile-or-target-mismatch').leadsTo.includes('wheel-unsupported-platform-tag'));
	});

	it('puts the cause first and marks the symptom it explains, even when the symptom was more certain', () => {
		// Given an audit failure found with more confidence than the libpython link that causes it
		const symptom = finding(entry('manylinux-audit-failure'), 0.9);
		const cause = finding(entry('cdylib-links-libpython'), 0.6);
		const other = finding(entry('linker-cc-not-found'), 0.7);
		// When the findings are ordered
		const ordered = sortFindings([symptom, other, cause]);
		// Then the cause takes the symptom's place, the symptom follows it, and confidences stay
		assert.deepEqual(
			ordered.map(item => [item.diagnosis.id, item.confidence, item.causedBy]),
			[
				['cdylib-links-libpython', 0.6, undefined],
				['manylinux-audit-failure', 0.9, 'cdylib-links-libpython'],
				['linker-cc-not-found', 0.7, undefined],
			],
		);
	});

	it('leaves findings alone when no chain applies, and forgets an old mark', () => {
		// Given findings without a cause among them, one marked by an earlier ordering
		const marked = {...finding(entry('manylinux-audit-failure'), 0.9), causedBy: 'cdylib-links-libpython'};
		const other = finding(entry('linker-cc-not-found'), 0.7);
		// When they are ordered again without the cause
		const ordered = orderCausesFirst([marked, other]);
		// Then nothing moves and no stale mark remains
		assert.deepEqual(ordered.map(item => [item.diagnosis.id, item.causedBy]), [['manylinux-audit-failure', undefined], ['linker-cc-not-found', undefined]]);
	});

	it('adds a cause the environment proves above the symptom the log shows, and nothing else the environment proves', () => {
		// Given a log that shows an interpreter that cannot run, and an environment that proves a
		// stale venv (its cause) and, unrelated, a missing C linker
		const symptom = finding(entry('pyo3-python-interpreter-invalid'), 0.99);
		const proven = [finding(entry('stale-devshell-gc'), 0.9), finding(entry('linker-cc-not-found'), 0.8)];
		// When the proven findings are offered to the log's
		const merged = withProvenCauses([symptom], proven);
		// Then the cause leads and explains the symptom; the unrelated proof stays with check
		assert.deepEqual(
			merged.map(item => [item.diagnosis.id, item.causedBy]),
			[
				['stale-devshell-gc', undefined],
				['pyo3-python-interpreter-invalid', 'stale-devshell-gc'],
			],
		);
		assert.deepEqual(withProvenCauses([symptom], [finding(entry('linker-cc-not-found'), 0.8)]).map(item => item.diagnosis.id), ['pyo3-python-interpreter-invalid']);
	});

	it('shows the symptom under its cause in the report', () => {
		// Given a cause and the symptom it explains
		const ordered = sortFindings([finding(entry('nix-store-readonly-artifacts'), 0.8), finding(entry('pyo3-rebuild-env-drift'), 0.55)]);
		// When the report is written
		const text = formatFindings(ordered, 'build.log', 10, plainStyle);
		// Then it counts one cause, first, and says which symptom follows from it
		assert.match(text, /^One likely cause in build\.log/);
		assert.match(text, /1\. .*\[pyo3-rebuild-env-drift\][^]*… which is why: .*\[nix-store-readonly-artifacts\]/);
		assert.doesNotMatch(text, /2\. /);
	});
});

describe('nothing silent', () => {
	it('names the failure lines and the closest classes when nothing reaches the threshold', () => {
		// Given a cargo failure of no known class (its last lines as cargo prints them)
		const log = [
			'   Compiling pyo3 v0.30.1',
			'error[E0425]: cannot find value `x` in this scope',
			' --> src/lib.rs:3:5',
			'error: could not compile `demo` (lib) due to 1 previous error',
		].join('\n');
		const scan = scanLog(knowledge, log);
		const findings = rankFindings(knowledge, scan);
		// When what came close is asked for
		const unmatched = whatCameClose(knowledge, scan, findings);
		// Then the error lines are named, by their line numbers, and the report shows them
		assert.deepEqual(findings, []);
		assert.deepEqual(unmatched?.failureLines.map(line => line.line), [2, 4]);
		// and no class comes close on `pyo3` alone, a line logs of every class share
		assert.deepEqual(unmatched?.closest.map(close => close.diagnosis.id), []);
		const text = formatFindings(findings, 'build.log', 4, plainStyle, undefined, undefined, unmatched);
		assert.match(text, /These lines read as the failure:\n {2}line 2: error\[E0425\]/);
	});

	it('lists a class that only resembles the log as closest, not as a finding', () => {
		// Given a log with a line that, in the labelled logs, mostly came with one class, but none of its anchors
		const log = '🖨 Copied external shared libraries to package demo.libs directory:\nerror: build failed\n';
		const scan = scanLog(knowledge, log);
		// When it is ranked and what came close is asked for
		const findings = rankFindings(knowledge, scan);
		const unmatched = whatCameClose(knowledge, scan, findings);
		// Then there is no finding, the failure line is named and that class comes close, with its score
		assert.deepEqual(findings, []);
		assert.deepEqual(unmatched?.failureLines.map(line => line.text), ['error: build failed']);
		assert.equal(unmatched?.closest[0]?.diagnosis.id, 'cdylib-links-libpython');
		assert.ok(unmatched!.closest.every(close => close.confidence >= 0.2 && close.confidence < 1));
	});

	it('scores closeness by what the labelled logs say of each line, not by the weight it adds after an anchor', () => {
		// Given an entry with a context line seen in 1 of 4 labelled logs with it, and an anchor seen in 3 of 3
		const windows = knowledge.find(entry => entry.id === 'windows-python-lib-or-dll-missing')!;
		const [anchor, context] = [windows.compiled.signatures.find(s => s.role === 'anchor')!, windows.compiled.signatures.find(s => s.role === 'context')!];
		const scanWith = (ids: string[]) => ({lines: 1, characters: 1, hits: new Map([[windows.id, new Map(ids.map(id => [id, {count: 1, evidence: [], captures: {}}]))]])});
		const logs: TrainingLog[] = [
			...[1, 2, 3].map(n => ({name: `w${n}`, thread: `w${n}`, label: windows.id, scored: true, scan: scanWith([anchor.id, ...(n === 1 ? [context.id] : [])])})),
			...[1, 2, 3].map(n => ({name: `o${n}`, thread: `o${n}`, label: 'none', scored: true, scan: scanWith([context.id])})),
		];
		// When the closeness is fitted
		const closeness = closenessOf(windows, logs);
		// Then each is (right + 4·base) / (matched + 4), the class being half of the labelled logs
		assert.equal(closeness[anchor.id], 0.714);
		assert.equal(closeness[context.id], 0.375);
	});

	it('says nothing more when there are findings', () => {
		// Given a log with a known failure
		const log = 'error: linker `cc` not found\n  |\n  = note: No such file or directory (os error 2)\n';
		const scan = scanLog(knowledge, log);
		// When what came close is asked for
		// Then it is undefined: the findings speak
		assert.equal(whatCameClose(knowledge, scan, rankFindings(knowledge, scan)), undefined);
	});
});
