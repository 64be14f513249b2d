import {compareVersions} from '../knowledge/conditions.js';

/** The CPython versions one pyo3 release series builds against. */
export type Pyo3PythonSupport = {
	/** pyo3 series, e.g. "0.22". */
	series: string;
	minPython: string;
	maxPython: string;
	/** From 0.28 on, the version right after the maximum builds with a warning instead of an error. */
	nextIsExperimental: boolean;
	/** `rust-version` of pyo3's Cargo.toml, where it was checked. */
	minRust?: string;
	/** Oldest PyPy (`SUPPORTED_VERSIONS_PYPY`), where it was checked. */
	minPyPy?: string;
	/** Oldest free-threaded CPython (`MIN_FREE_THREADED_VERSION`), where the release has one. */
	freeThreadedMinPython?: string;
	/** The release refuses every free-threaded build unless UNSAFE_PYO3_BUILD_FREE_THREADED=1. */
	freeThreadedRefused?: boolean;
	/** Oldest CPython an `abi3t` build targets, where the release has abi3t. */
	abi3tMinPython?: string;
};

/**
Read from pyo3's sources at each release tag: `SUPPORTED_VERSIONS_CPYTHON` in pyo3-ffi/build.rs
(0.20.3 on), `MINIMUM_SUPPORTED_VERSION` in pyo3-build-config/src/impl_.rs, and the
"Support Python 3.X" / "Drop support for Python 3.X" lines of CHANGELOG.md for the older series,
which had no upper check. The optional fields are filled where they were read from the release's
crates (0.30.1, 0.22.6, 0.21.2 as cargo unpacks them): pyo3-ffi/build.rs and pyo3's Cargo.toml.
Newest first. A release newer than this table is read from cargo's registry when it is there
(pyo3-sources.ts).
*/
export const pyo3PythonSupport: readonly Pyo3PythonSupport[] = [
	{series: '0.30', minPython: '3.9', maxPython: '3.15', nextIsExperimental: true, minRust: '1.85', minPyPy: '3.11', freeThreadedMinPython: '3.14', abi3tMinPython: '3.15'},
	{series: '0.29', minPython: '3.8', maxPython: '3.15', nextIsExperimental: true},
	{series: '0.28', minPython: '3.7', maxPython: '3.14', nextIsExperimental: true},
	{series: '0.27', minPython: '3.7', maxPython: '3.14', nextIsExperimental: false},
	{series: '0.26', minPython: '3.7', maxPython: '3.14', nextIsExperimental: false},
	{series: '0.25', minPython: '3.7', maxPython: '3.14', nextIsExperimental: false},
	{series: '0.24', minPython: '3.7', maxPython: '3.13', nextIsExperimental: false},
	{series: '0.23', minPython: '3.7', maxPython: '3.13', nextIsExperimental: false},
	{series: '0.22', minPython: '3.7', maxPython: '3.13', nextIsExperimental: false, minRust: '1.63', minPyPy: '3.7', freeThreadedRefused: true},
	{series: '0.21', minPython: '3.7', maxPython: '3.12', nextIsExperimental: false, minRust: '1.56', minPyPy: '3.7'},
	{series: '0.20', minPython: '3.7', maxPython: '3.12', nextIsExperimental: false},
	{series: '0.19', minPython: '3.7', maxPython: '3.11', nextIsExperimental: false},
	{series: '0.18', minPython: '3.7', maxPython: '3.11', nextIsExperimental: false},
	{series: '0.17', minPython: '3.7', maxPython: '3.11', nextIsExperimental: false},
	{series: '0.16', minPython: '3.7', maxPython: '3.10', nextIsExperimental: false},
	{series: '0.15', minPython: '3.6', maxPython: '3.10', nextIsExperimental: false},
	{series: '0.14', minPython: '3.6', maxPython: '3.9', nextIsExperimental: false},
	{series: '0.13', minPython: '3.6', maxPython: '3.9', nextIsExperimental: false},
];

/** The support row for a pyo3 version ("0.22.6", "0.22"), or undefined for a series not in the table. */
export function pyo3SupportFor(version: string): Pyo3PythonSupport | undefined {
	const series = /^(\d+\.\d+)/.exec(version.trim())?.[1];
	if (!series) {
		return undefined;
	}

	// A series missing from the table (older than 0.13, or newer than this release knows) stays unknown.
	return pyo3PythonSupport.find(candidate => compareVersions(candidate.series, series) === 0);
}
