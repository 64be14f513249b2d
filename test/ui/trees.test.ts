import assert from 'node:assert/strict';
import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {test} from 'node:test';
import type {DecisionTree} from '../../src/core/trees/schema.js';
import {leafDiagnosisIds, reachableNodes, validateTree} from '../../src/core/trees/validate.js';
import {answer, back, reopenAutomatic, startWalk} from '../../src/core/trees/walk.js';
import {defaultKnowledgeDir} from '../../src/io/knowledge-dir.js';
import {loadTrees} from '../../src/io/trees-dir.js';
import {canonicalIds} from '../knowledge/canonical-ids.js';

const shipped = loadTrees();
// Entries are written alongside the trees: an id counts as existing once it is canonical or has a folder.
const diagnosisFolders = readdirSync(path.join(defaultKnowledgeDir, 'diagnoses')).filter(name =>
	statSync(path.join(defaultKnowledgeDir, 'diagnoses', name)).isDirectory(),
);
const knownIds = new Set<string>([...canonicalIds, ...diagnosisFolders]);

test('the shipped trees load without problems and cover embedding, extension modules and Nix', () => {
	// Given the trees in knowledge/trees
	// When they are loaded
	// Then none is broken, and the three required topics are there
	assert.deepEqual(shipped.problems, []);
	assert.deepEqual(shipped.trees.map(tree => tree.id).sort(), ['embedding', 'extension-module', 'nix-packaging']);
});

for (const tree of shipped.trees) {
	test(`tree ${tree.id}: every node is reachable and every leaf names an existing diagnosis id`, () => {
		// Given one shipped tree
		// When its nodes and leaves are listed
		// Then each node is reachable from the start and each diagnosis id exists
		assert.deepEqual(reachableNodes(tree).sort(), Object.keys(tree.nodes).sort());
		const unknown = leafDiagnosisIds(tree).filter(id => !knownIds.has(id));
		assert.deepEqual(unknown, [], `unknown diagnosis ids in knowledge/trees/${tree.id}.yaml`);
	});
}

const small: DecisionTree = {
	id: 'small',
	title: 'Small',
	description: 'A tree for tests.',
	start: 'first',
	nodes: {
		first: {question: 'First?', options: [{label: 'to second', next: 'second'}, {label: 'leaf', diagnoses: ['linker-cc-not-found']}]},
		second: {
			question: 'Shared libpython?',
			options: [
				{label: 'No', when: {fact: 'python.shared', equals: false}, says: 'python {{python.version}} is static', next: 'third'},
				{label: 'Yes', diagnoses: ['libpython-not-found-at-link']},
			],
		},
		third: {question: 'Third?', options: [{label: 'a', diagnoses: ['python-static-only-auto-initialize']}, {label: 'b', diagnoses: ['pyo3-links-conflict']}]},
	},
};

test('a question the facts answer is skipped and recorded with what the facts said', () => {
	// Given facts that prove the answer to the second question
	const facts = {python: {shared: false, version: '3.12'}};
	// When the user answers the first question
	const walk = answer(small, startWalk(small, facts), 0, facts);
	// Then the walk is at the third question, with the second answered automatically
	assert.deepEqual(walk.position, {kind: 'question', nodeId: 'third'});
	assert.deepEqual(walk.steps[1], {nodeId: 'second', optionIndex: 0, auto: true, says: 'python 3.12 is static'});
});

test('without the fact, the question is asked', () => {
	// Given no facts
	// When the first question is answered
	const walk = answer(small, startWalk(small, {}), 0, {});
	// Then the second question is asked
	assert.deepEqual(walk.position, {kind: 'question', nodeId: 'second'});
});

test('back undoes the last user answer together with the automatic ones after it', () => {
	// Given a walk that reached a result through one automatic answer
	const facts = {python: {shared: false}};
	const atThird = answer(small, startWalk(small, facts), 0, facts);
	const atResult = answer(small, atThird, 1, facts);
	assert.deepEqual(atResult.position, {kind: 'result', diagnoses: ['pyo3-links-conflict']});
	// When going back twice
	const once = back(atResult);
	const twice = once && back(once);
	// Then the user is at the third question, then at the first (the automatic answer is skipped)
	assert.deepEqual(once?.position, {kind: 'question', nodeId: 'third'});
	assert.deepEqual(twice?.position, {kind: 'question', nodeId: 'first'});
	// And going back from the first question leaves the tree
	assert.equal(twice && back(twice), undefined);
});

test('validation names unreachable nodes, missing targets and loops', () => {
	// Given a tree with an orphan node, a dangling next and a loop
	const broken = {
		...small,
		nodes: {
			...small.nodes,
			orphan: {question: 'Orphan?', options: [{label: 'a', next: 'orphan'}, {label: 'b', next: 'nowhere'}]},
		},
	};
	// When it is validated
	const result = validateTree(broken, 'small.yaml', 'small');
	// Then each problem is named with its field
	assert.equal(result.ok, false);
	const fields = result.ok ? [] : result.problems.map(problem => problem.field);
	assert.ok(fields.includes('nodes.orphan.options[1].next'));
	assert.ok(fields.includes('nodes.orphan'));
});

test('validation rejects an option with both next and diagnoses', () => {
	// Given an option that both continues and concludes
	const bad = {...small, nodes: {...small.nodes, third: {question: 'x', options: [{label: 'a', next: 'first', diagnoses: ['x']}, {label: 'b', diagnoses: ['y']}]}}};
	// When it is validated
	const result = validateTree(bad, 'small.yaml', 'small');
	// Then it is refused
	assert.equal(result.ok, false);
});

test('an automatic answer can be reopened and given by hand', () => {
	// Given a walk where the second question was answered by the facts
	const facts = {python: {shared: false}};
	const atThird = answer(small, startWalk(small, facts), 0, facts);
	// When the automatic answer is reopened
	const reopened = reopenAutomatic(atThird);
	// Then the second question is asked, and a walk without automatic answers cannot be reopened
	assert.deepEqual(reopened?.position, {kind: 'question', nodeId: 'second'});
	assert.deepEqual(reopened?.steps.map(step => step.nodeId), ['first']);
	assert.equal(reopenAutomatic(startWalk(small, {})), undefined);
});
