import assert from 'node:assert/strict';
import {cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {readFact} from '../../src/core/knowledge/conditions.js';
import {findingsFromFacts} from '../../src/core/match/from-facts.js';
import {collectFacts} from '../../src/probes/collect.js';
import {knowledge} from '../helpers/knowledge.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-nix-evaluated-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

// maturin 1.16 on PATH: with no --compatibility it names wheels manylinux_2_X on this glibc.
async function check(projectDir: string) {
	const env = {...process.env, PATH: `${fixture('bin-maturin-1.16')}${path.delimiter}${process.env.PATH ?? ''}`, PYO3_PYTHON: path.join(fixture('bin-python-3.12'), 'python3')};
	const {facts} = await collectFacts({cwd: scratch, projectDir, env, timeoutMs: 10_000});
	return {facts, findings: findingsFromFacts(knowledge, facts)};
}

describe('check reads the Nix files as Nix', () => {
	it('flags the founding story flake: a let-bound wheel tail in a crane two-step build', async () => {
		// Given the crane two-step flake that spells `wheel_tail = "cp310-cp310-linux_x86_64"` once
		const {facts, findings} = await check(fixture('projects/flake-wheel-let-tail'));
		if (readFact(facts, 'system.os') !== 'linux' || !readFact(facts, 'system.glibcVersion')) {
			return; // The expected platform tag is only known on glibc Linux.
		}

		// Then the resolved name is a fact and the mismatch a finding whose proof names it
		assert.deepEqual(readFact(facts, 'project.nix.hardcodedWheels'), ['greeter-0.1.0-cp310-cp310-linux_x86_64.whl']);
		assert.equal(readFact(facts, 'project.nix.pythonAttr'), 'python310');
		assert.equal(readFact(facts, 'project.nix.hardcodedWheelTagMismatch'), true);
		const finding = findings.find(candidate => candidate.diagnosis.id === 'wheel-filename-hardcoded');
		assert.ok(finding, findings.map(candidate => candidate.diagnosis.id).join(', '));
		assert.ok(finding.confidence >= 0.5);
		assert.match(JSON.stringify(finding.factEvidence), /greeter-0\.1\.0-cp310-cp310-linux_x86_64\.whl/);
	});

	it('does not flag the same flake once maturin is told to write the linux tag it names', async () => {
		// Given the same flake with `--compatibility linux`, as nixpkgs' maturinBuildHook passes
		const root = path.join(scratch, 'pinned');
		cpSync(fixture('projects/flake-wheel-let-tail'), root, {recursive: true});
		const flake = path.join(root, 'flake.nix');
		writeFileSync(flake, readFileSync(flake, 'utf8').replace('maturin build --offline', 'maturin build --compatibility linux --offline'));
		const {facts, findings} = await check(root);
		// Then the tags agree and there is no finding
		assert.equal(readFact(facts, 'project.nix.manylinuxFlag'), 'linux');
		assert.notEqual(readFact(facts, 'project.nix.hardcodedWheelTagMismatch'), true);
		assert.ok(!findings.some(candidate => candidate.diagnosis.id === 'wheel-filename-hardcoded'));
	});

	it('a tail for another Python than the flake builds with is a mismatch whatever maturin does', async () => {
		// Given the tail built for cp310 while the flake's Python becomes python311
		const root = path.join(scratch, 'python311');
		cpSync(fixture('projects/flake-wheel-let-tail'), root, {recursive: true});
		const flake = path.join(root, 'flake.nix');
		writeFileSync(flake, readFileSync(flake, 'utf8').replace('pkgs.python310', 'pkgs.python311').replace('maturin build --offline', 'maturin build --compatibility linux --offline'));
		const {facts} = await check(root);
		assert.equal(readFact(facts, 'project.nix.pythonAttr'), 'python311');
		assert.equal(readFact(facts, 'project.nix.hardcodedWheelTagMismatch'), true);
	});
});
