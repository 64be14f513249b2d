import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import {deriveFacts} from '../../src/core/facts/derive.js';
import {readFact, type Facts} from '../../src/core/knowledge/conditions.js';
import {findingsFromFacts} from '../../src/core/match/from-facts.js';
import {withBuildInputs} from '../../src/probes/build-inputs.js';
import {collectFacts} from '../../src/probes/collect.js';
import {makeProbeContext} from '../../src/probes/context.js';
import {probeProject} from '../../src/probes/project.js';
import {knowledge} from '../helpers/knowledge.js';

// The real-repository suite. Stand-ins (test/real-repos/standins/<name>/, always run): small
// projects written for this suite, each reproducing the shape of one public PyO3 repository that
// matters to check (its standin.json names the repository and commit it models, the shape, and the
// verdict). Skeletons (test/real-repos/repos/, run when present): the project files of the public
// repositories themselves, made by test/real-repos/extract.mjs from a local snapshot of each; they
// are other projects' files, so they are not kept in this repository; their verdicts are in
// verdicts.json. A verdict is what an expert says of every crate that depends on pyo3: [] when it
// is fine, the class ids of what is really wrong, "template" for a cargo-generate template. `check`
// must agree exactly: no finding at 0.5 or more that the verdict does not name, and every one it names.
// SURVEY=1 prints what check finds instead of asserting (to write a new verdict); SURVEY_REPO=name keeps one.

type Verdict = string[] | 'template';
type RepoVerdicts = {
	why?: Record<string, string>;
	crates: Record<string, Verdict>;
	roots?: Record<string, Record<string, string[]>>;
	/** Facts check must read in a crate (dotted names as in knowledge/facts.yaml), e.g. the backend or the lock's pyo3. */
	facts?: Record<string, Record<string, unknown>>;
};
type StandIn = RepoVerdicts & {models: string; commit: string; shape: string};
type Repository = {name: string; title: string; dir: string; verdict: RepoVerdicts};

const standinsDir = fileURLToPath(new URL('../real-repos/standins/', import.meta.url));
const reposDir = fileURLToPath(new URL('../real-repos/repos/', import.meta.url));
const verdicts = JSON.parse(readFileSync(fileURLToPath(new URL('../real-repos/verdicts.json', import.meta.url)), 'utf8')) as Record<string, RepoVerdicts>;
const standIns: Repository[] = readdirSync(standinsDir)
	.sort()
	.map(name => {
		const meta = JSON.parse(readFileSync(path.join(standinsDir, name, 'standin.json'), 'utf8')) as StandIn;
		return {name, title: `stand-in ${name} (the shape of https://github.com/${meta.models} at commit ${meta.commit})`, dir: path.join(standinsDir, name), verdict: meta};
	});
const skeletons: Repository[] = (existsSync(reposDir) ? readdirSync(reposDir).sort() : []).map(name => ({
	name,
	title: `real repository ${readFileSync(path.join(reposDir, name, 'SOURCE'), 'utf8').trim()}`,
	dir: path.join(reposDir, name),
	verdict: verdicts[name] ?? {crates: {}},
}));
const survey = process.env.SURVEY === '1';
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-real-repos-'));
after(() => rmSync(scratch, {recursive: true, force: true}));

// The environment is fixed: a stand-in CPython 3.12 as PYO3_PYTHON, nothing from the caller's venv.
const env = {...process.env, PYO3_PYTHON: fileURLToPath(new URL('../fixtures/bin-python-3.12/python3', import.meta.url))};
for (const name of ['VIRTUAL_ENV', 'CONDA_PREFIX', 'PYO3_BUILD_EXTENSION_MODULE', 'PYO3_CONFIG_FILE', 'CARGO_TARGET_DIR']) {
	delete env[name];
}

const environment = collectFacts({cwd: scratch, env, timeoutMs: 20_000}).then(({facts}) => facts);
const context = makeProbeContext({cwd: scratch, env, timeoutMs: 20_000});

/** A repository as a fresh clone: its own git repository, every file tracked (the stand-in's description left out). */
function clone(repository: Repository): string {
	const root = path.join(scratch, repository.name);
	cpSync(repository.dir, root, {recursive: true});
	rmSync(path.join(root, 'standin.json'), {force: true});
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
	const project = withBuildInputs(await probeProject(context, path.join(root, crate), Promise.resolve(undefined)), path.join(root, crate));
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

it('has at least 15 stand-ins, each naming the repository and commit it models', () => {
	assert.ok(standIns.length >= 15, `${standIns.length} stand-ins`);
	for (const standIn of standIns) {
		assert.match(standIn.title, /https:\/\/github\.com\/[\w.-]+\/[\w.-]+ at commit [\da-f]{40}\)$/, standIn.name);
	}
});

for (const repository of [...standIns, ...skeletons].filter(item => !process.env.SURVEY_REPO || item.name === process.env.SURVEY_REPO)) {
	describe(repository.title, () => {
		const root = clone(repository);
		const {name: repo, verdict} = repository;

		it('has an expert verdict for every crate that depends on pyo3', () => {
			if (!survey) {
				assert.deepEqual(pyo3Crates(root).filter(crate => !(crate in verdict.crates)), [], `add them to the verdict of ${repo}`);
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

				for (const [name, value] of Object.entries(verdict.facts?.[crate] ?? {})) {
					if (JSON.stringify(readFact(facts, name)) !== JSON.stringify(value)) {
						disagreements.push(`${crate}: ${name} is ${JSON.stringify(readFact(facts, name))}, expected ${JSON.stringify(value)}`);
					}
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
