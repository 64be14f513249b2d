import assert from 'node:assert/strict';
import {readFileSync, rmSync} from 'node:fs';
import {after, describe, it} from 'node:test';
import {readFact} from '../../src/core/knowledge/conditions.js';
import {binWith, faults, healthyProject, killChildren, liveChildren, overloaded, runCheck, scratchDir, snapshot, writeTool, type Fault, type Tool} from './harness.js';

/**
Every external tool the probes call, in every way it can fail, one at a time beside healthy
stand-ins for the others: `check` must end in bounded time, say what happened in the right
words, exit with the code the README gives, prove nothing from a tool that did not answer, and
change nothing in the project.
*/

// A tool that hangs costs its whole timeout, so those cases use a short one; the others a long
// one, which costs nothing when every tool answers and keeps a busy machine from timing them out.
const hangs = new Set<Fault>(['hang-exec', 'hang-fork']);
const timeoutFor = (fault: Fault) => (hangs.has(fault) ? 2000 : 4000);
// The whole check's own limit (two timeouts and two seconds), plus what a healthy check takes on
// this machine right now (measured by the baseline), three times over for a loaded machine.
let healthyMs = 1000;
const boundFor = (fault: Fault) => 2 * timeoutFor(fault) + 2000 + 3 * healthyMs;
// A case that never returns (a hang nothing stopped) fails here instead of holding the suite
// (above any bound the baseline allows for, below the stand-ins' 30 s).
const caseLimitMs = 20_000;
const bins: string[] = [];
after(() => {
	for (const bin of bins) {
		killChildren(bin);
	}

	rmSync(scratchDir, {recursive: true, force: true});
});

const project = healthyProject();
const before = snapshot(project);

type Facts = Record<string, unknown>;
type Expectation = {exit: 0 | 1; words?: RegExp; facts?: (facts: Facts) => void; okAreas?: string[]};

/** The words a tool that did not answer is reported with, by fault. */
const silence: Partial<Record<Fault, RegExp>> = {
	'not-executable': /not executable/,
	// On a loaded machine the area may reach the whole check's limit first: that is said too.
	'hang-exec': /did not answer within 2 s|did not finish within/,
	'hang-fork': /did not answer within 2 s|did not finish within/,
	// Node may still be reading the flood when the limit comes (a busy machine).
	flood: /printed more than 4 MiB|did not answer within/,
	signal: /crashed \(killed by SIGSEGV\)/,
};

const fact = (facts: Facts, name: string) => readFact(facts, name);

async function waitFor(done: () => boolean, ms: number): Promise<void> {
	const until = performance.now() + ms;
	while (!done() && performance.now() < until) {
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

/** What each tool's answer shows in the facts when it was heard. */
const answered: Record<Tool, (facts: Facts) => void> = {
	// Both answer as the same interpreter, listed once.
	python: facts => assert.deepEqual((fact(facts, 'python.candidates') as Array<{status: string}>).map(each => each.status), ['ok']),
	python3: facts => assert.deepEqual((fact(facts, 'python.candidates') as Array<{status: string}>).map(each => each.status), ['ok']),
	cargo: facts => assert.ok(fact(facts, 'rust.cargoVersion')),
	rustc: facts => assert.ok(fact(facts, 'rust.rustcVersion')),
	nix: facts => assert.ok(fact(facts, 'nix.version')),
	'nix-instantiate': facts => assert.deepEqual(fact(facts, 'files.nixParsedBy'), ['nix-instantiate --parse']),
	maturin: facts => assert.ok(fact(facts, 'maturin.version')),
	patchelf: facts => assert.equal(fact(facts, 'patchelf.installed'), true),
	ldconfig: facts => assert.equal(fact(facts, 'python.selected.libpythonOnLoaderPath'), true),
	readelf: facts => assert.deepEqual(fact(facts, 'project.target.binariesMissingLibpython'), []),
	getconf: facts => assert.ok(fact(facts, 'system.glibcVersion')),
	git: facts => assert.equal(fact(facts, 'project.cargoLockTracked'), true),
};

function expectation(tool: Tool, fault: Fault): Expectation {
	if (fault === 'slow' || fault === 'daemon') {
		// It answered (slowly, or leaving a daemon on its pipes), and its answer is used.
		return {exit: 0, facts: facts => answered[tool](facts)};
	}

	const unanswered = fault !== 'missing';
	switch (tool) {
		case 'python':
		case 'python3': {
			if (fault === 'missing') {
				// The other one answers and is the one pyo3 picks: nothing is wrong, not even a warning.
				return {
					exit: 0,
					okAreas: ['python'],
					facts(facts) {
						assert.equal(fact(facts, 'derived.noPythonFound'), false);
						assert.ok(fact(facts, 'python.selected.executable'));
					},
				};
			}

			const words = fault === 'garbage' ? /printed something that is not an interpreter description/ : silence[fault]!;
			return {
				exit: 1,
				words: new RegExp(`\`${tool}\`.*${words.source}`),
				facts(facts) {
					assert.notEqual(fact(facts, 'derived.noPythonFound'), true);
					const candidates = fact(facts, 'python.candidates') as Array<{command: string; status: string; runs?: boolean}> | undefined;
					if (!candidates) {
						// A loaded machine: the area reached the whole check's limit, and nothing about Python is claimed.
						assert.equal(fact(facts, 'python.selected'), undefined);
						return;
					}

					const candidate = candidates.find(each => each.command === tool)!;
					assert.notEqual(candidate.status, 'ok');
					if (fault !== 'not-executable') {
						assert.equal(candidate.runs, undefined);
					}

					// pyo3 tries `python` first: when it does not answer, the one pyo3 picks is unknown.
					assert.equal(fact(facts, 'python.selected.executable') === undefined, tool === 'python');
				},
			};
		}

		case 'cargo':
		case 'rustc': {
			if (fault === 'missing') {
				return {exit: 1, words: new RegExp(`${tool}: not found`)};
			}

			return {exit: 1, words: new RegExp(`${tool}.*${(fault === 'garbage' ? /printed no version/ : silence[fault]!).source}`), facts: facts => assert.equal(fact(facts, 'rust.cargoVersion') === undefined || fact(facts, 'rust.rustcVersion') === undefined, true)};
		}

		case 'nix': {
			if (fault === 'missing') {
				return {exit: 0, words: /nix: not installed/};
			}

			return {exit: 1, words: new RegExp(`nix: .*${(fault === 'garbage' ? /printed no version/ : silence[fault]!).source}`), facts: facts => assert.equal(fact(facts, 'nix.version'), undefined)};
		}

		case 'maturin': {
			if (fault === 'missing') {
				return {exit: 0, words: /maturin: not installed, and pyproject.toml builds with maturin/};
			}

			return {exit: 1, words: new RegExp(`maturin: .*${(fault === 'garbage' ? /printed no version/ : silence[fault]!).source}`)};
		}

		case 'getconf': {
			if (fault === 'missing') {
				// ldd (put beside it for this case) says the version instead.
				return {exit: 0, facts: facts => assert.equal(fact(facts, 'system.glibcVersion'), '2.36')};
			}

			return {exit: 1, words: new RegExp(`system: .*glibc unknown: getconf.*${(fault === 'garbage' ? /printed no version/ : silence[fault]!).source}`)};
		}

		case 'patchelf': {
			return {exit: 0, facts: facts => assert.equal(fact(facts, 'patchelf.installed'), fault === 'missing' ? false : undefined)};
		}

		case 'ldconfig': {
			if (fault === 'missing' || fault === 'not-executable') {
				// Then /sbin/ldconfig answers, and its cache has no stand-in libpython in /opt/python3.12.
				return {exit: 1, words: /libpython3\.12\.so\.1\.0 is not on the loader path/};
			}

			// The loader's cache is unknown, and so is whether it finds libpython: nothing is proven.
			return {exit: 0, facts: facts => unanswered && assert.equal(fact(facts, 'python.selected.libpythonOnLoaderPath'), undefined)};
		}

		case 'readelf': {
			return {exit: 0, facts: facts => assert.equal(fact(facts, 'project.target.binariesMissingLibpython'), undefined)};
		}

		case 'git': {
			return {exit: 0, facts: facts => assert.equal(fact(facts, 'project.cargoLockTracked'), fault === 'garbage' ? true : undefined)};
		}

		case 'nix-instantiate': {
			// Without an answer from it, the flake is checked by the built-in scan instead: it parses.
			// Its exit status is its answer: output it should not have printed does not discard it.
			return {
				exit: 0,
				facts(facts) {
					assert.deepEqual(fact(facts, 'files.unparsable'), []);
					assert.deepEqual(fact(facts, 'files.nixParsedBy'), [fault === 'garbage' ? 'nix-instantiate --parse' : 'built-in scan']);
				},
			};
		}
	}
}

describe('fault injection: the healthy baseline', {skip: overloaded}, () => {
	it('with every stand-in healthy, check finds nothing wrong', async () => {
		const result = await runCheck({project, path: binWith(), timeoutMs: 4000});
		healthyMs = Math.max(healthyMs, result.ms);
		assert.equal(result.code, 0, result.stdout);
		assert.ok(result.json.checks.every(check => check.status === 'ok'), result.stdout);
		assert.deepEqual(snapshot(project), before);
	});
});

const faultyTools: Tool[] = ['python', 'python3', 'cargo', 'rustc', 'nix', 'nix-instantiate', 'maturin', 'patchelf', 'ldconfig', 'readelf', 'getconf', 'git'];
// patchelf is only looked for on PATH, never run: only the faults that change what PATH holds apply to it.
const faultsOf = (tool: Tool): readonly Fault[] => (tool === 'patchelf' ? ['missing', 'not-executable'] : faults);
// The cases mostly wait (on a hanging tool's limit, on node starting): several run at once.
describe('fault injection: every tool', {concurrency: 4, skip: overloaded}, () => {
	for (const tool of faultyTools) {
		describe(`fault injection: ${tool}`, {concurrency: 2}, () => {
			for (const fault of faultsOf(tool)) {
				// Unique names, so that one case can be run alone (test/faults/guards.mjs does).
				it(`${tool}: ${fault}`, {timeout: caseLimitMs}, async () => {
					const expected = expectation(tool, fault);
					const bin = binWith(tool, fault);
					bins.push(bin);
					if (tool === 'getconf' && fault === 'missing') {
						writeTool(bin, 'ldd' as Tool, `printf %s '${readFileSync(new URL('../fixtures/probe-outputs/ldd-version.txt', import.meta.url), 'utf8').replaceAll("'", '')}'`);
					}

					const result = await runCheck({project, path: bin, timeoutMs: timeoutFor(fault)});
					assert.ok(result.ms < boundFor(fault), `took ${Math.round(result.ms)} ms, more than ${Math.round(boundFor(fault))} ms`);
					if (fault === 'hang-fork') {
						// The wrapper's child went with it (a killed process takes a moment to end): a probe leaves nothing running behind.
						await waitFor(() => liveChildren(bin).length === 0, 1000);
						assert.deepEqual(liveChildren(bin), [], 'a child of the hanging wrapper is still running');
					}

					if (expected.words) {
						assert.match(result.stdout, expected.words);
					}

					expected.facts?.(result.json.facts);
					for (const area of expected.okAreas ?? []) {
						assert.equal(result.json.checks.find(check => check.area === area)?.status, 'ok', `${area} is not ok`);
					}

					assert.equal(result.code, expected.exit, result.stdout);
					assert.deepEqual(snapshot(project), before);
				});
			}
		});
	}
});
