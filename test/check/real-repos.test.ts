import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {deriveFacts} from '../../src/core/facts/derive.js';
import type {Facts} from '../../src/core/knowledge/conditions.js';
import {findingsFromFacts} from '../../src/core/match/from-facts.js';
import {collectFacts} from '../../src/probes/collect.js';
import {makeProbeContext} from '../../src/probes/context.js';
import {probeProject} from '../../src/probes/project.js';
import {knowledge} from '../helpers/knowledge.js';

// The real-repository suite: skeletons of public PyO3 projects (test/real-repos/repos/, made by
// test/real-repos/extract.mjs from a local snapshot of each repository; each names its source and
// commit; they are not kept in this repository, so without them the suite reports itself skipped)
// and, in verdicts.json, what an
// expert says of every crate in them that depends on pyo3: [] when it is fine, the class ids of
// what is really wrong, "template" for a cargo-generate template. `check` must agree exactly: no
// finding at 0.5 or more that the verdict does not name, and every one it names.
// SURVEY=1 prints what check finds instead of asserting (to write a new verdict); SURVEY_REPO=owner+name keeps one repository.

type Verdict = string[] | 'template';
type RepoVerdicts = {why?: Record<string, string>; crates: Record<string, Verdict>; roots?: Record<string, Record<string, string[]>>};

const reposDir = fileURLToPath(new URL('../real-repos/repos/', import.meta.url));
const skeletons = existsSync(reposDir) ? readdirSync(reposDir).sort() : [];
const verdicts = JSON.parse(readFileSync(fileURLToPath(new URL('../real-repos/verdicts.json', import.meta.url)), 'utf8')) as Record<string, RepoVerdicts>;
const survey = process.env.SURVEY === '1';
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-real-repos-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

// The environment is fixed: a stand-in CPython 3.12 as PYO3_PYTHON, nothing from the caller's venv.
const env = {...process.env, PYO3_PYTHON: fileURLToPath(new URL('../fixtures/bin-python-3.12/python3', import.meta.url))};
for (const name of ['VIRTUAL_ENV', 'CONDA_PREFIX', 'PYO3_BUILD_EXTENSION_MODULE', 'PYO3_CONFIG_FILE', 'CARGO_TARGET_DIR']) {
	delete env[name];
}

const environment = skeletons.length > 0 ? collectFacts({cwd: scratch, env, timeoutMs: 20_000}).then(({facts}) => facts) : Promise.resolve({});
const context = makeProbeContext({cwd: scratch, env, timeoutMs: 20_000});

/** A skeleton as a fresh clone: its own git repository, every file tracked. */
function clone(repo: string): string {
	const root = path.join(scratch, repo);
	cpSync(path.join(reposDir, repo), root, {recursive: true});
	const git = (...args: string[]) => execFileSync('git', args, {cwd: root, stdio: 'ignore'});
	git('init', '-q');
	git('add', '-A');
	git('-c', 'user.email=suite@example.invalid', '-c', 'user.name=suite', 'commit', '-qm', 'skeleton');
	return root;
}

function pyo3Crates(dir: string, base = dir, found: string[] = []): string[] {
	for (const name of readdirSync(dir).sort()) {
		const full = path.join(dir, name);
		if (name === '.git') {
			continue;
		}

		if (statSync(full).isDirectory()) {
			pyo3Crates(full, base, found);
		} else if (name === 'Cargo.toml' && /^\s*(?:pyo3|pyo3-ffi)(?:\.workspace)?\s*=|^\s*\[(?:[\w.-]*\.)?dependencies\.pyo3(?:-ffi)?\]/m.test(readFileSync(full, 'utf8'))) {
			found.push(path.relative(base, dir) || '.');
		}
	}

	return found;
}

const reported = (facts: Facts) =>
	findingsFromFacts(knowledge, facts)
		.filter(finding => finding.confidence >= 0.5)
		.map(finding => finding.diagnosis.id)
		.sort();

async function crateIds(root: string, crate: string): Promise<{ids: string[]; facts: Facts}> {
	const project = await probeProject(context, path.join(root, crate), Promise.resolve(undefined));
	const facts = deriveFacts({...(await environment), project}, env);
	return {ids: reported(facts), facts};
}

/** Runs `work` on every item, `size` at a time (each runs cargo metadata and git). */
async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = [];
	for (let start = 0; start < items.length; start += size) {
		results.push(...(await Promise.all(items.slice(start, start + size).map(async item => work(item)))));
	}

	return results;
}

if (skeletons.length === 0) {
	it('real repositories', {skip: 'no skeletons in test/real-repos/repos/: make them with test/real-repos/extract.mjs from local snapshots of the repositories named in verdicts.json'}, () => {});
}

for (const repo of skeletons.filter(name => !process.env.SURVEY_REPO || name === process.env.SURVEY_REPO)) {
	describe(`real repository ${readFileSync(path.join(reposDir, repo, 'SOURCE'), 'utf8').trim()}`, () => {
		const root = clone(repo);
		const verdict = verdicts[repo] ?? {crates: {}};

		it('has an expert verdict for every crate that depends on pyo3', () => {
			if (!survey) {
				assert.deepEqual(pyo3Crates(root).filter(crate => !(crate in verdict.crates)), [], `add them to test/real-repos/verdicts.json under ${repo}`);
			}
		});

		it('check agrees with the verdict on every crate', async () => {
			const disagreements: string[] = [];
			const crates = survey ? pyo3Crates(root) : Object.keys(verdict.crates);
			const results = await inBatches(crates, 4, async crate => crateIds(root, crate));
			for (const [index, crate] of crates.entries()) {
				const {ids, facts} = results[index]!;
				const expected = verdict.crates[crate];
				if (survey) {
					console.log(`SURVEY ${repo} ${crate} ${JSON.stringify(ids)} ${String((facts.project as {model?: string}).model)}`);
					continue;
				}

				if (expected === 'template') {
					assert.equal((facts.project as {cargoGenerateTemplate?: boolean}).cargoGenerateTemplate, true, `${crate} is a cargo-generate template`);
					assert.deepEqual(ids, [], crate);
					continue;
				}

				if (JSON.stringify(ids) !== JSON.stringify([...(expected ?? [])].sort())) {
					disagreements.push(`${crate}: check says ${JSON.stringify(ids)}, the verdict ${JSON.stringify(expected)}`);
				}
			}

			assert.deepEqual(disagreements, []);
		});

		for (const [at, members] of Object.entries(verdict.roots ?? {})) {
			it(`check at the workspace root ${at} has a section per pyo3 crate, each as the verdict says`, async () => {
				const {crates = []} = await collectFacts({cwd: scratch, projectDir: path.join(root, at), env, timeoutMs: 20_000});
				const sections = Object.fromEntries(crates.map(crate => [crate.name, reported(crate.facts)]));
				if (survey) {
					console.log(`SURVEY-ROOT ${repo} ${at} ${JSON.stringify(sections)}`);
					return;
				}

				assert.deepEqual(sections, Object.fromEntries(Object.entries(members).map(([name, ids]) => [name, [...ids].sort()])));
			});
		}
	});
}
