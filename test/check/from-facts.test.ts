import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {findingsFromFacts} from '../../src/core/match/from-facts.js';
import {knowledge} from '../helpers/knowledge.js';
import {makeEntry} from '../helpers/entry.js';

const signatures = [{id: 'anchor', literals: ['never in a log'], pattern: 'never in a log', weight: 0.5}];

describe('findings proven by the facts alone', () => {
	const proven = makeEntry({
		id: 'proven-entry',
		signatures,
		facts: [{when: {fact: 'project.hasBins', equals: false}, effect: 'refute', weight: 0.5, says: 'no binaries'}],
		provenBy: {when: {fact: 'derived.pyo3PythonInvalid', equals: true}, confidence: 0.9, says: 'PYO3_PYTHON={{env.PYO3_PYTHON}} does not run'},
	});
	const logOnly = makeEntry({id: 'log-only-entry', signatures});

	it('reports an entry whose provenBy holds, with the filled-in proof as evidence', () => {
		// Given facts that prove the entry's condition
		const facts = {derived: {pyo3PythonInvalid: true}, env: {PYO3_PYTHON: '/opt/python3.99'}};
		// When findings are computed from the facts
		const [finding, ...rest] = findingsFromFacts([proven, logOnly], facts);
		// Then exactly that entry is reported at its confidence, with the proof
		assert.equal(rest.length, 0);
		assert.equal(finding?.diagnosis.id, 'proven-entry');
		assert.equal(finding?.confidence, 0.9);
		assert.deepEqual(finding?.factEvidence[0], {effect: 'confirm', says: 'PYO3_PYTHON=/opt/python3.99 does not run'});
		assert.equal(finding?.summary, 'Summary of proven-entry');
		assert.deepEqual(finding?.evidence, []);
	});

	it('proves nothing from unknown or false facts, and lets refuting facts lower the confidence', () => {
		assert.deepEqual(findingsFromFacts([proven], {}), []);
		assert.deepEqual(findingsFromFacts([proven], {derived: {pyo3PythonInvalid: false}}), []);
		const lowered = findingsFromFacts([proven], {derived: {pyo3PythonInvalid: true}, project: {hasBins: false}});
		assert.equal(lowered[0]?.confidence, 0.45);
	});

	it('proves extension-module-in-binary from the shipped knowledge base', () => {
		const facts = {derived: {extensionModuleWithBinsOrTests: true}, project: {pyo3: {declared: true, extensionModuleDefault: true}}};
		const ids = findingsFromFacts(knowledge, facts).map(finding => finding.diagnosis.id);
		assert.ok(ids.includes('extension-module-in-binary'), ids.join(', '));
	});

	it('uses the proof as the summary when the entry\'s summary needs log captures', () => {
		const withCapture = makeEntry({
			id: 'capture-entry',
			summary: 'The linker misses {{symbol}}.',
			signatures,
			provenBy: {when: {fact: 'derived.pyo3PythonInvalid', equals: true}, confidence: 0.9, says: 'PYO3_PYTHON={{env.PYO3_PYTHON}} does not run'},
		});
		const [finding] = findingsFromFacts([withCapture], {derived: {pyo3PythonInvalid: true}, env: {PYO3_PYTHON: 'py'}});
		assert.equal(finding?.summary, 'PYO3_PYTHON=py does not run');
		assert.ok(!finding?.factEvidence.some(item => item.says === finding.summary), 'the proof is not repeated');
	});
});
