import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {test} from 'node:test';
import {cliPath} from '../helpers/cli.js';
import {realLog} from './fakes.js';

const tracer = fileURLToPath(new URL('../fixtures/import-trace/register.mjs', import.meta.url));

test('pyo3-doctor with a piped log and no terminal prints the plain report without loading Ink or React', () => {
	// Given a log piped in, stdout a pipe (no terminal), CI unset
	const result = spawnSync(process.execPath, ['--import', tracer, cliPath], {input: realLog, encoding: 'utf8', env: {...process.env, CI: '', NO_COLOR: '1'}});
	// When it runs
	const imports = [...result.stderr.matchAll(/^import-trace: (.+)$/gm)].map(match => match[1]!);
	// Then the plain diagnose report is printed (not the wizard), and neither Ink nor React was loaded
	assert.equal(result.status, 0, result.stderr);
	assert.match(result.stdout, /extension-module-in-binary/);
	for (const heavy of ['ink', 'react', 'ink-select-input']) {
		assert.ok(!imports.includes(heavy), `${heavy} was imported: ${imports.join(', ')}`);
	}
});

test('pyo3-doctor --json with a piped log is the diagnose JSON', () => {
	// Given a log piped in
	// When --json is the only argument
	const result = spawnSync(process.execPath, [cliPath, '--json'], {input: realLog, encoding: 'utf8', env: {...process.env, CI: 'true'}});
	// Then stdout is one JSON object naming the diagnosis
	assert.equal(result.status, 0, result.stderr);
	const output = JSON.parse(result.stdout) as {diagnoses: Array<{id: string}>};
	assert.equal(output.diagnoses[0]?.id, 'extension-module-in-binary');
});
