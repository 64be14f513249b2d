import type {Pyo3PythonSupport} from './pyo3-support.js';

/** The files of one pyo3 release that state what it supports, as cargo unpacked them. */
export type Pyo3SourceTexts = {
	/** The release, e.g. "0.30.1". */
	version: string;
	/** pyo3-ffi-<version>/build.rs: the supported CPython and PyPy ranges, the free-threaded and abi3t rules. */
	ffiBuildRs: string;
	/** pyo3-<version>/Cargo.toml (else pyo3-ffi's): `rust-version`. */
	cargoToml?: string;
};

/** What the sources said, or why they could not be read. */
export type Pyo3SourceReading = {support: Pyo3PythonSupport; notes: string[]} | {support?: undefined; notes: string[]};

const versionLiteral = /PythonVersion\s*\{\s*major:\s*(\d+),\s*minor:\s*(\d+),?\s*\}/;

/** `const PY_3_9: PythonVersion = PythonVersion { major: 3, minor: 9 };` → PY_3_9 = "3.9". */
function versionConstants(text: string): Map<string, string> {
	const constants = new Map<string, string>();
	for (const match of text.matchAll(/const\s+(\w+)\s*:\s*PythonVersion\s*=\s*PythonVersion\s*\{\s*major:\s*(\d+),\s*minor:\s*(\d+),?\s*\}/g)) {
		constants.set(match[1]!, `${match[2]}.${match[3]}`);
	}

	return constants;
}

/** The `min`/`max` of a `const NAME: SupportedVersions = SupportedVersions { … };` block. */
function supportedRange(text: string, name: string, constants: Map<string, string>): {min?: string; max?: string} | undefined {
	const start = text.indexOf(`const ${name}: SupportedVersions`);
	if (start === -1) {
		return undefined;
	}

	const end = text.indexOf('};', start);
	const block = text.slice(start, end === -1 ? undefined : end);
	const resolve = (field: 'min' | 'max'): string | undefined => {
		const expression = new RegExp(`\\b${field}:\\s*(PythonVersion\\s*\\{[^}]*\\}|[\\w.]+)`).exec(block)?.[1];
		if (!expression) {
			return undefined;
		}

		const literal = versionLiteral.exec(expression);
		if (literal) {
			return `${literal[1]}.${literal[2]}`;
		}

		// `SUPPORTED_VERSIONS_CPYTHON.max`: the field of another range of the same file.
		const [other, otherField] = expression.split('.');
		if (otherField === 'min' || otherField === 'max') {
			return other === name ? undefined : supportedRange(text, other!, constants)?.[otherField];
		}

		return constants.get(expression);
	};

	return {min: resolve('min'), max: resolve('max')};
}

/**
Reads what one pyo3 release supports from its own sources: `SUPPORTED_VERSIONS_CPYTHON` and
`SUPPORTED_VERSIONS_PYPY` of pyo3-ffi/build.rs (0.20.3 on), whether the version right after the
maximum only warns ("Using experimental support", 0.28 on), `MIN_FREE_THREADED_VERSION` or the
0.22 refusal of free-threaded builds, the abi3t minimum, and `rust-version`. Anything it cannot
find becomes a note; it never throws.
*/
export function readPyo3Sources(texts: Pyo3SourceTexts): Pyo3SourceReading {
	const notes: string[] = [];
	const series = /^(\d+\.\d+)\.\d+/.exec(texts.version)?.[1];
	if (!series) {
		return {notes: [`"${texts.version}" is not a release version`]};
	}

	const constants = versionConstants(texts.ffiBuildRs);
	const cpython = supportedRange(texts.ffiBuildRs, 'SUPPORTED_VERSIONS_CPYTHON', constants);
	if (!cpython) {
		return {notes: ['pyo3-ffi build.rs has no SUPPORTED_VERSIONS_CPYTHON (pyo3 before 0.20.3 had no upper check)']};
	}

	if (!cpython.min || !cpython.max || !/^\d+\.\d+$/.test(cpython.min) || !/^\d+\.\d+$/.test(cpython.max)) {
		return {notes: ['pyo3-ffi build.rs: SUPPORTED_VERSIONS_CPYTHON has a min or max that is not a plain Python version']};
	}

	const support: Pyo3PythonSupport = {
		series,
		minPython: cpython.min,
		maxPython: cpython.max,
		nextIsExperimental: texts.ffiBuildRs.includes('Using experimental support for the'),
	};

	const pypy = supportedRange(texts.ffiBuildRs, 'SUPPORTED_VERSIONS_PYPY', constants);
	if (pypy?.min) {
		support.minPyPy = pypy.min;
	}

	const freeThreaded = /const\s+MIN_FREE_THREADED_VERSION\s*:\s*PythonVersion\s*=\s*(\w+)/.exec(texts.ffiBuildRs)?.[1];
	if (freeThreaded && constants.has(freeThreaded)) {
		support.freeThreadedMinPython = constants.get(freeThreaded);
	} else if (texts.ffiBuildRs.includes('built with the GIL disabled, which is not yet supported by PyO3')) {
		support.freeThreadedRefused = true;
	}

	const abi3t = /Abi3t builds are not supported on CPython targets before Python (\d+\.\d+)/.exec(texts.ffiBuildRs)?.[1];
	if (abi3t) {
		support.abi3tMinPython = abi3t;
	}

	if (texts.cargoToml === undefined) {
		notes.push('no Cargo.toml to read rust-version from');
	} else {
		const rust = /^rust-version\s*=\s*"([^"]+)"/m.exec(texts.cargoToml)?.[1];
		if (rust) {
			support.minRust = rust;
		} else {
			notes.push('Cargo.toml has no rust-version');
		}
	}

	return {support, notes};
}
