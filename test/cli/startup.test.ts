import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import {cliPath} from '../helpers/cli.js';

const tracer = fileURLToPath(new URL('../fixtures/import-trace/register.mjs', import.meta.url));
const sample = readFileSync(new URL('../../knowledge/diagnoses/extension-module-in-binary/examples/match/rust-lld-cargo-test.log', import.meta.url), 'utf8');

// Lists the packages a CLI run imports.
function importsOf(args: string[]): string[] {
	const result = spawnSync(process.execPath, ['--import', tracer, cliPath, ...args], {input: sample, encoding: 'utf8', env: {...process.env, CI: 'true'}});
	return [...result.stderr.matchAll(/^import-trace: (.+)$/gm)].map(match => match[1]!);
}

describe('start-up cost of non-interactive commands', () => {
	for (const args of [['--version'], ['diagnose', '--json', '--no-probe'], ['list']]) {
		it(`pyo3-doctor ${args.join(' ')} loads neither Ink nor React, nor the YAML parser and zod`, () => {
			const imports = importsOf(args);
			assert.ok(imports.length > 0 || args[0] === '--version', 'the tracer saw the run');
			for (const heavy of ['ink', 'react', 'yaml', 'zod']) {
				assert.ok(!imports.includes(heavy), `${heavy} was imported: ${imports.join(', ')}`);
			}
		});
	}
});
