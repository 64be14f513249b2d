/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, afterEach, describe, it} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import {collectFacts} from '../../src/probes/collect.js';
import {App} from '../../src/ui/App.js';
import {runCli} from '../helpers/cli.js';
import {waitForFrame} from '../helpers/ink.js';
import {knowledge} from '../helpers/knowledge.js';
import {fakeDeps} from './fakes.js';

// For every fixture project, the wizard's first screen (real probes, real knowledge base) must
// name exactly the problems `check --json` proves there, with the same area marks and counts.

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const projectsDir = path.join(fixtures, 'projects');
// A workspace root's member crates get their own sections in check, which the wizard does not show yet.
const projects = readdirSync(projectsDir).sort().filter(name => !name.startsWith('workspace-'));
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-wizard-projects-'));
after(() => rmSync(scratch, {recursive: true, force: true}));
afterEach(() => {
	cleanup();
});

// The same environment for both, with a Python 3.12 as the build interpreter, so that results do not hang on this machine's Pythons.
const env = {...process.env, NO_COLOR: '1', PYO3_PYTHON: path.join(fixtures, 'bin-python-3.12', 'python3'), VIRTUAL_ENV: '', CONDA_PREFIX: '', PYO3_BUILD_EXTENSION_MODULE: ''};
// Generous, so that a loaded machine does not time a tool out in one run and not in the other.
const timeoutMs = 20_000;
const marks = {ok: '✓', warn: '!', error: '✗'} as const;
const labels: Record<string, string> = {system: 'System', rust: 'Rust toolchain', python: 'Python interpreter', nix: 'Nix', maturin: 'maturin', project: 'Project files'};

type CheckJson = {checks: Array<{area: string; status: keyof typeof marks}>; diagnoses: Array<{id: string}>};

/** Every knowledge id the text names as a whole word. */
function idsNamed(text: string): string[] {
	return knowledge.map(entry => entry.id).filter(id => new RegExp(`(?<![\\w-])${id}(?![\\w-])`).test(text)).sort();
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const proven: Record<string, number> = {};

describe('the wizard and check agree on every fixture project', () => {
	for (const name of projects) {
		it(name, async () => {
			const projectDir = path.join(projectsDir, name);
			// Given what `check --json` proves for the project
			const result = runCli(['check', '--json', '--timeout', String(timeoutMs), '--project', projectDir], {cwd: scratch, env});
			assert.ok(result.status === 0 || result.status === 1, result.stderr);
			const check = JSON.parse(result.stdout) as CheckJson;
			const expected = check.diagnoses.map(diagnosis => diagnosis.id).sort();
			proven[name] = expected.length;
			// When the wizard starts there, with the real probes and knowledge base
			const deps = fakeDeps({
				collectFacts: async onEvent => collectFacts({cwd: scratch, projectDir, env, timeoutMs}, onEvent),
			});
			const app = render(<App deps={deps} size={{columns: 80, rows: 24}} />);
			const frame = await waitForFrame(app, 'pyo3-doctor: what went wrong?', 60_000);
			// Then its first screen names exactly those ids, above the menu
			const menu = frame.slice(frame.indexOf('pyo3-doctor: what went wrong?'));
			assert.deepEqual(idsNamed(menu.replaceAll('\n', ' ')), expected, frame);
			assert.deepEqual(idsNamed(frame), expected, frame);
			const firstItem = menu.split('\n').find(line => line.startsWith('❯ '));
			assert.equal(firstItem, expected.length === 0 ? '❯ Paste or load a build error' : `❯ See the ${expected.length === 1 ? 'problem' : `${expected.length} problems`} found before the build`);
			// And every area has check's mark
			for (const line of check.checks) {
				const label = labels[line.area] ?? line.area;
				const shown = frame.split('\n').find(candidate => candidate.slice(2).startsWith(`${label}:`));
				assert.equal(shown?.slice(0, 1), marks[line.status], `${line.area} in\n${frame}`);
			}

			// And the counts are check's
			const issues = check.checks.filter(line => line.status !== 'ok').length;
			const parts = [...(issues > 0 ? [`issues in ${plural(issues, 'area')}`] : []), ...(expected.length > 0 ? [plural(expected.length, 'known problem')] : [])];
			assert.match(menu, new RegExp(`^Environment: ${plural(check.checks.length, 'area')} checked, ${parts.length > 0 ? parts.join(', ') : 'no issues found'}\\.$`, 'm'));
		});
	}

	it('covers projects with and without a proven problem', () => {
		assert.ok(Object.values(proven).some(count => count > 0), JSON.stringify(proven));
		assert.ok(Object.values(proven).includes(0), JSON.stringify(proven));
	});
});
