import {formatFileProblem, type FileProblem} from '../files/parse-problems.js';
import {readFact, type Facts} from '../knowledge/conditions.js';

/** One line of the doctor report: an area, how it looks, what was found, what to do. */
export type CheckLine = {area: string; status: 'ok' | 'warn' | 'error'; found: string; hint?: string};

/** The areas of the report, in the order they are shown. */
export const checkAreas = ['system', 'rust', 'python', 'nix', 'maturin', 'project'] as const;
export type CheckArea = (typeof checkAreas)[number];

/** Why a probe could not answer (timed out, failed), keyed by area; kept out of the facts. */
export type ProbeProblems = Partial<Record<CheckArea, string>>;

/**
Candidate statuses that are no answer at all (see `python.candidates[].status`): the interpreter
did not say what it is, so nothing about it may be concluded.
*/
export const unansweredStatuses: ReadonlySet<string> = new Set(['not-executable', 'timed-out', 'crashed', 'flooded', 'bad-output']);

/** Whether a probe problem is a tool that gave no answer (as opposed to an answer that is an error). */
export function isUnanswered(problem: string | undefined): boolean {
	return problem !== undefined && /did not answer within|crashed \(killed by|printed more than|printed no version|printed something that is not|not executable|time was up|did not finish/.test(problem);
}

const stuckHint = (command: string) =>
	`a shim or wrapper may be stuck (pyenv, asdf, a Nix wrapper, a lock or a network mount): run \`${command}\` by hand to see what it waits for`;

type Get = {
	string: (name: string) => string | undefined;
	boolean: (name: string) => boolean | undefined;
	number: (name: string) => number | undefined;
	list: (name: string) => string[];
};

function getter(facts: Facts): Get {
	return {
		string(name) {
			const value = readFact(facts, name);
			return typeof value === 'string' ? value : undefined;
		},
		boolean(name) {
			const value = readFact(facts, name);
			return typeof value === 'boolean' ? value : undefined;
		},
		number(name) {
			const value = readFact(facts, name);
			return typeof value === 'number' ? value : undefined;
		},
		list(name) {
			const value = readFact(facts, name);
			return Array.isArray(value) ? value.map(String) : [];
		},
	};
}

const line = (area: CheckArea, status: CheckLine['status'], found: string, hint?: string): CheckLine => ({area, status, found, ...(hint ? {hint} : {})});

function systemCheck(get: Get, problem: string | undefined): CheckLine {
	const os = get.string('system.os') ?? 'unknown OS';
	const arch = get.string('system.arch') ?? '?';
	const glibc = get.string('system.glibcVersion');
	const tag = get.string('system.manylinuxTag');
	const nixos = get.boolean('nix.isNixOS') ? ', NixOS' : '';
	if (os === 'linux' && !glibc && isUnanswered(problem)) {
		return line('system', 'warn', `linux ${arch}${nixos}; glibc unknown: ${problem!}`, stuckHint(problem!.split(':')[0]!));
	}

	if (os === 'linux' && !glibc) {
		return line('system', 'ok', `linux ${arch}${nixos}, no glibc found (musl?)`, 'wheels built here need a musllinux tag');
	}

	return line('system', 'ok', `${os} ${arch}${nixos}${glibc ? `, glibc ${glibc}` : ''}${tag ? ` (wheels built here: up to ${tag})` : ''}`);
}

function rustCheck(get: Get, problem: string | undefined): CheckLine {
	const cargo = get.string('rust.cargoVersion');
	const rustc = get.string('rust.rustcVersion');
	if (!cargo || !rustc) {
		if (isUnanswered(problem)) {
			return line('rust', 'warn', problem!, stuckHint(problem!.split(':')[0]!));
		}

		// rustup 1.29: "error: toolchain 'nightly-2021-03-04-x86_64-unknown-linux-gnu' is not installed".
		const missingToolchain = problem ? /toolchain '([^']+)' is not installed/.exec(problem)?.[1] : undefined;
		if (missingToolchain) {
			return line('rust', 'error', problem!, `the project's rust-toolchain file names ${missingToolchain}, which rustup has not installed: rustup toolchain install ${missingToolchain}`);
		}

		if (problem && /rustup|no default is configured/.test(problem)) {
			return line('rust', 'error', problem, 'rustup has no toolchain for this folder: rustup default stable (or install the one rust-toolchain.toml names)');
		}

		return line(
			'rust',
			'error',
			problem ?? `${cargo ? 'rustc' : 'cargo'} not found`,
			'install Rust with rustup, or enter the project\'s dev shell (nix develop) that provides cargo and rustc',
		);
	}

	const linker = get.string('rust.linker') ?? 'cc';
	const found = `cargo ${cargo}, rustc ${rustc}, host ${get.string('rust.hostTriple') ?? '?'}, linker ${linker}`;
	if (get.boolean('rust.linkerFound') === false) {
		return line('rust', 'error', `${found} (not on PATH)`, `install a C toolchain (gcc or clang) or add stdenv.cc to the dev shell; cargo calls ${linker} to link`);
	}

	return line('rust', 'ok', found);
}

function pythonCheck(get: Get, facts: Facts): CheckLine {
	const pyo3Python = get.string('env.PYO3_PYTHON');
	if (get.boolean('derived.pyo3PythonInvalid')) {
		return line('python', 'error', `PYO3_PYTHON=${pyo3Python ?? ''} does not run`, 'point PYO3_PYTHON at an existing interpreter, or unset it');
	}

	if (get.boolean('derived.noPythonFound')) {
		return line('python', 'error', 'no Python interpreter found (PYO3_PYTHON, VIRTUAL_ENV, CONDA_PREFIX, python, python3)', 'install Python 3 or set PYO3_PYTHON to one');
	}

	const candidates = (readFact(facts, 'python.candidates') ?? []) as Array<{status?: string; problem?: string; executable?: string; command?: string}>;
	const unanswered = candidates.filter(candidate => unansweredStatuses.has(candidate.status ?? ''));
	const silence = unanswered.map(candidate => candidate.problem ?? `${candidate.command ?? '?'}: ${candidate.status ?? '?'}`).join('; ');
	const silenceHint = unanswered.length === 0 ? undefined : unansweredHint(unanswered[0]!);
	if (!get.string('python.selected.executable')) {
		return unanswered.length > 0
			? line('python', 'warn', silence, silenceHint)
			: line('python', 'warn', 'no interpreter could be picked', 'run python3 --version by hand');
	}

	const checked = selectedPythonCheck(get, facts);
	if (unanswered.length === 0 || checked.status === 'error') {
		return checked;
	}

	return line('python', 'warn', `${checked.found}; ${silence}`, checked.hint ?? silenceHint);
}

function unansweredHint(candidate: {status?: string; executable?: string; command?: string}): string {
	const file = candidate.executable ?? candidate.command ?? 'python3';
	switch (candidate.status) {
		case 'not-executable': {
			return `chmod +x ${file}, or take it off PATH`;
		}

		case 'crashed': {
			return `run ${file} --version by hand: the interpreter itself crashes`;
		}

		case 'timed-out': {
			return stuckHint(`${file} -c 'import sys; print(sys.version)'`);
		}

		default: {
			return `run ${file} -c 'import sys; print(sys.version)' by hand: something (a wrapper, sitecustomize) prints instead of Python`;
		}
	}
}

function selectedPythonCheck(get: Get, facts: Facts): CheckLine {
	const executable = get.string('python.selected.executable') ?? '?';
	const version = get.string('python.selected.fullVersion') ?? get.string('python.selected.version') ?? '?';
	const implementation = get.string('python.selected.implementation') ?? '';
	const shared = get.boolean('python.selected.sharedLibpython');
	const found = `${implementation} ${version} at ${executable} (from ${get.string('python.selected.source') ?? '?'}), ${shared ? 'shared libpython' : shared === false ? 'static libpython only' : 'libpython unknown'}`;
	if (get.boolean('derived.interpretersDiffer')) {
		const candidates = readFact(facts, 'python.candidates') as Array<{command?: string; version?: string}> | undefined;
		const onPath = (candidates?.find(candidate => candidate.command === 'python3') ?? candidates?.find(candidate => candidate.command === 'python'))?.version ?? '?';
		return line('python', 'warn', `${found}; python3 on PATH is ${onPath}`, 'build and run with the same interpreter, or tests will import a module built for another Python');
	}

	if (get.boolean('derived.pythonAbovePyo3Max')) {
		return line('python', 'error', `${found}; newer than pyo3 ${get.string('project.pyo3.version') ?? ''} supports (up to ${get.string('project.pyo3.maxPython') ?? '?'})`, 'update pyo3, or pick an older Python with PYO3_PYTHON');
	}

	if (get.boolean('derived.pythonBelowPyo3Min')) {
		return line('python', 'error', `${found}; older than pyo3 ${get.string('project.pyo3.version') ?? ''} supports (from ${get.string('project.pyo3.minPython') ?? '?'})`, 'pick a newer Python with PYO3_PYTHON');
	}

	if (get.boolean('derived.autoInitializeWithoutShared')) {
		return line('python', 'error', found, 'the crate enables auto-initialize, which needs a Python built with --enable-shared');
	}

	if (shared && get.boolean('python.selected.libpythonExists') === false) {
		return line('python', 'warn', `${found}, but ${get.string('python.selected.instsoname') ?? 'libpython'} is not in ${get.string('python.selected.libdir') ?? 'LIBDIR'}`, 'the interpreter is incomplete (a development package is missing); install python3-dev or its equivalent');
	}

	if (shared && get.boolean('python.selected.libpythonOnLoaderPath') === false) {
		return line('python', 'warn', `${found}; ${get.string('python.selected.instsoname') ?? 'libpython'} is not on the loader path`, `programs that embed Python (cargo test, cargo run) need LD_LIBRARY_PATH=${get.string('python.selected.libdir') ?? 'LIBDIR'} or an rpath`);
	}

	return line('python', 'ok', found);
}

function nixCheck(get: Get, problem: string | undefined): CheckLine {
	const files = get.list('project.nix.files');
	if (!get.boolean('nix.installed')) {
		return files.some(file => file.endsWith('.nix'))
			? line('nix', 'warn', `not installed, but the project has ${files.join(', ')}`, 'install Nix to use the project\'s flake or shell, or build without it')
			: line('nix', 'ok', 'not installed (not needed for this project)');
	}

	const version = get.string('nix.version');
	if (!version) {
		return line('nix', 'warn', problem ?? 'nix is on PATH but did not report a version', isUnanswered(problem) ? stuckHint('nix --version') : 'check that nix works: nix --version');
	}

	const parts = [`nix ${version}`];
	const flakes = get.boolean('nix.flakesEnabled');
	parts.push(flakes === undefined ? 'flakes unknown' : flakes ? 'flakes on' : 'flakes off');
	parts.push(get.boolean('nix.inShell') ? `inside a Nix shell (${get.string('nix.shellKind') ?? '?'})` : 'not in a Nix shell');
	if (get.boolean('nix.direnv')) {
		parts.push('direnv');
	}

	const found = parts.join(', ');
	if (flakes === false && files.includes('flake.nix')) {
		return line('nix', 'warn', found, 'the project has a flake.nix: enable flakes (experimental-features = nix-command flakes in nix.conf)');
	}

	if (problem) {
		return line('nix', 'warn', `${found}; ${problem}`);
	}

	return line('nix', 'ok', found);
}

function maturinCheck(get: Get, problem: string | undefined): CheckLine {
	const backend = get.string('project.pyproject.buildBackend');
	if (get.boolean('maturin.installed') && !get.string('maturin.version') && problem) {
		return line('maturin', 'warn', problem, isUnanswered(problem) ? stuckHint('maturin --version') : 'check that maturin works: maturin --version');
	}

	if (!get.boolean('maturin.installed')) {
		if (get.boolean('python.selected.hasMaturin')) {
			return line('maturin', 'ok', 'importable in the selected Python (not on PATH)');
		}

		return backend === 'maturin'
			? line('maturin', 'warn', 'not installed, and pyproject.toml builds with maturin', 'pip install maturin (in a virtualenv), or add maturin to the dev shell')
			: line('maturin', 'ok', 'not installed');
	}

	return line('maturin', 'ok', `maturin ${get.string('maturin.version') ?? '(version unknown)'}${get.boolean('patchelf.installed') ? ', patchelf' : ''}`);
}

function projectCheck(get: Get, facts: Facts): CheckLine {
	const unparsable = (readFact(facts, 'files.unparsable') ?? []) as FileProblem[];
	if (unparsable.length > 0) {
		const names = unparsable.map(problem => problem.file.replace(/^PYO3_CONFIG_FILE .*/, 'PYO3_CONFIG_FILE'));
		return line(
			'project',
			'error',
			unparsable.map(problem => formatFileProblem(problem)).join('; '),
			`fix ${names.join(', ')}: cargo, maturin and nix will stop at ${unparsable.length === 1 ? 'it' : 'them'} too, and nothing is concluded from a file until it parses`,
		);
	}

	if (!get.boolean('project.found') && get.boolean('env.cwdUnnamed')) {
		return line('project', 'warn', "this folder's path is not valid UTF-8, so its files could not be read", 'run pyo3-doctor from a path that is, for example through a symbolic link with a UTF-8 name');
	}

	if (!get.boolean('project.found')) {
		return line('project', 'warn', 'no Cargo.toml here or in a parent folder', 'run pyo3-doctor inside the project, or pass --project DIR');
	}

	if (get.boolean('project.cargoGenerateTemplate')) {
		return line('project', 'ok', `${get.string('project.root') ?? '?'} is a cargo-generate template ({{placeholders}} in Cargo.toml): not checked; check the project generated from it`);
	}

	const name = get.string('project.crateName') ?? get.string('project.root') ?? '?';
	const bindings = get.string('project.pyo3.crate') === 'pyo3-ffi' ? 'pyo3-ffi' : 'pyo3';
	const pyo3 = get.boolean('project.pyo3.declared')
		? `${bindings} ${get.string('project.pyo3.version') ?? 'version unknown'}${get.list('project.pyo3.features').length > 0 ? ` [${get.list('project.pyo3.features').join(', ')}]` : ''}${bindings === 'pyo3-ffi' ? ' (raw bindings only)' : ''}`
		: 'no pyo3 dependency';
	const types = get.list('project.crateTypes');
	const backend = get.string('project.pyproject.buildBackend');
	const fromFiles = get.string('project.model') === 'files' && get.string('project.modelProblem') ? [`read from the files (${get.string('project.modelProblem')!})`] : [];
	const found = [name, pyo3, ...(types.length > 0 ? [types.join('+')] : []), ...(backend ? [`build-backend ${backend}`] : []), ...fromFiles].join(', ');

	const missing = get.list('project.target.binariesMissingLibpython');
	if (missing.length > 0) {
		return line('project', 'warn', `${found}; ${missing.length} built program(s) cannot find libpython`, 'set LD_LIBRARY_PATH to the Python LIBDIR, or rebuild with an rpath');
	}

	const epoch = get.number('project.target.epochDatedFiles') ?? 0;
	const readOnly = get.number('project.target.readOnlyFiles') ?? 0;
	const foreign = get.number('project.target.foreignOwnedFiles') ?? 0;
	if (epoch + readOnly + foreign > 0) {
		return line(
			'project',
			'warn',
			`${found}; target/ has ${[epoch ? `${epoch} file(s) dated 1970` : '', readOnly ? `${readOnly} read-only` : '', foreign ? `${foreign} owned by another user` : ''].filter(Boolean).join(', ')}`,
			'target/ holds files copied out of the Nix store or from another user: cargo clean (or chmod -R u+w target)',
		);
	}

	if (get.boolean('project.cargoLockPresent') && get.boolean('project.cargoLockTracked') === false && get.list('project.nix.files').includes('flake.nix')) {
		return line('project', 'warn', `${found}; Cargo.lock is not tracked by git`, 'flakes only see tracked files: git add Cargo.lock');
	}

	if (!get.boolean('project.pyo3.declared')) {
		const members = (readFact(facts, 'project.workspace.pyo3Members') as Array<{name: string; path: string}> | undefined) ?? [];
		if (members.length > 0) {
			const listed = members.map(member => `${member.name} (${member.path})`).join(', ');
			return line('project', 'ok', `workspace ${get.string('project.crateName') ?? (get.string('project.root') ?? '').split('/').at(-1)}; crates that depend on pyo3: ${listed}`);
		}

		return line('project', 'warn', found, get.boolean('project.workspace.isRoot') ? 'no crate of this workspace depends on pyo3 or pyo3-ffi; pass --project DIR for the crate that does' : 'this crate does not depend on pyo3; pass --project DIR for the crate that does');
	}

	return line('project', 'ok', found);
}

/** The report line for one area, from the facts alone. */
export function checkForArea(area: CheckArea, facts: Facts, problems: ProbeProblems = {}): CheckLine {
	const get = getter(facts);
	// Its probes were still running when the check's time ran out: nothing is known about this area.
	if (problems[area]?.startsWith('did not finish')) {
		return line(area, 'warn', problems[area], 'a tool it runs did not answer; pyo3-doctor check --json lists each command\'s status, or raise --timeout');
	}

	switch (area) {
		case 'system': {
			return systemCheck(get, problems.system);
		}

		case 'rust': {
			return rustCheck(get, problems.rust);
		}

		case 'python': {
			return pythonCheck(get, facts);
		}

		case 'nix': {
			return nixCheck(get, problems.nix);
		}

		case 'maturin': {
			return maturinCheck(get, problems.maturin);
		}

		case 'project': {
			return projectCheck(get, facts);
		}
	}
}

/** Every report line, in report order. */
export function checksFromFacts(facts: Facts, problems: ProbeProblems = {}): CheckLine[] {
	return checkAreas.map(area => checkForArea(area, facts, problems));
}
