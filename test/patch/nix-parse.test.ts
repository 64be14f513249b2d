import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {nixParser} from '../../src/commands/fix.js';
import {planFix, renderDiff} from '../../src/core/patch/plan.js';
import {checkNixSyntax} from '../../src/core/patch/nix-text.js';
import {applyPlan} from '../../src/io/patch-files.js';
import {loadKnowledge} from '../../src/io/knowledge-dir.js';
import {caseFix, patchFixtureCases} from '../helpers/patch-fixtures.js';

// The patched Nix files go through the real parser, so the built-in check is not the only judge.

const hasNix = spawnSync('nix-instantiate', ['--version']).status === 0;
const skip = hasNix ? false : 'nix-instantiate is not installed (Debian: apt-get install nix-bin); only the built-in Nix check ran';
const {entries} = await loadKnowledge();

/** Every fixture's patched Nix files: the expected result of each fix case that changes one. */
function patchedNixFiles(): Array<{name: string; text: string}> {
	const results: Array<{name: string; text: string}> = [];
	for (const {id, name, dir, spec, files} of patchFixtureCases()) {
		if (!existsSync(path.join(dir, 'expected.diff'))) {
			continue;
		}

		const entry = entries.find(candidate => candidate.id === id)!;
		const plan = planFix({entry, fix: caseFix(entry, spec)!, readFile: file => files[file], facts: spec.facts ?? {}});
		if (plan.status !== 'patch') {
			continue;
		}

		for (const file of plan.files.filter(candidate => candidate.path.endsWith('.nix'))) {
			results.push({name: `${id}/${name}/${file.path}`, text: file.after});
		}
	}

	return results;
}

describe('patched Nix files and the real nix-instantiate --parse', () => {
	const parse = nixParser(process.env);
	const patched = patchedNixFiles();

	it('has Nix results to check', () => {
		// Given the fixtures, Then several of them patch a Nix file
		assert.ok(patched.length >= 10, `only ${patched.length} patched Nix files`);
	});

	for (const file of patched) {
		it(`parses ${file.name}`, {skip}, async () => {
			// Given the expected result of the fix, written to a file
			const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-nix-'));
			try {
				const target = path.join(dir, path.basename(file.name));
				writeFileSync(target, file.text);
				// When nix-instantiate parses it
				const problem = await parse(target);
				// Then it parses, and the built-in check agrees
				assert.equal(problem, undefined, problem ?? '');
				assert.equal(checkNixSyntax(file.text), undefined);
			} finally {
				rmSync(dir, {recursive: true, force: true});
			}
		});
	}

	it('rejects, before writing, a Nix file the built-in check lets through', {skip}, async () => {
		// Given a patch whose Nix result has balanced brackets but an empty binding
		const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-nix-'));
		try {
			const before = '{ pkgs }:\npkgs.mkShell {\n  packages = [ pkgs.python3 ];\n}\n';
			const after = '{ pkgs }:\npkgs.mkShell {\n  packages = [ pkgs.python3 ];\n  shellHook = ;\n}\n';
			writeFileSync(path.join(dir, 'shell.nix'), before);
			assert.equal(checkNixSyntax(after), undefined);
			const files = [{path: 'shell.nix', before, after}];
			// When it is applied with the real parser
			const result = await applyPlan(dir, {status: 'patch', files, diff: renderDiff(files), notes: []}, {parseNix: parse});
			// Then nix-instantiate's complaint refuses it and the file is untouched, with no temporary file left
			assert.equal(result.ok, false);
			assert.match(!result.ok ? result.reason : '', /nix-instantiate --parse rejects the patched shell\.nix: .*syntax error/);
			assert.equal(readFileSync(path.join(dir, 'shell.nix'), 'utf8'), before);
			assert.deepEqual(readdirSync(dir), ['shell.nix']);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('says the Nix file was checked by nix-instantiate when it was', {skip}, async () => {
		// Given a valid Nix patch
		const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-nix-'));
		try {
			const before = '{ pkgs }:\npkgs.mkShell { }\n';
			const after = '{ pkgs }:\npkgs.mkShell { PYO3_PYTHON = "${pkgs.python3}/bin/python3"; }\n';
			writeFileSync(path.join(dir, 'shell.nix'), before);
			const files = [{path: 'shell.nix', before, after}];
			// When it is applied with the real parser
			const result = await applyPlan(dir, {status: 'patch', files, diff: renderDiff(files), notes: []}, {parseNix: parse});
			// Then it is written and marked as checked by nix-instantiate
			assert.deepEqual(result.ok && {nixChecked: result.nixChecked}, {nixChecked: true});
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});

	it('treats a missing nix-instantiate as "not checked", not as an error', async () => {
		// Given a PATH without nix
		const parseWithoutNix = nixParser({PATH: '/nonexistent'});
		// When a file is parsed
		// Then the answer is null: not installed
		assert.equal(await parseWithoutNix('/nonexistent/shell.nix'), null);
	});
});
