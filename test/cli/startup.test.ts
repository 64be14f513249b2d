import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import {cliPath} from '../helpers/cli.js';

const tracer = fileURLToPath(new URL('../fixtures/import-trace/register.mjs', import.meta.url));
const sample = readFileSync(new URL('../../knowledge/diagnoses/extension-module-in-binary/examples/match/rust-lld-cargo-test.log', import.meta.url), 'utf8');

// Lists the modules a CLI run imports: bare package names and relative paths.
function importsOf(args: string[]): string[] {
	const result = spawnSync(process.execPath, ['--import', tracer, cliPath, ...args], {input: sample, encoding: 'utf8', env: {...process.env, CI: 'true'}});
	return [...result.stderr.matchAll(/^import-trace: (.+)$/gm)].map(match => match[1]!);
}

describe('start-up cost of non-interactive commands', () => {
	for (const args of [['--version'], ['diagnose', '--json', '--no-probe'], ['list']]) {
		it(`pyo3-doctor ${args.join(' ')} loads neither Ink nor React, nor the YAML parser and zod`, () => {
			const imports = importsOf(args);
			assert.ok(imports.some(specifier => specifier.endsWith('cli/commands.js')), 'the tracer saw the run');
			const packages = imports.filter(specifier => /^[@a-z]/.test(specifier) && !specifier.includes(':'));
			for (const heavy of ['ink', 'react', 'yaml', 'zod']) {
				assert.ok(!packages.includes(heavy), `${heavy} was imported: ${packages.join(', ')}`);
			}
		});
	}
});
