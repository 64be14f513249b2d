import path from 'node:path';
import {checkAreas, checkForArea, type CheckArea, type CheckLine, type ProbeProblems} from '../core/facts/checks.js';
import {deriveFacts} from '../core/facts/derive.js';
import type {Facts} from '../core/knowledge/conditions.js';
import {findOnPath, makeProbeContext, type ProbeContext} from './context.js';
import {loaderFinds, probeLoaderCache} from './libraries.js';
import {probeNix} from './nix.js';
import {findProjectRoot} from '../io/project-root.js';
import {probeProject, readCargoConfig} from './project.js';
import {probePythonCandidates, realPath, selectInterpreter, type PythonCandidate} from './python.js';
import {probeRust} from './rust.js';
import {probeSystem} from './system.js';
import {probeMaturin, probePatchelf} from './tools.js';

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

	if (env.PYO3_PYTHON) {
		facts.PYO3_PYTHONExists = findOnPath(env.PYO3_PYTHON, env, cwd) !== undefined;
	}

	if (env.PYO3_CONFIG_FILE) {
		facts.PYO3_CONFIG_FILEAbsolute = path.isAbsolute(env.PYO3_CONFIG_FILE);
	}

	return facts;
}

function candidateFacts(candidate: PythonCandidate) {
	return {
		executable: candidate.info?.executable ?? candidate.resolved ?? candidate.command,
		command: candidate.command,
		source: candidate.source,
		runs: candidate.info !== undefined,
		...(candidate.info
			? {version: candidate.info.version, sharedLibpython: candidate.info.sharedLibpython, libpythonExists: candidate.info.libpythonExists}
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
	facts.selected = {
		executable,
		source: selected.source,
		runs: info !== undefined,
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
					...(onLoaderPath === undefined ? {} : {libpythonOnLoaderPath: onLoaderPath}),
					...(info.extSuffix ? {extSuffix: info.extSuffix} : {}),
					...(info.soabi ? {soabi: info.soabi} : {}),
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

// Drops the internal `problem` note from a probe's result, keeping it for the report.
function withoutProblem<T extends {problem?: string}>(result: T): [Omit<T, 'problem'>, string | undefined] {
	const {problem, ...facts} = result;
	return [facts, problem];
}

/**
Runs every probe at once and returns the facts (named as in knowledge/facts.yaml, derived facts
included) and one report line per area. Never throws for a missing, failing or hanging tool: each
command is bounded by `timeoutMs`, and what could not be found out is left absent.
*/
export async function collectFacts(options: CollectOptions, onEvent?: (event: ProbeEvent) => void): Promise<{facts: Facts; checks: CheckLine[]}> {
	const context: ProbeContext = {...makeProbeContext(options), ...(options.run ? {run: options.run} : {})};
	const projectRoot = options.projectDir ? path.resolve(options.cwd, options.projectDir) : findProjectRoot(options.cwd);
	const root = projectRoot && findProjectRoot(projectRoot) === projectRoot ? projectRoot : undefined;
	const cargoConfig = readCargoConfig(root);
	const gathered: Record<string, unknown> = {env: environmentFacts(options.env, options.cwd), patchelf: probePatchelf(options.env)};
	const problems: ProbeProblems = {};
	for (const area of checkAreas) {
		onEvent?.({area, label: labels[area], status: 'running'});
	}

	const loaderCache = probeLoaderCache(context);
	// Each area reports as soon as its own probes are done; its line is refined once all facts are in.
	const finish = async (area: CheckArea, work: Promise<void>) => {
		await work;
		if (onEvent) {
			const check = checkForArea(area, deriveFacts(gathered, options.env), problems);
			onEvent({area, label: labels[area], status: check.status, found: check.found, ...(check.hint ? {hint: check.hint} : {})});
		}
	};

	await Promise.all([
		finish(
			'system',
			probeSystem(context).then(({isNixOS, ...system}) => {
				gathered.system = system;
				gathered.nix = {...(gathered.nix as object), isNixOS};
			}),
		),
		finish(
			'rust',
			probeRust(context, cargoConfig.config.linkers).then(result => {
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
				gathered.maturin = withoutProblem(result)[0];
			}),
		),
		finish(
			'project',
			probeProject(context, root, loaderCache).then(project => {
				gathered.project = project;
			}),
		),
	]);

	const facts = deriveFacts(gathered, options.env);
	return {facts, checks: checkAreas.map(area => checkForArea(area, facts, problems))};
}
