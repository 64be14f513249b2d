import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Fix} from '../../src/core/knowledge/schema.js';
import {orderFixes, type FixStanding} from '../../src/core/patch/fix-order.js';

function fix(id: string, appliesWhen?: Fix['appliesWhen']): Fix {
	return {id, title: id, steps: [], commands: [], edits: [], ...(appliesWhen ? {appliesWhen} : {})} as Fix;
}

const onNewPyo3 = {fact: 'project.pyo3.version', versionAtLeast: '0.26'};
const ids = (fixes: Fix[]) => fixes.map(candidate => candidate.id);

test('a fix whose condition holds comes first, even before one with a patch', () => {
	const fixes = [fix('manual-steps'), fix('feature-only-for-maturin'), fix('drop-feature', onNewPyo3)];
	const standing = (candidate: Fix): FixStanding => (candidate.id === 'manual-steps' ? 'manual' : 'patch');
	assert.deepEqual(ids(orderFixes(fixes, {project: {pyo3: {version: '0.30.1'}}}, standing)), ['drop-feature', 'feature-only-for-maturin', 'manual-steps']);
});

test('a fix whose condition is false goes last; an unknown fact neither helps nor hurts', () => {
	const fixes = [fix('drop-feature', onNewPyo3), fix('steps'), fix('feature-only-for-maturin')];
	const standing = (candidate: Fix): FixStanding => (candidate.id === 'steps' ? undefined : 'patch');
	assert.deepEqual(ids(orderFixes(fixes, {project: {pyo3: {version: '0.22.6'}}}, standing)), ['feature-only-for-maturin', 'steps', 'drop-feature']);
	assert.deepEqual(ids(orderFixes(fixes, {}, standing)), ['drop-feature', 'feature-only-for-maturin', 'steps']);
});

test('within a group: already applied, then a patch, then the rest, each in the entry order', () => {
	const fixes = [fix('a'), fix('b'), fix('c'), fix('d')];
	const standings: Record<string, FixStanding> = {a: 'manual', b: 'patch', c: 'already-applied', d: 'patch'};
	assert.deepEqual(ids(orderFixes(fixes, {}, candidate => standings[candidate.id])), ['c', 'b', 'd', 'a']);
});

test('without a project (no standings), the entry order is kept apart from conditions', () => {
	const fixes = [fix('a'), fix('b'), fix('c', onNewPyo3)];
	assert.deepEqual(ids(orderFixes(fixes, {})), ['a', 'b', 'c']);
	assert.deepEqual(ids(orderFixes(fixes, {project: {pyo3: {version: '0.26.0'}}})), ['c', 'a', 'b']);
});
