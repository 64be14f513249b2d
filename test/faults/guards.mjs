// Shows that every fault-injection case guards something: removes one guard at a time
// (test/faults/guards.json: edits to a copy of the sources) and runs the cases that guard keeps
// true, which must then fail; and checks that every case of the suite is named by some guard.
// Usage: node test/faults/guards.mjs [GUARD_ID …]     (npm run test:fault-guards)
import {spawnSync} from 'node:child_process';
import {cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const {guards} = JSON.parse(readFileSync(path.join(root, 'test/faults/guards.json'), 'utf8'));
const only = process.argv.slice(2);
const suite = ['test/faults/tools.test.ts', 'test/faults/files.test.ts'];

// A copy of the sources, so that a removed guard never touches the working tree.
const copy = mkdtempSync(path.join(os.tmpdir(), 'pyo3-doctor-guards-'));
for (const entry of ['src', 'test', 'knowledge', 'dist', 'package.json', 'tsconfig.json']) {
	cpSync(path.join(root, entry), path.join(copy, entry), {recursive: true});
}

symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
process.on('exit', () => rmSync(copy, {recursive: true, force: true}));

// Far above what the whole suite takes (about 5 min on 2 cores): only a run stuck for good reaches it.
const runLimitMs = 20 * 60 * 1000;

/**
Runs the suite's cases whose names match `patterns` (all when none): each case's outcome, what the
test process wrote on stderr (why a case may be missing: a crash or a kill), and whether the run
hit its limit.
*/
function run(patterns, files = suite) {
	const result = spawnSync(
		process.execPath,
		[
			'--import',
			'tsx',
			'--test',
			'--test-concurrency=2',
			// A case that timed out leaves its check running; the next case need not wait for it.
			'--test-force-exit',
			'--test-reporter=./test/faults/outcomes-reporter.mjs',
			...patterns.map(pattern => `--test-name-pattern=^(?:${pattern})$`),
			...files,
		],
		// Time bounds are the point: run ahead of whatever else the machine is doing.
		{cwd: copy, encoding: 'utf8', env: {...process.env, FAULTS_IGNORE_LOAD: '1'}, maxBuffer: 64 * 1024 * 1024, timeout: runLimitMs, killSignal: 'SIGKILL'},
	);
	const outcomes = new Map();
	for (const line of result.stdout.split('\n').filter(Boolean)) {
		const {name, file, outcome, error} = JSON.parse(line);
		if (outcome !== 'skipped') {
			outcomes.set(name, {outcome, error, file: path.relative(copy, file)});
		}
	}

	return {
		outcomes,
		said: `${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`,
		hung: result.error?.code === 'ETIMEDOUT',
	};
}

// The built CLI runs its commands from their bundles (src/build/bundle-commands.ts): they are made again too.
function build() {
	const result = spawnSync(process.execPath, [path.join(copy, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {cwd: copy, encoding: 'utf8'});
	if (result.status !== 0) {
		throw new Error(`the sources do not compile with this guard removed:\n${result.stdout}`);
	}

	const bundled = spawnSync(process.execPath, [path.join(copy, 'dist/build/bundle-commands.js')], {cwd: copy, encoding: 'utf8'});
	if (bundled.status !== 0) {
		throw new Error(`the commands do not bundle with this guard removed:\n${bundled.stdout}${bundled.stderr}`);
	}
}

const started = performance.now();
const {outcomes: baseline} = run([]);
const broken = [...baseline].filter(([, {outcome}]) => outcome !== 'passed');
if (baseline.size === 0 || broken.length > 0) {
	console.error(`The suite itself does not pass (${broken.length} of ${baseline.size}):`, broken.map(([name, {error}]) => `${name}: ${error}`).join('\n'));
	process.exit(1);
}

const problems = [];
const named = new Set();
for (const guard of guards.filter(guard => only.length === 0 || only.includes(guard.id))) {
	const originals = new Map();
	for (const edit of guard.edits) {
		const file = path.join(copy, edit.file);
		const text = originals.get(file) ?? readFileSync(file, 'utf8');
		originals.set(file, text);
		const current = readFileSync(file, 'utf8');
		const count = current.split(edit.find).length - 1;
		if (count !== 1) {
			problems.push(`${guard.id}: ${edit.file} has ${count} places like ${JSON.stringify(edit.find.slice(0, 60))}; the guard moved, update guards.json`);
			continue;
		}

		writeFileSync(file, current.replace(edit.find, () => edit.replace));
	}

	if (guard.build) {
		build();
	}

	const cases = [...baseline.keys()].filter(name => guard.cases.some(pattern => new RegExp(`^(?:${pattern})$`).test(name)));
	// Only the files that hold its cases: each file costs a start of the TypeScript loader.
	const filesOf = names => [...new Set(names.map(name => baseline.get(name).file))];
	const {outcomes, said, hung} = cases.length === 0 ? {outcomes: new Map(), said: '', hung: false} : run(guard.cases, filesOf(cases));
	// A case with no outcome at all proves nothing either way: it runs once more, and the first
	// run's stderr is shown, so that a crash of the test process is seen rather than guessed. A run
	// that never ended (a case stuck for good) fails the cases it left without an outcome.
	const unrun = cases.filter(name => !outcomes.has(name));
	if (unrun.length > 0 && hung) {
		for (const name of unrun) {
			outcomes.set(name, {outcome: 'failed', error: `the test run did not end within ${runLimitMs / 60_000} min`});
		}
	} else if (unrun.length > 0) {
		console.log(`     ${guard.id}: ${unrun.length} case(s) gave no outcome; run again. The test process said:\n${said.trim().split('\n').slice(-15).join('\n') || '(nothing)'}`);
		for (const [name, outcome] of run(unrun.map(name => name.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')), filesOf(unrun)).outcomes) {
			outcomes.set(name, outcome);
		}
	}

	const survived = cases.filter(name => outcomes.get(name)?.outcome !== 'failed');
	for (const name of cases) {
		named.add(name);
	}

	console.log(`${survived.length === 0 && cases.length > 0 ? 'ok  ' : 'FAIL'} ${guard.id}: ${cases.length - survived.length} of ${cases.length} cases fail without it`);
	if (cases.length === 0) {
		problems.push(`${guard.id}: its patterns name no case`);
	}

	for (const name of survived) {
		problems.push(`${guard.id}: "${name}" still ${outcomes.get(name)?.outcome ?? 'did not run'} without it`);
	}

	for (const [file, text] of originals) {
		writeFileSync(file, text);
	}

	if (guard.build) {
		build();
	}
}

if (only.length === 0) {
	for (const name of baseline.keys()) {
		if (!named.has(name)) {
			problems.push(`"${name}" is named by no guard`);
		}
	}
}

console.log(`\n${baseline.size} cases, ${named.size} named by ${only.length === 0 ? guards.length : only.length} guards, ${Math.round((performance.now() - started) / 1000)} s`);
if (problems.length > 0) {
	console.log(problems.join('\n'));
	process.exit(1);
}
