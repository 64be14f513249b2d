import {compareVersions, readFact, type Facts} from '../knowledge/conditions.js';
import {withConfigFilePython} from './config-file-python.js';
import {deriveBuildFacts, pythonOnPath} from './derive-build.js';
import {pyo3SupportFor, type Pyo3PythonSupport} from './pyo3-support.js';

/** Puts a value at a dotted path of a plain object, creating the objects on the way. */
function setFact(facts: Facts, dotted: string, value: unknown): void {
	if (value === undefined) {
		return;
	}

	const keys = dotted.split('.');
	let node = facts as Record<string, unknown>;
	for (const key of keys.slice(0, -1)) {
		const next = node[key];
		if (next === null || typeof next !== 'object' || Array.isArray(next)) {
			node[key] = {};
		}

		node = node[key] as Record<string, unknown>;
	}

	node[keys.at(-1)!] = value;
}

const string = (facts: Facts, dotted: string) => {
	const value = readFact(facts, dotted);
	return typeof value === 'string' ? value : undefined;
};

const boolean = (facts: Facts, dotted: string) => {
	const value = readFact(facts, dotted);
	return typeof value === 'boolean' ? value : undefined;
};

/** Platform tag of a wheel file name: `pkg-1.0-cp311-cp311-manylinux_2_28_x86_64.whl` → python "cp311", platform "manylinux_2_28_x86_64". */
export function wheelTags(fileName: string): {python: string; platforms: string[]} | undefined {
	const parts = fileName.replace(/\.whl$/, '').split('-');
	if (parts.length < 5) {
		return undefined;
	}

	return {python: parts.at(-3)!, platforms: parts.at(-1)!.split('.')};
}

/** maturin's legacy manylinux names to PEP 600 ones. */
const legacyManylinux: Record<string, string> = {manylinux1: 'manylinux_2_5', manylinux2010: 'manylinux_2_12', manylinux2014: 'manylinux_2_17'};

/**
The newest manylinux policy each maturin knows (src/auditwheel/manylinux-policy.json at the tags
v0.14.0 and v1.8.0: manylinux_2_35, manylinux_2_39). Older maturin knew none past 2_33 and fell
back to a plain linux tag on newer glibc symbols.
*/
const maturinNewestPolicy: Array<{maturin: string; glibc: string}> = [
	{maturin: '1.8.0', glibc: '2.39'},
	{maturin: '0.14.0', glibc: '2.35'},
];

/**
The platform tag maturin would give a wheel built here: `--manylinux/--compatibility off` (which
nixpkgs' maturinBuildHook passes) or no flag under a Nix build hook gives linux_<arch>; an explicit
manylinux version gives that. With no flag, maturin picks the lowest manylinux policy the library's
glibc symbols fit, so when it knows a policy at least as new as this machine's glibc the tag is
some `manylinux_2_X_<arch>` (returned as `manylinux_*_<arch>`); otherwise it stays unknown.
*/
export function expectedPlatformTag(facts: Facts): string | undefined {
	const arch = string(facts, 'system.arch');
	if (!arch || string(facts, 'system.os') !== 'linux') {
		return undefined;
	}

	const flag = string(facts, 'project.nix.manylinuxFlag');
	if (flag === 'off' || flag === 'linux' || (!flag && boolean(facts, 'project.nix.usesMaturinBuildHook'))) {
		return `linux_${arch}`;
	}

	// maturin build with no flag audits the library and names the wheel by the highest manylinux policy it meets
	// (PyO3/maturin src/auditwheel/linux.rs, auditwheel_rs with platform_tag None, same since v0.14.0).
	if (!flag && boolean(facts, 'project.nix.runsMaturinBuild')) {
		return `manylinux_*_${arch}`;
	}

	if (flag) {
		const pep600 = legacyManylinux[flag] ?? flag;
		return pep600.endsWith(arch) ? pep600 : `${pep600}_${arch}`;
	}

	const maturin = string(facts, 'maturin.version');
	const glibc = string(facts, 'system.glibcVersion');
	const newest = maturin && maturinNewestPolicy.find(policy => compareVersions(maturin, policy.maturin) >= 0);
	return newest && glibc && compareVersions(glibc, newest.glibc) <= 0 ? `manylinux_*_${arch}` : undefined;
}

/** Whether a wheel's platform tag is one maturin would write for `expected` (which may be `manylinux_*_<arch>`). */
function platformMatches(platforms: readonly string[], expected: string): boolean {
	if (expected.startsWith('manylinux_*_')) {
		const arch = expected.slice('manylinux_*_'.length);
		return platforms.some(tag => /^manylinux(?:_\d+_\d+|1|2010|2014)_/.test(tag) && tag.endsWith(arch));
	}

	return platforms.includes(expected);
}

/** The CPython tag a build here targets: from the Nix Python attribute (python311), else the selected interpreter. */
export function expectedPythonTag(facts: Facts): string | undefined {
	const attr = /^python(\d)(\d+)$/.exec(string(facts, 'project.nix.pythonAttr') ?? '');
	if (attr) {
		return `cp${attr[1]}${attr[2]}`;
	}

	const version = string(facts, 'python.selected.version');
	return version && string(facts, 'python.selected.implementation') === 'CPython' ? `cp${version.replace('.', '')}` : undefined;
}

/** Whether a hard-coded wheel name disagrees with what would be built here (Python tag, arch or platform). */
export function wheelTagMismatch(facts: Facts): boolean | undefined {
	const wheels = readFact(facts, 'project.nix.hardcodedWheels');
	if (!Array.isArray(wheels) || wheels.length === 0) {
		return wheels === undefined ? undefined : false;
	}

	const arch = string(facts, 'system.arch');
	const platform = expectedPlatformTag(facts);
	const python = expectedPythonTag(facts);
	let unknown = false;
	for (const wheel of wheels as string[]) {
		const tags = wheelTags(wheel);
		if (!tags) {
			continue;
		}

		if (python && tags.python.startsWith('cp') && !tags.python.split('.').includes(python)) {
			return true;
		}

		const universal = tags.platforms.includes('any');
		if (!universal && arch && !tags.platforms.some(tag => tag.endsWith(arch))) {
			return true;
		}

		if (!universal && platform && !platformMatches(tags.platforms, platform)) {
			return true;
		}

		unknown ||= !python || !platform;
	}

	return unknown ? undefined : false;
}

/**
What importCargoLock will stop at (nixpkgs import-cargo-lock.nix): an outputHashes key that is no
git package of Cargo.lock ("A hash was specified for …"), and a git commit that no key covers
("No hash was found while vendoring the git dependency …"; one key covers every crate of its commit).
*/
export function outputHashProblems(facts: Facts): {missing: string[]; stale: string[]} | undefined {
	const packages = readFact(facts, 'project.cargoLockGitPackages');
	if (boolean(facts, 'project.nix.importsCargoLock') !== true || !Array.isArray(packages)) {
		return undefined;
	}

	const git = packages as Array<{nameVersion: string; commit: string}>;
	const keys = (readFact(facts, 'project.nix.outputHashes') as string[] | undefined) ?? [];
	const stale = keys.filter(key => !git.some(item => item.nameVersion === key));
	const covered = new Set(git.filter(item => keys.includes(item.nameVersion)).map(item => item.commit));
	const missing = boolean(facts, 'project.nix.allowBuiltinFetchGit') ? [] : git.filter(item => !covered.has(item.commit)).map(item => item.nameVersion);
	return {missing, stale};
}

/** The locked pyo3's support: as read from its sources in cargo's registry (the probes), else the bundled table. */
function pyo3Support(facts: Facts): Pyo3PythonSupport | undefined {
	const pyo3Version = string(facts, 'project.pyo3.version');
	const minPython = string(facts, 'project.pyo3.minPython');
	const maxPython = string(facts, 'project.pyo3.maxPython');
	if (pyo3Version && string(facts, 'project.pyo3.supportSource') === 'registry' && minPython && maxPython) {
		const minPyPy = string(facts, 'project.pyo3.minPyPy');
		return {series: pyo3Version.split('.').slice(0, 2).join('.'), minPython, maxPython, nextIsExperimental: boolean(facts, 'project.pyo3.nextPythonExperimental') ?? false, ...(minPyPy ? {minPyPy} : {})};
	}

	return pyo3Version ? pyo3SupportFor(pyo3Version) : undefined;
}

/** The table row's facts, for a pyo3 whose sources were not read. */
function setBundledSupport(facts: Facts, support: Pyo3PythonSupport | undefined): void {
	if (!support || string(facts, 'project.pyo3.supportSource') === 'registry') {
		return;
	}

	const {series: _series, nextIsExperimental, ...ranges} = support;
	setFact(facts, 'project.pyo3.supportSource', 'bundled table');
	for (const [name, value] of Object.entries(ranges)) {
		setFact(facts, `project.pyo3.${name}`, value);
	}

	setFact(facts, 'project.pyo3.nextPythonExperimental', nextIsExperimental);
}

function pythonVersionLimits(facts: Facts, env: Record<string, string | undefined>) {
	const python = string(facts, 'python.selected.version');
	const support = pyo3Support(facts);
	const implementation = string(facts, 'python.selected.implementation');
	const skipCheck = env.UNSAFE_PYO3_SKIP_VERSION_CHECK === '1';
	if (support && python && implementation === 'PyPy' && support.minPyPy) {
		// PyPy has a minimum of its own (SUPPORTED_VERSIONS_PYPY); its maximum follows CPython's.
		return {support, above: undefined, below: !skipCheck && compareVersions(python, support.minPyPy) < 0};
	}

	if (!support || !python || implementation !== 'CPython') {
		return {support, above: undefined, below: undefined};
	}

	const [major, minor] = support.maxPython.split('.').map(Number);
	const hardLimit = support.nextIsExperimental ? `${major}.${minor! + 1}` : support.maxPython;
	// abi3 builds lower the target version; pyo3 also lets the stable ABI through when asked to.
	const forwardCompatible = Boolean(string(facts, 'project.pyo3.abi3')) || env.PYO3_USE_ABI3_FORWARD_COMPATIBILITY === '1';
	return {
		support,
		above: !skipCheck && !forwardCompatible && compareVersions(python, hardLimit) > 0,
		below: !skipCheck && compareVersions(python, support.minPython) < 0,
	};
}

/**
Adds what follows from the gathered facts: `derived.*`, pyo3's supported Python range, and the
wheel-tag comparison. Returns a new object; a derived fact whose inputs are unknown stays absent.
*/
export function deriveFacts(gathered: Facts, env: Record<string, string | undefined> = {}): Facts {
	const facts = withConfigFilePython(structuredClone(gathered));
	const projectFound = boolean(facts, 'project.found');

	const limits = pythonVersionLimits(facts, env);
	setBundledSupport(facts, limits.support);
	setFact(facts, 'derived.pythonAbovePyo3Max', limits.above);
	setFact(facts, 'derived.pythonBelowPyo3Min', limits.below);
	setFact(facts, 'project.nix.hardcodedWheelTagMismatch', projectFound ? wheelTagMismatch(facts) : undefined);

	if (projectFound) {
		const buildExtensionModule = Boolean(string(facts, 'env.PYO3_BUILD_EXTENSION_MODULE'));
		const extensionModule = boolean(facts, 'project.pyo3.extensionModuleDefault');
		// Only a binary, test or example that calls into Python fails to link: pyo3's unused code is dropped by the linker.
		const targets = (['Bins', 'Tests', 'Examples'] as const).map(kind => {
			const present = boolean(facts, `project.has${kind}`);
			const calls = boolean(facts, `project.pythonCalledFrom.${kind.toLowerCase()}`);
			return present === undefined ? undefined : present && calls !== false;
		});
		if (extensionModule !== undefined && targets.every(value => value !== undefined)) {
			setFact(facts, 'derived.extensionModuleWithBinsOrTests', (extensionModule || buildExtensionModule) && targets.includes(true));
		}

		const autoInitialize = boolean(facts, 'project.pyo3.autoInitialize');
		const shared = boolean(facts, 'python.selected.sharedLibpython');
		if (autoInitialize === false) {
			setFact(facts, 'derived.autoInitializeWithoutShared', false);
		} else if (autoInitialize && shared !== undefined) {
			setFact(facts, 'derived.autoInitializeWithoutShared', !shared);
		}

		// Python imports the module by the name its backend gives (maturin: module-name or the lib name;
		// setuptools-rust: the extension's target); #[pymodule] must carry that name.
		const pymodules = readFact(facts, 'project.pymoduleNames');
		const probedNames = readFact(facts, 'project.importNames');
		const fallbackName = string(facts, 'project.pyproject.maturinModuleName')?.split('.').at(-1) ?? string(facts, 'project.libName');
		const importNames = Array.isArray(probedNames) ? (probedNames as string[]) : fallbackName ? [fallbackName] : [];
		if (Array.isArray(pymodules) && pymodules.length > 0 && importNames.length > 0) {
			setFact(facts, 'derived.pymoduleNameMismatch', !importNames.some(name => pymodules.includes(name)));
		}

		const hashes = outputHashProblems(facts);
		setFact(facts, 'derived.cargoOutputHashesMissing', hashes?.missing);
		setFact(facts, 'derived.cargoOutputHashesStale', hashes?.stale);

		const versions = readFact(facts, 'project.pyo3.versions');
		if (Array.isArray(versions)) {
			setFact(facts, 'derived.multiplePyo3Versions', new Set(versions).size > 1);
		}
	}

	// A candidate that did not answer (timed out, crashed…) has no `runs`: nothing is concluded from it.
	const pyo3Python = string(facts, 'env.PYO3_PYTHON');
	const selectedRuns = boolean(facts, 'python.selected.runs');
	// A PYO3_CONFIG_FILE in use (source PYO3_CONFIG_FILE) runs no interpreter: nothing is concluded then either.
	if (!pyo3Python) {
		setFact(facts, 'derived.pyo3PythonInvalid', false);
	} else if (selectedRuns !== undefined && string(facts, 'python.selected.source') === 'PYO3_PYTHON') {
		setFact(facts, 'derived.pyo3PythonInvalid', !selectedRuns);
	}

	const candidates = readFact(facts, 'python.candidates');
	if (Array.isArray(candidates)) {
		const said = (candidates as Array<{runs?: boolean; status?: string}>).map(candidate => candidate.runs);
		// None runs only when every one was missing or answered with an error; an unanswered one keeps it open.
		const notExecutable = (candidates as Array<{status?: string}>).some(candidate => candidate.status === 'not-executable');
		if (said.includes(true)) {
			setFact(facts, 'derived.noPythonFound', false);
		} else if (!said.includes(undefined) && !notExecutable) {
			setFact(facts, 'derived.noPythonFound', true);
		}
		// python and python3 are listed once when they are the same interpreter.
		const onPath = pythonOnPath(candidates);
		const selectedVersion = string(facts, 'python.selected.version');
		const selectedSource = string(facts, 'python.selected.source');
		if (selectedSource === 'PATH') {
			setFact(facts, 'derived.interpretersDiffer', false);
		} else if (selectedVersion && onPath?.version) {
			setFact(facts, 'derived.interpretersDiffer', selectedVersion !== onPath.version);
		}
	}

	deriveBuildFacts(facts);
	return facts;
}
