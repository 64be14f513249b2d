import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {compareVersions, evaluate, fillTemplate} from '../../src/core/knowledge/conditions.js';

const facts = {
	python: {selected: {version: '3.13', sharedLibpython: false, wheelTags: ['manylinux_2_36_x86_64', 'linux_x86_64']}},
	project: {pyo3: {version: '0.20.3', features: ['extension-module']}},
	env: {PYO3_PYTHON: null},
};

describe('conditions over facts', () => {
	it('compares versions numerically', () => {
		assert.equal(compareVersions('3.10', '3.9'), 1);
		assert.equal(compareVersions('0.20.3', '0.21'), -1);
		assert.equal(compareVersions('3.13.0rc1', '3.13'), 0);
	});

	it('evaluates each test', () => {
		assert.equal(evaluate({fact: 'python.selected.version', equals: '3.13'}, facts), true);
		assert.equal(evaluate({fact: 'python.selected.sharedLibpython', equals: true}, facts), false);
		assert.equal(evaluate({fact: 'project.pyo3.features', includes: 'extension-module'}, facts), true);
		assert.equal(evaluate({fact: 'project.pyo3.version', versionBelow: '0.21'}, facts), true);
		assert.equal(evaluate({fact: 'python.selected.version', versionAtLeast: '3.14'}, facts), false);
		assert.equal(evaluate({fact: 'python.selected.version', in: ['3.12', '3.13']}, facts), true);
		assert.equal(evaluate({fact: 'python.selected.wheelTags', includes: 'linux_x86_64'}, facts), true);
		assert.equal(evaluate({fact: 'env.PYO3_PYTHON', exists: false}, facts), true);
		assert.equal(evaluate({fact: 'python.selected.version', matches: '^3\\.1[3-9]$'}, facts), true);
	});

	it('keeps unknown apart from false, so a missing probe neither confirms nor refutes', () => {
		assert.equal(evaluate({fact: 'nix.inShell', equals: true}, facts), undefined);
		assert.equal(evaluate({not: {fact: 'nix.inShell', equals: true}}, facts), undefined);
		assert.equal(evaluate({all: [{fact: 'nix.inShell', equals: true}, {fact: 'python.selected.version', equals: '3.12'}]}, facts), false);
		assert.equal(evaluate({any: [{fact: 'nix.inShell', equals: true}, {fact: 'python.selected.version', equals: '3.13'}]}, facts), true);
		assert.equal(evaluate({any: [{fact: 'nix.inShell', equals: true}]}, facts), undefined);
		assert.equal(evaluate({fact: 'nix.inShell', exists: false}, facts), true);
	});

	it('fills templates from facts and captures, with ? for what is unknown', () => {
		assert.equal(fillTemplate('Python {{python.selected.version}} with pyo3 {{ project.pyo3.version }} ({{symbol}})', {...facts, symbol: 'PyExc_TypeError'}), 'Python 3.13 with pyo3 0.20.3 (PyExc_TypeError)');
		assert.equal(fillTemplate('tags: {{python.selected.wheelTags}}; home {{env.PYTHONHOME}}', facts), 'tags: manylinux_2_36_x86_64, linux_x86_64; home ?');
	});
});
