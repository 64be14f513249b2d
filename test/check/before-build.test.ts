import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {beforeBuildSummary, proveBeforeBuild, provenArea} from '../../src/core/facts/before-build.js';
import {checkAreas, type CheckLine} from '../../src/core/facts/checks.js';
import {knowledge} from '../helpers/knowledge.js';
import {makeEntry} from '../helpers/entry.js';

const signatures = [{id: 'anchor', literals: ['never in a log'], pattern: 'never in a log', weight: 0.5}];
const checks: CheckLine[] = [
	{area: 'python', status: 'ok', found: 'CPython 3.12'},
	{area: 'nix', status: 'warn', found: 'flakes off', hint: 'enable flakes'},
	{area: 'project', status: 'ok', found: 'ext, pyo3 0.22.0'},
];

describe('the proof step shared by check and the wizard', () => {
	const projectProblem = makeEntry({id: 'project-problem', signatures, provenBy: {when: {fact: 'derived.broken', equals: true}, confidence: 0.9, says: 'broken'}});
	const nixHint = makeEntry({id: 'nix-hint', signatures, provenBy: {when: {fact: 'nix.flakes', equals: false}, confidence: 0.3, says: 'flakes off'}});
	const pythonProblem = makeEntry({id: 'python-problem', signatures, provenBy: {when: {fact: 'derived.tooOld', equals: true}, confidence: 0.4, says: 'too old', area: 'python'}});

	it('marks an area that holds a proven problem, never ✓, and names the problem in its hint', () => {
		// Given facts proving a confident problem in the project, a weak one in Nix and one in Python
		const facts = {derived: {broken: true, tooOld: true}, nix: {flakes: false}};
		// When the proof step runs
		const report = proveBeforeBuild([projectProblem, nixHint, pythonProblem], facts, checks);
		// Then the project line is ✗, the weak Python proof makes its line !, and Nix keeps its own hint too
		assert.deepEqual(report.checks, [
			{area: 'python', status: 'warn', found: 'CPython 3.12', hint: 'known problem: python-problem'},
			{area: 'nix', status: 'warn', found: 'flakes off', hint: 'enable flakes; known problem: nix-hint'},
			{area: 'project', status: 'error', found: 'ext, pyo3 0.22.0', hint: 'known problem: project-problem'},
		]);
		assert.deepEqual(report.findings.map(finding => finding.diagnosis.id).sort(), ['nix-hint', 'project-problem', 'python-problem']);
		// And the summary counts areas and problems
		assert.equal(beforeBuildSummary(report), '3 areas checked, issues in 3 areas, 3 known problems');
	});

	it('leaves the lines as they are when nothing is proven', () => {
		const report = proveBeforeBuild([projectProblem], {derived: {broken: false}}, checks);
		assert.deepEqual(report, {checks, findings: []});
		assert.equal(beforeBuildSummary(report), '3 areas checked, issues in 1 area');
		assert.equal(beforeBuildSummary({checks: [checks[0]!], findings: []}), '1 area checked, no issues found');
	});

	it('files a problem under its stated area, else the area of the first fact it reads, else the project', () => {
		assert.equal(provenArea(pythonProblem), 'python');
		assert.equal(provenArea(nixHint), 'nix');
		assert.equal(provenArea(projectProblem), 'project');
		const anyOf = makeEntry({id: 'any-of', signatures, provenBy: {when: {all: [{not: {fact: 'rust.linkerFound', equals: true}}, {fact: 'project.pyo3.declared', equals: true}]}, confidence: 0.9, says: 'no linker'}});
		assert.equal(provenArea(anyOf), 'rust');
		const derivedFirst = makeEntry({id: 'derived-first', signatures, provenBy: {when: {all: [{fact: 'derived.x', equals: true}, {fact: 'env.Y', exists: true}, {fact: 'nix.flakes', equals: true}]}, confidence: 0.9, says: 'x'}});
		assert.equal(provenArea(derivedFirst), 'nix');
	});

	it('gives every shipped proof a report area', () => {
		for (const entry of knowledge.filter(candidate => candidate.provenBy)) {
			assert.ok((checkAreas as readonly string[]).includes(provenArea(entry)), entry.id);
		}

		// The interpreter problems are filed under Python, not under the project whose pyo3 they compare with
		const byId = new Map(knowledge.map(entry => [entry.id, entry]));
		for (const id of ['python-too-new-for-pyo3', 'python-too-old-for-pyo3', 'no-python-interpreter-found', 'python-static-only-auto-initialize']) {
			assert.equal(provenArea(byId.get(id)!), 'python', id);
		}

		assert.equal(provenArea(byId.get('extension-module-in-binary')!), 'project');
		assert.equal(provenArea(byId.get('linker-cc-not-found')!), 'rust');
		// A proof that starts from a derived fact is filed by the first fact of an area it reads
		assert.equal(provenArea(byId.get('pyo3-python-interpreter-invalid')!), 'python');
		// And an entry that says its area keeps it
		assert.equal(provenArea(byId.get('rust-toolchain-missing-or-old')!), 'rust');
		assert.equal(provenArea(byId.get('maturin-patchelf-missing')!), 'maturin');
	});
});
