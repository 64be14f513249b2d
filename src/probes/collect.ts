import {setMaxListeners} from 'node:events';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {checkAreas, checkForArea, type CheckArea, type CheckLine, type ProbeProblems} from '../core/facts/checks.js';
import {deriveFacts} from '../core/facts/derive.js';
import type {Facts} from '../core/knowledge/conditions.js';
import {findOnPath, makeProbeContext, type ProbeContext} from './context.js';
import {loaderFinds, probeLoaderCache} from './libraries.js';
import {probeNix} from './nix.js';
import {findProjectRoot} from '../io/project-root.js';
import type {CargoConfig} from './parsers/project.js';
import {parsePyo3ConfigFile} from './parsers/pyo3-config.js';
import {withBuildInputs} from './build-inputs.js';
import {withPreBuildEvidence} from './pre-build-evidence.js';
import {openProbeCache} from './probe-cache.js';
import {probeProject, readCargoConfig} from './project.js';
import {pyo3SupportFromRegistry} from './pyo3-registry.js';
import {loadProjectModel, pyo3Members} from './project-model.js';
import {probePythonCandidates, realPath, selectInterpreter, unansweredStatuses, type PythonCandidate} from './python.js';
import {probeRust} from './rust.js';
import {probeSystem} from './system.js';
import {fileKind, withoutFactsFromBrokenFiles, type FileProblem} from '../core/files/parse-problems.js';
import {probeFileProblems} from './file-problems.js';
import {formatLimit} from './run-command.js';
import {probeMaturin, probePatchelf} from './tools.js';
import {readText} from './workspace.js';

export type {CheckLine} from '../core/facts/checks.js';
export type {Facts} from '../core/knowledge/conditions.js';

/** Live progress, one area at a time: 'running' first, then how it ended. */
export type ProbeEvent = {area: string; label: string; status: 'running' | 'ok' | 'warn' | 'error'; found?: string; hint?: string};

export type CollectOptions = {
	/** The project folder (--project); default: walk up from cwd to a Cargo.toml. */
	projectDir?: string;
	cwd: string;
	env: Record<string, string | undefined>;
	/** Per external command; default 3000 ms. */
	timeoutMs?: number;
	/** For everything together; default: two commands in a row plus two seconds (`overallDeadlineMs`). */
	deadlineMs?: number;
	/** Keep answers that only change with a tool's files in the user's cache directory (check); default off. */
	cache?: boolean;
	/** Replaces the command runner (tests). */
	run?: ProbeContext['run'];
};

const labels: Record<CheckArea, string> = {
	system: 'System',
	rust: 'Rust toolchain',
	python: 'Python interpreter',
	nix: 'Nix',
	maturin: 'maturin',
	project: 'Project files',
};

/** The environment variables the knowledge base names, as `env.*` facts (only those that are set). */
const reportedVariables = [
	'PYO3_PYTHON',
	'PYO3_CONFIG_FILE',
	'PYO3_BUILD_EXTENSION_MODULE',
	'PYTHONHOME',
	'PYTHONPATH',
	'VIRTUAL_ENV',
	'CONDA_PREFIX',
	'LD_LIBRARY_PATH',
	'CARGO_NET_OFFLINE',
] as const;

function environmentFacts(env: Record<string, string | undefined>, cwd: string): Record<string, unknown> {
	const facts: Record<string, unknown> = {};
	for (const name of reportedVariables) {
		if (env[name] !== undefined && env[name] !== '') {
			facts[name] = env[name];
		}
	}

	// A folder whose path is not UTF-8 reaches Node as a string that names nothing.
	if (!existsSync(cwd)) {
		facts.cwdUnnamed = true;
	}

	if (env.PYO3_PYTHON) {
		facts.PYO3_PYTHONExists = findOnPath(env.PYO3_PYTHON, env, cwd) !== undefined;
	}

	if (env.PYO3_CONFIG_FILE) {
		facts.PYO3_CONFIG_FILEAbsolute = path.isAbsolute(env.PYO3_CONFIG_FILE);
	}

	return facts;
}

/**
The folder a virtualenv's pyvenv.cfg names as its base interpreter (`home = …`) when that folder is
gone: the venv outlived the Python it was made from (a garbage-collected store path, an
uninstalled pyenv version). Read only for an interpreter that does not run.
*/
function missingVenvBase(executable: string): string | undefined {
	// A file of a few lines; readText never opens a FIFO or device named so (it could block).
	const config = readText(path.join(path.dirname(path.dirname(executable)), 'pyvenv.cfg'), 64 * 1024);
	const home = config === undefined ? undefined : venvHome(config);
	return home && path.isAbsolute(home) && !existsSync(home) ? home : undefined;
}

/** The `home` entry of a pyvenv.cfg text. */
export function venvHome(config: string): string | undefined {
	return /^\s*home\s*=\s*(.+?)\s*$/m.exec(config)?.[1];
}

// Whether it runs is known only from an answer; a candidate that did not answer leaves it open.
function runs(candidate: PythonCandidate): boolean | undefined {
	if (candidate.info) {
		return true;
	}

	return unansweredStatuses.has(candidate.status) && candidate.status !== 'not-executable' ? undefined : false;
}

/**
The environment cargo gives pyo3's build script: the process environment, with the project's
.cargo/config.toml `[env]` filling what is unset (and replacing it where `force = true`).
*/
export function cargoBuildEnvironment(env: Record<string, string | undefined>, config: CargoConfig): Record<string, string | undefined> {
	const merged = {...env};
	for (const [name, value] of Object.entries(config.env)) {
		if (merged[name] === undefined || config.forcedEnv?.includes(name)) {
			merged[name] = value;
		}
	}

	return merged;
}

/** What pyo3 will make of PYO3_CONFIG_FILE, when it is set: the problem, or the Python it describes. */
function pyo3ConfigFacts(env: Record<string, string | undefined>, cwd: string): Record<string, unknown> | undefined {
	const file = env.PYO3_CONFIG_FILE;
	if (!file) {
		return undefined;
	}

	if (!path.isAbsolute(file)) {
		return {parses: false, problem: `${file} is not an absolute path`};
	}

	const text = readText(path.resolve(cwd, file));
	if (text === undefined) {
		return {parses: false, problem: `${file} cannot be read`};
	}

	const parsed = parsePyo3ConfigFile(text);
	return parsed.parses ? {parses: true, version: parsed.version, implementation: parsed.implementation, shared: parsed.shared, gilDisabled: parsed.gilDisabled, abi3: parsed.abi3} : parsed;
}

function candidateFacts(candidate: PythonCandidate) {
	const known = runs(candidate);
	return {
		executable: candidate.info?.executable ?? candidate.resolved ?? candidate.command,
		command: candidate.command,
		source: candidate.source,
		status: candidate.status,
		...(known === undefined ? {} : {runs: known}),
		...(candidate.timeoutMs === undefined ? {} : {timeoutMs: candidate.timeoutMs}),
		...(candidate.info
			? {
					version: candidate.info.version,
					sharedLibpython: candidate.info.sharedLibpython,
					libpythonExists: candidate.info.libpythonExists,
					...(candidate.info.extensionSuffixes ? {extensionSuffixes: candidate.info.extensionSuffixes} : {}),
				}
			: {problem: candidate.problem}),
	};
}

function pythonFacts(candidates: PythonCandidate[], env: Record<string, string | undefined>, cache: Map<string, string[]> | undefined) {
	// python and python3 are often the same interpreter: list each once.
	const seen = new Set<string>();
	const distinct = candidates.filter(candidate => {
		if (!candidate.info && !candidate.resolved && candidate.source === 'PATH') {
			return false;
		}

		const key = realPath(candidate.info?.executable ?? candidate.resolved ?? candidate.command);
		return !seen.has(`${key}|${candidate.source}`) && seen.add(`${key}|${candidate.source}`);
	});
	const selected = selectInterpreter(candidates, env);
	const facts: Record<string, unknown> = {
		candidates: distinct.map(candidate => candidateFacts(candidate)),
		candidateVersions: [...new Set(distinct.flatMap(candidate => (candidate.info ? [candidate.info.version] : [])))],
	};
	if (!selected) {
		return facts;
	}

	const info = selected.info;
	const soname = info?.instsoname ?? info?.ldlibrary;
	const onLoaderPath = info?.sharedLibpython && soname ? loaderFinds(soname, {cache, ldLibraryPath: env.LD_LIBRARY_PATH}) : undefined;
	const executable = info?.executable ?? selected.resolved ?? selected.command;
	const selectedRuns = runs(selected);
	const venvBaseMissing = selectedRuns === false ? missingVenvBase(executable) : undefined;
	facts.selected = {
		executable,
		source: selected.source,
		status: selected.status,
		...(selectedRuns === undefined ? {} : {runs: selectedRuns}),
		...(venvBaseMissing ? {venvBaseMissing} : {}),
		...(info
			? {
					version: info.version,
					fullVersion: info.fullVersion,
					implementation: info.implementation,
					prefix: info.prefix,
					basePrefix: info.basePrefix,
					inVenv: info.prefix !== info.basePrefix,
					inNixStore: realPath(executable).startsWith('/nix/store/'),
					sharedLibpython: info.sharedLibpython,
					...(info.libdir ? {libdir: info.libdir} : {}),
					...(info.ldlibrary ? {ldlibrary: info.ldlibrary} : {}),
					...(info.instsoname ? {instsoname: info.instsoname} : {}),
					libpythonExists: info.libpythonExists,
					// What `-lpythonX.Y` needs at link time: LDLIBRARY (libpython3.12.so, or the .a) in LIBDIR, not only the runtime soname.
					...(info.libdir && info.ldlibrary && existsSync(info.libdir) ? {linkLibraryExists: existsSync(path.join(info.libdir, info.ldlibrary))} : {}),
					...(onLoaderPath === undefined ? {} : {libpythonOnLoaderPath: onLoaderPath}),
					...(info.extSuffix ? {extSuffix: info.extSuffix} : {}),
					...(info.soabi ? {soabi: info.soabi} : {}),
					...(info.extensionSuffixes ? {extensionSuffixes: info.extensionSuffixes} : {}),
					gilDisabled: info.gilDisabled,
					externallyManaged: info.externallyManaged,
					sitePackagesWritable: info.sitePackagesWritable,
					wheelTags: info.wheelTags,
					...(info.hasMaturin === undefined ? {} : {hasMaturin: info.hasMaturin}),
				}
			: {}),
	};
	return facts;
}

// Facts of areas that did not finish in time: they may be half-written, so none are kept.
function withoutAreas(gathered: Record<string, unknown>, areas: ReadonlySet<CheckArea>): Record<string, unknown> {
	const kept = structuredClone(gathered);
	for (const area of areas) {
		delete kept[area];
	}

	return kept;
}

// Drops the internal `problem` note from a probe's result, keeping it for the report.
function withoutProblem<T extends {problem?: string}>(result: T): [Omit<T, 'problem'>, string | undefined] {
	const {problem, ...facts} = result;
	return [facts, problem];
}

/**
The whole collection's time limit: a few probes run two commands in a row (getconf then ldd,
ldconfig then readelf), so two timeouts and two seconds for the rest. Whatever has not
answered by then is reported as not finished.
*/
export function overallDeadlineMs(timeoutMs: number): number {
	return 2 * timeoutMs + 2000;
}

/**
Runs every probe at once and returns the facts (named as in knowledge/facts.yaml, derived facts
included) and one report line per area. Never throws for a missing, failing or hanging tool: each
command is bounded by `timeoutMs`, and what could not be found out is left absent.
*/
/** One member crate of a workspace checked from its root: its facts (the environment's plus its own) and report lines. */
export type CrateSection = {name: string; root: string; facts: Facts; checks: CheckLine[]};

export type Collected = {
	facts: Facts;
	checks: CheckLine[];
	/** At a workspace root that is not itself a pyo3 crate: one section per member crate that depends on pyo3. */
	crates?: CrateSection[];
};

export async function collectFacts(options: CollectOptions, onEvent?: (event: ProbeEvent) => void): Promise<Collected> {
	const projectRoot = options.projectDir ? path.resolve(options.cwd, options.projectDir) : findProjectRoot(options.cwd);
	const root = projectRoot && findProjectRoot(projectRoot) === projectRoot ? projectRoot : undefined;
	const cargoConfig = readCargoConfig(root, options.env);
	// pyo3's build script sees .cargo/config.toml's [env] too (PYO3_PYTHON, PYO3_CONFIG_FILE there).
	const buildEnv = cargoBuildEnvironment(options.env, cargoConfig.config);
	options = {...options, env: buildEnv};
	const deadline = new AbortController();
	// Every running command listens for the deadline; there are more than Node's default of ten.
	setMaxListeners(0, deadline.signal);
	const cache = options.cache && !options.run ? openProbeCache(buildEnv) : undefined;
	const context: ProbeContext = {...makeProbeContext(options), ...(options.run ? {run: options.run} : {}), signal: deadline.signal, ...(cache ? {cache} : {})};
	// cargo and rustc run in the project folder, so that its rust-toolchain file applies.
	const rustContext = root ? {...context, cwd: root} : context;
	const model = root ? loadProjectModel(context, root) : undefined;
	let members: Array<{name: string; root: string; project: Record<string, unknown>}> = [];
	const deadlineMs = options.deadlineMs ?? overallDeadlineMs(context.timeoutMs);
	let timer: NodeJS.Timeout | undefined;
	const timeUp = new Promise<'time-up'>(resolve => {
		timer = setTimeout(() => {
			deadline.abort();
			resolve('time-up');
		}, deadlineMs);
	});
	const pyo3Config = pyo3ConfigFacts(buildEnv, options.cwd);
	const gathered: Record<string, unknown> = {env: environmentFacts(options.env, options.cwd), patchelf: probePatchelf(options.env), pkgConfig: {installed: ['pkg-config', 'pkgconf'].some(tool => findOnPath(tool, buildEnv) !== undefined)}, ...(pyo3Config ? {pyo3Config} : {})};
	const problems: ProbeProblems = {};
	for (const area of checkAreas) {
		onEvent?.({area, label: labels[area], status: 'running'});
	}

	const unfinished = new Set<CheckArea>();
	const loaderCache = probeLoaderCache(context);
	// Each area reports as soon as its own probes are done; its line is refined once all facts are in.
	// An area whose probes are still running at the deadline is reported as such; what it finds later is dropped.
	const finish = async (area: CheckArea, work: Promise<void>) => {
		if ((await Promise.race([work, timeUp])) === 'time-up') {
			problems[area] = `did not finish within ${formatLimit(deadlineMs)} (the whole check's limit)`;
			unfinished.add(area);
		}

		if (onEvent) {
			const check = checkForArea(area, deriveFacts(gathered, options.env), problems);
			onEvent({area, label: labels[area], status: check.status, found: check.found, ...(check.hint ? {hint: check.hint} : {})});
		}
	};

	await Promise.all([
		finish(
			'system',
			probeSystem(context).then(({isNixOS, problem, ...system}) => {
				gathered.system = system;
				if (problem) {
					problems.system = problem;
				}

				gathered.nix = {...(gathered.nix as object), isNixOS};
			}),
		),
		finish(
			'rust',
			probeRust(rustContext, cargoConfig.config.linkers).then(result => {
				const [rust, problem] = withoutProblem(result);
				gathered.rust = rust;
				if (problem) {
					problems.rust = problem;
				}
			}),
		),
		finish(
			'python',
			Promise.all([probePythonCandidates(context), loaderCache]).then(([candidates, cache]) => {
				gathered.python = pythonFacts(candidates, options.env, cache);
			}),
		),
		finish(
			'nix',
			probeNix(context).then(result => {
				const [nix, problem] = withoutProblem(result);
				gathered.nix = {...(gathered.nix as object), ...nix};
				if (problem) {
					problems.nix = problem;
				}
			}),
		),
		finish(
			'maturin',
			probeMaturin(context).then(result => {
				const [maturin, problem] = withoutProblem(result);
				gathered.maturin = maturin;
				if (problem) {
					problems.maturin = problem;
				}
			}),
		),
		finish(
			'project',
			(async () => {
				const known = await model;
				const [project, {problems: unparsable, nixParsedBy}] = await Promise.all([probeProject(context, root, loaderCache, known), probeFileProblems(context, root)]);
				const kept = withoutFactsFromBrokenFiles(withPreBuildEvidence(withBuildInputs(project, root), root, buildEnv), unparsable);
				const pyo3 = (kept as {pyo3?: {version?: string}}).pyo3;
				gathered.project = pyo3 ? {...kept, pyo3: {...pyo3, ...pyo3SupportFromRegistry(pyo3.version, options.env)}} : kept;
				gathered.files = {unparsable, ...(nixParsedBy.length > 0 ? {nixParsedBy} : {})};
				// A workspace root that is not a pyo3 crate itself: every pyo3 member is checked on its own.
				if (known && root && (gathered.project as {pyo3?: {declared?: boolean}}).pyo3?.declared !== true && path.resolve(known.workspaceRoot) === path.resolve(root)) {
					members = await Promise.all(
						pyo3Members(known).map(async member => ({
							name: member.manifest.crateName ?? path.basename(member.dir),
							root: member.dir,
							project: await probeProject(context, member.dir, loaderCache, known).then(facts => {
								const withInputs = withPreBuildEvidence(withBuildInputs(facts, member.dir), member.dir, buildEnv);
								const pyo3 = (withInputs as {pyo3?: {version?: string}}).pyo3;
								return pyo3 ? {...withInputs, pyo3: {...pyo3, ...pyo3SupportFromRegistry(pyo3.version, options.env)}} : withInputs;
							}),
						})),
					);
				}
			})(),
		),
	]);

	clearTimeout(timer);
	cache?.save();
	// cargo reads the linker from .cargo/config.toml: when that does not parse, the linker is unknown.
	const unparsable = (gathered.files as {unparsable?: FileProblem[]} | undefined)?.unparsable ?? [];
	if (unparsable.some(problem => fileKind(problem.file) === 'cargo-config') && gathered.rust) {
		const {linker: _linker, linkerFound: _linkerFound, ...rust} = gathered.rust as Record<string, unknown>;
		gathered.rust = rust;
	}

	const facts = deriveFacts(withoutAreas(gathered, unfinished), options.env);
	const checks = checkAreas.map(area => checkForArea(area, facts, problems));
	if (members.length === 0) {
		return {facts, checks};
	}

	const crates = members.map(member => {
		const crateFacts = deriveFacts(withoutAreas({...gathered, project: member.project}, unfinished), options.env);
		return {name: member.name, root: member.root, facts: crateFacts, checks: checkAreas.map(area => checkForArea(area, crateFacts, problems))};
	});
	return {facts, checks, crates};
}
