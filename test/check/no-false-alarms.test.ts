import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {planProject, projectKinds} from '../../src/core/init/plan.js';
import {findingsFromFacts} from '../../src/core/match/from-facts.js';
import {loadInitTemplates} from '../../src/io/init-files.js';
import {collectFacts} from '../../src/probes/collect.js';
import {knowledge} from '../helpers/knowledge.js';

// A project that builds must get no finding at 0.5 or more from `check`: every `init` template
// and every fixture project that has nothing wrong, probed with the real tools of this machine,
// a real interpreter and maturin 1.16 on PATH (so the rules that need its version run too).

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-no-false-alarms-'));
after(() => rmSync(scratch, {recursive: true, force: true}));
const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find(candidate => spawnSync(candidate, ['--version']).status === 0);

async function alarms(projectDir: string): Promise<string[]> {
	const env: Record<string, string | undefined> = {...process.env, PATH: `${fixture('bin-maturin-1.16')}${path.delimiter}${process.env.PATH ?? ''}`, PYO3_PYTHON: python};
	for (const name of ['VIRTUAL_ENV', 'CONDA_PREFIX', 'PYO3_CONFIG_FILE', 'PYO3_BUILD_EXTENSION_MODULE', 'PYTHONHOME', 'IN_NIX_SHELL']) {
		delete env[name];
	}

	const {facts} = await collectFacts({cwd: scratch, projectDir, env, timeoutMs: 10_000});
	return findingsFromFacts(knowledge, facts)
		.filter(finding => finding.confidence >= 0.5)
		.map(finding => `${finding.diagnosis.id} ${finding.confidence}: ${finding.summary}`);
}

// The fixture projects that exist to show a problem are the positive fixtures of other tests.
const cleanFixtures = ['crane-artifacts', 'embed-auto-initialize', 'extension-module-for-maturin-only', 'extension-module-lib-only', 'flake-wheel-matching', 'old-pyo3', 'old-pyo3-abi3'];

describe('no false alarms from check', {skip: python ? false : 'no system python3'}, () => {
	it('on every init template, with and without Nix, tracked in git', async () => {
		const templates = loadInitTemplates();
		for (const kind of projectKinds) {
			for (const nix of [false, true]) {
				// Given a project as init writes it (git-tracked, as a flake needs)
				const root = path.join(scratch, `init-${kind}-${nix ? 'nix' : 'plain'}`);
				const files = planProject({name: 'my-demo', kind, nix, python: nix ? {version: '3.12'} : {version: '3.11', executable: python!}}, templates);
				for (const file of files) {
					mkdirSync(path.dirname(path.join(root, file.path)), {recursive: true});
					writeFileSync(path.join(root, file.path), file.content);
				}

				spawnSync('git', ['init', '-q'], {cwd: root});
				spawnSync('git', ['add', '.'], {cwd: root});
				// Then check proves nothing against it
				assert.deepEqual(await alarms(root), [], `${kind}, ${nix ? 'Nix' : 'no Nix'}`);
			}
		}
	});

	it('on every clean fixture project', async () => {
		for (const name of cleanFixtures) {
			const root = path.join(scratch, name);
			cpSync(fixture(`projects/${name}`), root, {recursive: true});
			spawnSync('git', ['init', '-q'], {cwd: root});
			spawnSync('git', ['add', '.'], {cwd: root});
			assert.deepEqual(await alarms(root), [], name);
		}
	});
});
