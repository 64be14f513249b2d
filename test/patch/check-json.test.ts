import assert from 'node:assert/strict';
import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import type {CommandContext} from '../../src/cli/context.js';
import {run} from '../../src/commands/check.js';

const fixture = fileURLToPath(new URL('../fixtures/patch/extension-module-in-binary/inline-table', import.meta.url));

describe('pyo3-doctor check --json', () => {
	it("carries each fix's patch against the project, like diagnose --project", async () => {
		// Given a crate whose Cargo.toml proves extension-module-in-binary without a build
		const project = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-check-'));
		try {
			cpSync(fixture, project, {recursive: true});
			rmSync(path.join(project, 'expected.diff'));
			let out = '';
			const stdout = new PassThrough();
			stdout.on('data', chunk => (out += String(chunk)));
			const context: CommandContext = {argv: ['--json', '--project', project], stdin: new PassThrough(), stdout, stderr: new PassThrough(), env: {CI: 'true', PATH: process.env.PATH, HOME: process.env.HOME}, cwd: project};
			// When check runs with --json
			await run(context);
			// Then the finding's fix has the same diff the fix command makes
			const report = JSON.parse(out) as {diagnoses: Array<{id: string; fixes: Array<{id: string; patch?: {diff: string | null}}>}>};
			const finding = report.diagnoses.find(diagnosis => diagnosis.id === 'extension-module-in-binary');
			assert.ok(finding, out.slice(0, 500));
			const fix = finding.fixes.find(candidate => candidate.id === 'feature-only-for-maturin');
			assert.equal(fix?.patch?.diff, readFileSync(path.join(fixture, 'expected.diff'), 'utf8'));
		} finally {
			rmSync(project, {recursive: true, force: true});
		}
	});
});
