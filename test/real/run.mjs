// Real-tool suite: breaks tiny real projects with the real tools, diagnoses the real logs,
// applies the suggested patch and rebuilds.
//
// Usage: node test/real/run.mjs [NAME[@VERSION] ...] [--update-logs] [--no-setup] [--list] [--check-only]
//   NAME           run only these scenarios (folder names under test/real/scenarios), on every
//                  pyo3 version they name; NAME@0.22.6 runs one version only
//   --update-logs  rewrite every saved log under test/real/logs (otherwise only new logs, and
//                  logs whose tool versions changed, are written)
//   --no-setup     do not run test/real/setup.sh first
//   --list         print the scenario names and exit
//   --check-only   prepare each scenario and run `check` in it, without the build
//
// A scenario runs on the pyo3 version of its `pyo3` field, and once more on each version listed in
// `variants` (an older pin whose wording or behaviour differs, or a newer one on which the failure
// cannot happen any more: `"expect": "builds"`). Files in `project@VERSION/` replace the project's
// own for that version. One line per run naming its pyo3 version, then the version matrix and
// exactly `N passed, N failed` (`, N skipped` when some were). A run of every scenario also
// regenerates the coverage table in README.md.
//
// `check` runs in each scenario's environment before the build (after `prepare`), as a user
// would run it before waiting for one. `"checkBefore": true` says it must name the class first
// there; `"checkBefore": false` needs `"checkBeforeWhy"`, why the cause cannot be seen before the
// build. Both are asserted: a scenario that check catches but is marked false fails too, so that
// the table and the README stay true. `"checkIn"` is the shell prefix the command itself runs
// behind (a dev shell, direnv, a PATH): check runs behind it too. After a fix turns the build
// green, check runs again and must give no finding at 0.5 or more.
//
// `diagnose` runs on the captured log in the scenario's environment, probes included. Where the
// log alone shows only a symptom and the probes prove the scenario's class, `"offlineId"` (with
// `"offlineIdWhy"`) names what the saved log gives without probes (test/knowledge/real-logs.test.ts).
import {spawnSync} from 'node:child_process';
import {closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const cache = process.env.REAL_CACHE ? path.resolve(process.env.REAL_CACHE) : path.join(repo, '.real-cache');
const scenariosDir = path.join(here, 'scenarios');
const savedLogsDir = path.join(here, 'logs');
const cli = path.join(repo, 'dist', 'cli.js');
const commandTimeoutMs = 15 * 60 * 1000;

const args = process.argv.slice(2);
const flags = new Set(args.filter(argument => argument.startsWith('--')));
const only = args.filter(argument => !argument.startsWith('--'));
const unknownFlags = [...flags].filter(flag => !['--update-logs', '--no-setup', '--list', '--check-only'].includes(flag));
if (unknownFlags.length > 0) {
	console.error(`run.mjs: unknown option ${unknownFlags.join(' ')}`);
	process.exit(2);
}

/** Every scenario definition, sorted by name. */
function loadScenarios() {
	return readdirSync(scenariosDir)
		.filter(name => existsSync(path.join(scenariosDir, name, 'scenario.json')))
		.sort()
		.map(name => ({name, dir: path.join(scenariosDir, name), ...JSON.parse(readFileSync(path.join(scenariosDir, name, 'scenario.json'), 'utf8'))}));
}

/**
The runs of one scenario: its own pyo3 version first, then each variant (the scenario's fields
with the variant's in their place). A variant's log is saved as NAME@VERSION.log.
*/
function runsOf(scenario) {
	const {variants = [], ...base} = scenario;
	return [
		{...base, runName: scenario.name, primary: true},
		...variants.map(variant => ({...base, ...variant, runName: `${scenario.name}@${variant.pyo3}`, primary: false})),
	];
}

const scenarios = loadScenarios();
const allRuns = scenarios.flatMap(scenario => runsOf(scenario));
if (flags.has('--list')) {
	for (const run of allRuns) {
		console.log(`${run.runName}\t${run.id}\tpyo3 ${run.pyo3}${run.expect === 'builds' ? ' (must build)' : ''}`);
	}

	process.exit(0);
}

const unknownNames = only.filter(name => !allRuns.some(run => run.name === name || run.runName === name));
if (unknownNames.length > 0) {
	console.error(`run.mjs: no scenario named ${unknownNames.join(', ')} (see --list)`);
	process.exit(2);
}

const named = only.length > 0 ? allRuns.filter(run => only.includes(run.name) || only.includes(run.runName)) : allRuns;
// A run that must build has no cause for check to find.
const selected = flags.has('--check-only') ? named.filter(run => run.expect !== 'builds') : named;
const started = Date.now();
// Cold: nothing compiled yet, so the measured duration is what a fresh CI machine pays.
const cold = !existsSync(path.join(cache, 'target'));

if (!flags.has('--no-setup')) {
	const setup = spawnSync('bash', [path.join(here, 'setup.sh')], {stdio: ['ignore', 'inherit', 'inherit'], env: {...process.env, REAL_CACHE: cache}});
	if (setup.status !== 0) {
		console.error('run.mjs: test/real/setup.sh failed');
		process.exit(1);
	}
}

const pyenvVersions = path.join(homedir(), '.pyenv', 'versions');
const toolchainBin = path.join(spawnSync('rustc', ['--print', 'sysroot'], {encoding: 'utf8'}).stdout.trim(), 'bin');
const baseEnv = {
	...process.env,
	// cargo and rustc themselves, not rustup's proxies, which need a home a Nix build does not have.
	RUST_TOOLCHAIN_BIN: toolchainBin,
	REAL_CACHE: cache,
	PYENV_VERSIONS: pyenvVersions,
	MATURIN: path.join(cache, 'venv', 'bin', 'maturin'),
	PATH_NO_PYTHON: path.join(cache, 'paths', 'no-python'),
	PATH_NO_CC: path.join(cache, 'paths', 'no-cc'),
	PATH_NO_PATCHELF: path.join(cache, 'paths', 'no-patchelf'),
	// Runs a command in the emulated dev shell of the project's shell.nix.
	ENTER_SHELL: path.join(here, 'helpers', 'enter-shell.sh'),
	CARGO_TERM_COLOR: 'never',
	CARGO_TERM_PROGRESS_WHEN: 'never',
	PIP_DISABLE_PIP_VERSION_CHECK: '1',
	PYO3_DOCTOR_NO_COLOUR: '1',
	NO_COLOR: '1',
	// Single-user Nix as root, offline: no build users, no binary cache to ask.
	NIX_CONFIG: 'build-users-group =\nsubstituters =',
	// check keeps tool answers in $XDG_CACHE_HOME/pyo3-doctor: not in the user's cache.
	XDG_CACHE_HOME: path.join(cache, 'xdg-cache'),
};
// A scenario sets its own interpreter and target directory; nothing inherited may leak in.
for (const name of ['PYO3_PYTHON', 'PYO3_CONFIG_FILE', 'PYO3_BUILD_EXTENSION_MODULE', 'VIRTUAL_ENV', 'CONDA_PREFIX', 'CARGO_TARGET_DIR', 'PYTHONHOME', 'PYTHONPATH', 'RUSTFLAGS']) {
	delete baseEnv[name];
}

/** Replaces ${NAME} with the value from env. */
function expand(text, env) {
	return text.replaceAll(/\$\{(\w+)\}/g, (whole, name) => env[name] ?? whole);
}

function run(command, {cwd, env, logFile, dropCaps = false}) {
	const shell = ['bash', '-c', command];
	// Root ignores file modes; dropping these capabilities makes permission errors real.
	const argv = dropCaps ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search,-fowner', '--', ...shell] : shell;
	const fd = logFile ? openSync(logFile, 'w') : 'pipe';
	try {
		const result = spawnSync(argv[0], argv.slice(1), {cwd, env, stdio: ['ignore', fd, fd], timeout: commandTimeoutMs, maxBuffer: 64 * 1024 * 1024});
		return {status: result.status ?? 1, output: logFile ? readFileSync(logFile, 'utf8') : `${result.stdout ?? ''}${result.stderr ?? ''}`};
	} finally {
		if (typeof fd === 'number') {
			closeSync(fd);
		}
	}
}

function firstLine(text) {
	return text.split('\n').find(line => line.trim() !== '')?.trim() ?? '';
}

/** Versions of the tools every scenario may use, asked once. */
function toolVersions() {
	const ask = command => firstLine(run(command, {cwd: repo, env: baseEnv}).output) || 'absent';
	return {
		rustc: ask('rustc --version'),
		cargo: ask('cargo --version'),
		maturin: ask(`"${baseEnv.MATURIN}" --version 2>/dev/null || echo absent`),
		nix: ask('nix-build --version 2>/dev/null || echo absent'),
		os: ask('. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || uname -s'),
	};
}

function lockedVersion(projectDir, crate) {
	const lock = path.join(projectDir, 'Cargo.lock');
	if (!existsSync(lock)) {
		return undefined;
	}

	return new RegExp(`name = "${crate}"\\nversion = "([^"]+)"`).exec(readFileSync(lock, 'utf8'))?.[1];
}

function pythonVersion(python, env) {
	if (!python) {
		return undefined;
	}

	const interpreter = expand(python, env);
	if (interpreter.endsWith('.txt')) {
		return `${/version=(\S+)/.exec(readFileSync(interpreter, 'utf8'))?.[1] ?? '?'} (described by PYO3_CONFIG_FILE, not installed)`;
	}

	return `${firstLine(run(`"${interpreter}" --version 2>&1`, {cwd: repo, env}).output)} (${interpreter.replace(homedir(), '~')})`;
}

function header(scenario, versions, projectDir, env, status) {
	const pyo3 = lockedVersion(projectDir, 'pyo3') ?? lockedVersion(projectDir, 'pyo3-ffi') ?? scenario.pyo3;
	const tools = [
		versions.rustc,
		versions.cargo,
		pyo3 ? `pyo3 ${pyo3}` : undefined,
		pythonVersion(scenario.python, env),
		versions.maturin,
		versions.nix,
		versions.os,
	].filter(Boolean);
	return [
		'# Real log captured by test/real/run.mjs; the scenario.json beside the project names the command.',
		`# tools: ${tools.join(' · ')}`,
		`# exit status: ${status}`,
		'',
	].join('\n');
}

/** The log without what changes on every run (timings, hashes, addresses, thread ids, the checkout path, line order), to decide whether the saved copy is stale. */
function withoutVolatile(text) {
	return text
		.replaceAll(/^ *(?:Compiling|Checking|Fresh|Downloaded|Downloading|Locking|Adding|Updating|Blocking) .*\n/gm, '')
		.replaceAll(/(?:\d+m )?\d+(?:\.\d+)?m?s\b/g, 'T')
		.replaceAll(/\/rustc[\dA-Za-z]{6}\//g, '/rustcTMP/')
		.replaceAll(/0x[\da-f]+/gi, 'ADDR')
		.replaceAll(/\b[\da-f]{16,}\b/g, 'HASH')
		.replaceAll(/\/nix\/store\/[\da-z]{32}-/g, '/nix/store/HASH-')
		.replaceAll(/\/tmp\/[\w.-]+/g, '/tmp/TMP')
		// rustc 1.95 names the panicking thread with its id: `thread 'main' (12345) panicked`.
		.replaceAll(/^(\s*thread '[^']*') \(\d+\)/gm, '$1')
		.replaceAll(repo, 'REPO')
		// Parallel jobs (cargo, the linker) print in an order that changes from run to run.
		.split('\n')
		.sort()
		.join('\n');
}

function missingRequirement(scenario) {
	for (const requirement of scenario.requires ?? []) {
		const [kind, value] = requirement.split(':');
		if (kind === 'python' && !existsSync(expand(value, baseEnv))) {
			return `needs ${expand(value, baseEnv)}`;
		}

		if (kind === 'root' && process.getuid?.() !== 0) {
			return 'needs root (to drop CAP_DAC_OVERRIDE, or to build in the Nix store)';
		}

		if (kind === 'tool' && run(`command -v ${value} || test -x "${expand(value, baseEnv)}"`, {cwd: repo, env: baseEnv}).status !== 0) {
			return `needs ${value}`;
		}
	}

	return undefined;
}

/** The CLI's JSON answer, or the reason there is none. */
function cliJson(argv, env, cwd = repo) {
	const result = spawnSync(process.execPath, [cli, ...argv], {cwd, env, encoding: 'utf8', timeout: 120_000});
	try {
		return {json: JSON.parse(result.stdout), status: result.status};
	} catch {
		return {error: `exit ${result.status}: ${firstLine(meaningful(result.stderr ?? '') || result.stdout)}`};
	}
}

/**
check run the way the scenario's command runs, behind the same shell prefix (`"$ENTER_SHELL"`,
`direnv exec .`, `PATH=… `): in the dev shell or environment the build would see.
*/
function checkIn(prefix, project, env) {
	const command = `${prefix} "$CHECK_NODE" "$CHECK_CLI" check --json --project "$PROJECT"`;
	const result = spawnSync('bash', ['-c', command], {cwd: project, env: {...env, CHECK_NODE: process.execPath, CHECK_CLI: cli}, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024});
	try {
		return {json: JSON.parse(result.stdout), status: result.status};
	} catch {
		return {error: `exit ${result.status}: ${firstLine(meaningful(result.stderr ?? '') || result.stdout)}`};
	}
}

/** Asked per scenario: entries may be added while a long run is under way. */
function hasEntry(id) {
	return existsSync(path.join(repo, 'knowledge', 'diagnoses', id, 'diagnosis.yaml'));
}
const hasCheck = existsSync(path.join(repo, 'dist', 'commands', 'check.js'));
const hasFix = existsSync(path.join(repo, 'dist', 'commands', 'fix.js'));

function topOf(answer) {
	return answer.json?.diagnoses?.[0];
}

function describeTop(answer) {
	if (answer.error) {
		return answer.error;
	}

	const top = topOf(answer);
	return top ? `${top.id} ${Number(top.confidence).toFixed(2)}` : 'nothing';
}

function runScenario(scenario, versions) {
	const result = {name: scenario.name, runName: scenario.runName, id: scenario.id, pyo3: scenario.pyo3, expect: scenario.expect, reproduced: 'no', diagnosed: 'no', check: 'pending', patch: 'pending', notes: []};
	const skip = missingRequirement(scenario);
	if (skip) {
		return {...result, skipped: skip};
	}

	const work = path.join(cache, 'work', scenario.runName);
	const project = path.join(work, 'project');
	rmSync(work, {recursive: true, force: true, maxRetries: 3});
	mkdirSync(work, {recursive: true});
	cpSync(path.join(scenario.dir, 'project'), project, {recursive: true});
	const overlay = path.join(scenario.dir, `project@${scenario.pyo3}`);
	if (existsSync(overlay)) {
		cpSync(overlay, project, {recursive: true});
	}

	const lock = scenario.pyo3 && path.join(cache, 'fetch', `pyo3-${scenario.pyo3}`, 'Cargo.lock');
	if (lock && existsSync(lock) && !existsSync(path.join(project, 'Cargo.lock'))) {
		cpSync(lock, path.join(project, 'Cargo.lock'));
	}

	const env = {...baseEnv, PROJECT: project, WORK: work, SCENARIO_DIR: scenario.dir};
	if (scenario.target) {
		// One target directory per pyo3 version and configuration, shared by the scenarios that have both.
		env.CARGO_TARGET_DIR = path.join(cache, 'target', `pyo3-${scenario.pyo3}-${scenario.target}`);
	}

	for (const [name, value] of Object.entries(scenario.env ?? {})) {
		env[name] = expand(value, env);
	}

	if (scenario.prepare) {
		const prepared = run(scenario.prepare, {cwd: project, env});
		if (prepared.status !== 0) {
			result.notes.push(`prepare failed: ${prepared.output.trim().split('\n').slice(-3).join(' | ')}`);
			return result;
		}
	}

	// 1. check --json in the project, in the scenario's environment, before the build.
	if (hasCheck && scenario.expect !== 'builds') {
		const checked = scenario.checkIn ? checkIn(scenario.checkIn, project, env) : cliJson(['check', '--json', '--project', project], env, project);
		writeFileSync(path.join(work, 'check-before.json'), `${JSON.stringify(checked.json ?? checked, null, 2)}\n`);
		const ids = checked.json?.diagnoses?.map(finding => finding.id) ?? [];
		result.check = topOf(checked)?.id === scenario.id ? 'top' : ids.includes(scenario.id) ? 'listed' : 'not found';
		result.checkTop = describeTop(checked);
		if (scenario.checkBefore === true && result.check !== 'top') {
			result.notes.push(`check before the build: top was ${result.checkTop}`);
		} else if (scenario.checkBefore === false && result.check === 'top') {
			result.notes.push('check before the build names it first: set "checkBefore": true');
		} else if (scenario.checkBefore !== true && !scenario.checkBeforeWhy) {
			result.notes.push('scenario.json needs "checkBefore": true, or false with "checkBeforeWhy"');
		}
	}

	if (flags.has('--check-only')) {
		return result;
	}

	// 2. The real command, which must fail (or, on a version where the failure cannot happen, succeed).
	mkdirSync(path.join(cache, 'logs'), {recursive: true});
	const capture = path.join(cache, 'logs', `${scenario.runName}.log`);
	const broken = run(scenario.command, {cwd: project, env, logFile: capture, dropCaps: scenario.dropCaps});
	result.pyo3 = lockedVersion(project, 'pyo3') ?? lockedVersion(project, 'pyo3-ffi') ?? scenario.pyo3;
	if (scenario.expect === 'builds') {
		result.reproduced = broken.status === 0 ? 'gone' : 'yes';
		if (broken.status !== 0) {
			result.notes.push(`expected to build on pyo3 ${result.pyo3}, failed: ${broken.output.trim().split('\n').slice(-2).join(' | ')}`);
		}

		return result;
	}

	if (broken.status === 0) {
		result.notes.push('the broken command succeeded');
		return result;
	}

	result.reproduced = 'yes';
	const log = `${header(scenario, versions, project, env, broken.status)}${broken.output}`;
	writeFileSync(capture, log);
	const saved = path.join(savedLogsDir, `${scenario.runName}.log`);
	if (flags.has('--update-logs') || !existsSync(saved) || withoutVolatile(readFileSync(saved, 'utf8')) !== withoutVolatile(log)) {
		mkdirSync(savedLogsDir, {recursive: true});
		writeFileSync(saved, log);
	}

	// 3. diagnose --json on the captured log.
	const diagnosis = cliJson(['diagnose', '--json', capture], env);
	if (topOf(diagnosis)?.id === scenario.id) {
		result.diagnosed = 'yes';
	} else if (hasEntry(scenario.id)) {
		result.notes.push(`diagnose: top was ${describeTop(diagnosis)}`);
	} else {
		result.diagnosed = 'pending';
		result.notes.push(`no knowledge entry ${scenario.id} yet (top was ${describeTop(diagnosis)})`);
	}

	// 4. The patch, then the rebuild.
	if (scenario.patch?.none) {
		result.patch = 'none';
	} else if (hasFix && hasEntry(scenario.id)) {
		patchAndRebuild(scenario, project, env, result);
	}

	return result;
}

/** Lines of a CLI's stderr without the knowledge loader's notes about entries it skipped. */
function meaningful(text) {
	return text.split('\n').filter(line => !/^knowledge: |^pyo3-doctor: \d+ knowledge problem/.test(line)).join('\n');
}

/**
Asks `fix` for a plan (the scenario's fix, else the first fitting fix that has a patch or a
command), writes the patch or runs the command with --apply --yes, and reruns the build. A
diagnosis whose fixes are all manual steps is reported as such: there is nothing to apply.
*/
function patchAndRebuild(scenario, project, env, result) {
	const planFor = fixId => cliJson(['fix', scenario.id, ...(fixId ? ['--fix', fixId] : []), '--json', '--project', project], env);
	let fixId = scenario.patch?.fixId;
	let plan = planFor(fixId);
	const automatic = status => status === 'patch' || status === 'command';
	if (!fixId && !automatic(plan.json?.status)) {
		const patchable = plan.json?.otherFixes?.find(other => automatic(other.status) && other.fits);
		if (patchable) {
			fixId = patchable.id;
			plan = planFor(fixId);
		}
	}

	if (plan.error || !plan.json) {
		result.patch = 'failed';
		result.notes.push(`fix ${scenario.id} --json: ${plan.error ?? 'no answer'}`);
		return;
	}

	fixId = plan.json.fix?.id ?? fixId;
	result.fixId = fixId;
	if (plan.json.status === 'manual') {
		result.patch = 'manual';
		return;
	}

	result.how = plan.json.status;
	if (!automatic(plan.json.status)) {
		result.patch = 'failed';
		result.notes.push(`fix ${scenario.id} --fix ${fixId}: ${plan.json.status}: ${plan.json.reason ?? ''}`);
		return;
	}

	const fixArgs = ['fix', scenario.id, '--fix', fixId, '--apply', '--yes', '--project', project];
	const fixed = spawnSync(process.execPath, [cli, ...fixArgs], {cwd: repo, env, encoding: 'utf8', timeout: 120_000});
	if (fixed.status !== 0) {
		result.patch = 'failed';
		const said = meaningful(fixed.stderr) || fixed.stdout;
		// A command fix streams the command's output: its last lines say why it failed.
		const why = result.how === 'command' ? said.trim().split('\n').slice(-3).join(' | ') : firstLine(said);
		result.notes.push(`fix ${scenario.id} --fix ${fixId} --apply: exit ${fixed.status}: ${why}`);
		return;
	}

	const after = run(scenario.after ?? scenario.command, {cwd: project, env, dropCaps: scenario.dropCaps});
	const expected = scenario.afterExpect ? new RegExp(scenario.afterExpect, 'm') : undefined;
	if (after.status === 0 && (!expected || expected.test(after.output))) {
		result.patch = 'fixed';
		// A project that builds now must get no finding at 0.5 or more from check.
		const checked = scenario.checkIn ? checkIn(scenario.checkIn, project, env) : cliJson(['check', '--json', '--project', project], env, project);
		result.alarmsAfterFix = (checked.json?.diagnoses ?? []).filter(finding => finding.confidence >= 0.5).map(finding => `${finding.id} ${Number(finding.confidence).toFixed(2)}`);
		if (result.alarmsAfterFix.length > 0) {
			result.notes.push(`check after the fix: ${result.alarmsAfterFix.join(', ')}`);
		}
	} else {
		result.patch = 'failed';
		result.notes.push(`after fix ${fixId}: exit ${after.status}: ${after.output.trim().split('\n').slice(-2).join(' | ')}`);
	}
}

/** check before the build as the scenario expects: first when `checkBefore`, else not first and a reason given. */
function checkAsExpected(result) {
	if (!result.checkAsserted) {
		return true;
	}

	return result.checkBefore === true ? result.check === 'top' : Boolean(result.checkBeforeWhy) && result.check !== 'top';
}

function passed(result) {
	if (result.expect === 'builds') {
		return result.reproduced === 'gone';
	}

	if (flags.has('--check-only')) {
		return checkAsExpected(result);
	}

	return result.reproduced === 'yes'
		&& ['yes', 'pending'].includes(result.diagnosed)
		&& ['fixed', 'pending', 'none', 'manual'].includes(result.patch)
		&& checkAsExpected(result)
		&& !(result.alarmsAfterFix?.length > 0);
}

const versions = toolVersions();
const results = [];
for (const scenario of selected) {
	const scenarioStarted = Date.now();
	const result = runScenario(scenario, versions);
	result.checkAsserted = hasCheck && !result.skipped && scenario.expect !== 'builds';
	result.checkBefore = scenario.checkBefore;
	result.checkBeforeWhy = scenario.checkBeforeWhy;
	result.seconds = Math.round((Date.now() - scenarioStarted) / 1000);
	results.push(result);
	const verdict = result.skipped ? 'skip' : passed(result) ? 'pass' : 'FAIL';
	const detail = result.skipped
		? result.skipped
		: flags.has('--check-only') && result.expect !== 'builds'
			? `check ${result.check} (top: ${result.checkTop}) (${result.seconds}s)`
		: result.expect === 'builds'
			? `${result.reproduced === 'gone' ? 'builds, the failure cannot happen here' : 'still fails'}: ${scenario.why} (${result.seconds}s)`
			: `reproduced ${result.reproduced}, diagnosed ${result.diagnosed}, check ${result.check}, ${result.how === 'command' ? 'command' : 'patch'} ${result.patch} (${result.seconds}s)`;
	console.log(`${verdict} ${scenario.name} (pyo3 ${result.pyo3}): ${detail}${result.notes.length > 0 ? ` — ${result.notes.join('; ')}` : ''}`);
}

const duration = Math.round((Date.now() - started) / 1000);
const skipped = results.filter(result => result.skipped).length;
const failed = results.filter(result => !result.skipped && !passed(result)).length;
const passedCount = results.length - skipped - failed;

if (only.length === 0 && !flags.has('--check-only')) {
	writeCoverage(results, duration);
}

printMatrix(results);
console.log(`real-tool suite: ${Math.floor(duration / 60)} min ${duration % 60} s`);
console.log(`${passedCount} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);

/** The pyo3 version(s) of every scenario, one row each, and the totals per version. */
function printMatrix(allResults) {
	const versionsRun = [...new Set(allResults.map(result => result.pyo3))].sort((a, b) => b.localeCompare(a, 'en', {numeric: true}));
	const cell = result => result.skipped ? 'skip' : !passed(result) ? 'FAIL' : result.expect === 'builds' ? 'builds' : 'pass';
	const width = Math.max(...allResults.map(result => result.name.length));
	console.log(`\nversion matrix (pass: reproduced and diagnosed; builds: the failure cannot happen on that version)`);
	console.log(`${'scenario'.padEnd(width)}  ${versionsRun.map(version => `pyo3 ${version}`.padEnd(12)).join('')}`);
	for (const name of [...new Set(allResults.map(result => result.name))]) {
		const row = versionsRun.map(version => (allResults.find(result => result.name === name && result.pyo3 === version) ?? {}));
		console.log(`${name.padEnd(width)}  ${row.map(result => (result.name ? cell(result) : '–').padEnd(12)).join('')}`);
	}

	for (const version of versionsRun) {
		const ofVersion = allResults.filter(result => result.pyo3 === version);
		const count = verdict => ofVersion.filter(result => cell(result) === verdict).length;
		console.log(`pyo3 ${version}: ${ofVersion.length} runs, ${count('pass')} reproduced and passed, ${count('builds')} built as expected, ${count('FAIL')} failed, ${count('skip')} skipped`);
	}
}

/** Rewrites the generated coverage table between its markers in README.md. */
function writeCoverage(allResults, seconds) {
	const readmePath = path.join(repo, 'README.md');
	const readme = readFileSync(readmePath, 'utf8');
	const begin = '<!-- real-tools:coverage:begin (generated by npm run test:real) -->';
	const end = '<!-- real-tools:coverage:end -->';
	const from = readme.indexOf(begin);
	const to = readme.indexOf(end);
	if (from === -1 || to === -1) {
		return;
	}

	const word = {yes: 'yes', no: 'no', pending: 'no entry yet', fixed: 'yes', failed: 'no', none: 'no file patch', top: 'yes'};
	const rows = allResults.map(result => {
		const scenario = selected.find(candidate => candidate.runName === result.runName);
		const version = scenario.primary ? result.pyo3 : `${result.pyo3} (also)`;
		if (result.skipped) {
			return `| \`${result.id}\` | ${result.name} | ${version} | skipped: ${result.skipped} | – | – | – |`;
		}

		if (result.expect === 'builds') {
			return `| \`${result.id}\` | ${result.name} | ${version} | ${result.reproduced === 'gone' ? 'no, as expected: it builds' : 'yes, unexpectedly'}: ${scenario.why} | – | – | – |`;
		}

		const patch = {
			none: `no file patch: ${scenario.patch?.none}`,
			pending: 'not run (no `fix` command, or no entry, yet)',
			manual: `no: fix \`${result.fixId}\` is manual steps only`,
			fixed: `yes (${result.how === 'command' ? 'command' : 'patch'} of fix \`${result.fixId}\`)`,
			failed: `no: fix \`${result.fixId ?? '?'}\` applied, the command still fails`,
		}[result.patch];
		const check = result.check === 'top' ? 'yes' : `${{listed: 'listed, not first', 'not found': 'no', pending: 'not run'}[result.check]}${scenario.checkBeforeWhy ? `: ${scenario.checkBeforeWhy}` : ''}`;
		return `| \`${result.id}\` | ${result.name} | ${version} | ${word[result.reproduced]} | ${word[result.diagnosed] ?? result.diagnosed} | ${check} | ${patch} |`;
	});
	const notReproduced = JSON.parse(readFileSync(path.join(here, 'not-reproduced.json'), 'utf8'));
	for (const [id, reason] of Object.entries(notReproduced)) {
		rows.push(`| \`${id}\` | – | – | no: ${reason} | – | – | – |`);
	}

	const table = [
		begin,
		'',
		'| class | scenario | pyo3 | reproduced here? | `diagnose` names it first? | `check` names it first, before the build? | a patch or command fix turns the real build green? |',
		'|---|---|---|---|---|---|---|',
		...rows,
		'',
		`Measured: the whole real-tool suite took ${Math.floor(seconds / 60)} min ${seconds % 60} s, ${cold ? 'cold (empty `.real-cache/`, set-up included)' : 'warm (`.real-cache/` reused)'}, ${runsPerVersion(allResults)} (${versions.rustc}; ${versions.maturin}; ${versions.nix}; ${versions.os}; ${machine().cpus} CPU cores).`,
		'',
		end,
	].join('\n');
	writeFileSync(readmePath, `${readme.slice(0, from)}${table}${readme.slice(to + end.length)}`);
}

function runsPerVersion(allResults) {
	const counts = new Map();
	for (const result of allResults) {
		counts.set(result.pyo3, (counts.get(result.pyo3) ?? 0) + 1);
	}

	return [...counts].map(([version, count]) => `${count} runs on pyo3 ${version}`).join(', ');
}

function machine() {
	return {cpus: Number(firstLine(run('nproc', {cwd: repo, env: baseEnv}).output)) || '?'};
}
