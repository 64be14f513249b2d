import {compareVersions, readFact, type Facts} from '../knowledge/conditions.js';

// Derived facts about what a build will need, from the build-input facts (src/probes/build-inputs.ts).

const legacyManylinux: Record<string, string> = {manylinux1: 'manylinux_2_5', manylinux2010: 'manylinux_2_12', manylinux2014: 'manylinux_2_17'};

/** Whether an interpreter that accepts `acceptedPlatforms` (newest manylinux first, as pip lists them) installs a wheel with these tags. */
export function wheelAccepted(fileName: string, pythonVersion: string, acceptedPlatforms: readonly string[]): boolean | undefined {
	const parts = fileName.replace(/\.whl$/, '').split('-');
	if (parts.length < 5) {
		return undefined;
	}

	const [pythonTag, abiTag, platformTag] = parts.slice(-3) as [string, string, string];
	const version = pythonVersion.replace('.', '');
	const pythonOk = pythonTag.split('.').some(tag => {
		const cp = /^cp(\d)(\d+)$/.exec(tag);
		if (cp) {
			return abiTag === 'abi3' ? compareVersions(`${cp[1]}.${cp[2]}`, pythonVersion) <= 0 : `${cp[1]}${cp[2]}` === version;
		}

		return tag === 'py3' || tag === `py${version}`;
	});
	const newest = acceptedPlatforms.map(tag => /^manylinux_(\d+)_(\d+)_(\w+)$/.exec(tag)).find(Boolean);
	const platformOk = platformTag.split('.').some(tag => {
		if (tag === 'any' || acceptedPlatforms.includes(tag)) {
			return true;
		}

		const pep600 = tag.replace(/^(manylinux1|manylinux2010|manylinux2014)/, legacy => legacyManylinux[legacy]!);
		const wanted = /^manylinux_(\d+)_(\d+)_(\w+)$/.exec(pep600);
		return Boolean(wanted && newest && wanted[3] === newest[3] && compareVersions(`${wanted[1]}.${wanted[2]}`, `${newest[1]}.${newest[2]}`) <= 0);
	});
	return pythonOk && platformOk;
}

/**
The extension modules (relative paths) that `import` cannot load with an interpreter importing by
`suffixes` (its importlib.machinery.EXTENSION_SUFFIXES): built for another Python version or
implementation (`.cpython-312-…so` under 3.11), with no file of the same module beside them that
this interpreter loads. An abi3 file or a bare `.so` may suit it, so only version-named files count;
so does a file for the CPython of a venv in the project (`venvPythons`): that venv is where it is run.
*/
export function extensionsForAnotherPython(files: readonly string[], suffixes: readonly string[], venvPythons: readonly string[] = []): string[] {
	const modules = new Map<string, string[]>();
	for (const file of files) {
		const module = file.replace(/\.[^/]*$/, '');
		modules.set(module, [...(modules.get(module) ?? []), file]);
	}

	return [...modules].flatMap(([module, group]) => {
		const loads = group.some(file => suffixes.includes(file.slice(module.length)));
		const forVenv = group.some(file => venvPythons.some(version => file.includes(`.cpython-${version.replace('.', '')}-`)));
		return loads || forVenv ? [] : group.filter(file => /\.(?:cpython|pypy|graalpy)[\w-]*\.so$/.test(file));
	});
}

type Candidate = {source?: string; command?: string; version?: string; extensionSuffixes?: string[]};

/** The interpreter `python3` on PATH runs (else `python`), among the candidates that answered: what the user imports with. */
export function pythonOnPath(candidates: unknown): Candidate | undefined {
	const fromPath = Array.isArray(candidates) ? (candidates as Candidate[]).filter(candidate => candidate.source === 'PATH' && candidate.version) : [];
	return fromPath.find(candidate => candidate.command === 'python3') ?? fromPath[0];
}

/** Adds `derived.requiredRustVersion`, `derived.rustcBelowRequired`, `derived.abi3AboveSelectedPython`, `derived.wheelsRejectedBySelectedPython` and `derived.extensionsForAnotherPython`. */
export function deriveBuildFacts(facts: Facts): void {
	const derived = (facts.derived ??= {}) as Record<string, unknown>;
	const required = [readFact(facts, 'project.rustVersion'), readFact(facts, 'project.pyo3.minRust')]
		.filter((version): version is string => typeof version === 'string')
		.sort(compareVersions)
		.at(-1);
	const rustc = readFact(facts, 'rust.rustcVersion');
	if (required) {
		derived.requiredRustVersion = required;
		if (typeof rustc === 'string') {
			derived.rustcBelowRequired = compareVersions(rustc, required) < 0;
		}
	}

	// pyo3-build-config refuses "a minimum Python version 3.12 higher than the interpreter version 3.11" (impl_.rs, 0.30.1).
	const abi3 = /^abi3-py(\d)(\d+)$/.exec(String(readFact(facts, 'project.pyo3.abi3') ?? ''));
	const selected = readFact(facts, 'python.selected.version');
	if (abi3 && typeof selected === 'string' && readFact(facts, 'python.selected.implementation') === 'CPython') {
		derived.abi3AboveSelectedPython = compareVersions(`${abi3[1]}.${abi3[2]}`, selected) > 0;
	}

	const wheels = readFact(facts, 'project.target.wheels');
	const version = readFact(facts, 'python.selected.version');
	const accepted = readFact(facts, 'python.selected.wheelTags');
	if (Array.isArray(wheels) && typeof version === 'string' && Array.isArray(accepted) && accepted.length > 0) {
		derived.wheelsRejectedBySelectedPython = (wheels as string[]).filter(wheel => wheelAccepted(wheel, version, accepted as string[]) === false);
	}

	// The Python that imports from the project is the one `python3` runs (in an active venv, the venv's).
	const extensions = readFact(facts, 'project.builtExtensions');
	const suffixes = pythonOnPath(readFact(facts, 'python.candidates'))?.extensionSuffixes ?? readFact(facts, 'python.selected.extensionSuffixes');
	if (Array.isArray(extensions) && Array.isArray(suffixes) && suffixes.length > 0) {
		const venvs = readFact(facts, 'project.venvPythons');
		derived.extensionsForAnotherPython = extensionsForAnotherPython(extensions as string[], suffixes as string[], Array.isArray(venvs) ? (venvs as string[]) : []);
	}
}
