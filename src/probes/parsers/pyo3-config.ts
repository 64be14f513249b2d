import {pyo3ConfigProblem} from '../../core/files/parse-problems.js';

/**
The Python a PYO3_CONFIG_FILE describes, as pyo3-build-config reads it (`InterpreterConfig::from_reader`
in pyo3-build-config/src/impl_.rs): whether it parses is `pyo3ConfigProblem`'s verdict; `shared` is
true unless said otherwise, `build_flags` is comma-separated (Py_GIL_DISABLED marks a free-threaded
build), and the implementation is one of CPython, PyPy, GraalVM ("unknown interpreter" otherwise).
*/
export type Pyo3ConfigFile =
	| {parses: true; version: string; implementation: string; shared: boolean; abi3: boolean; gilDisabled: boolean}
	| {parses: false; problem: string};

export function parsePyo3ConfigFile(text: string): Pyo3ConfigFile {
	const problem = pyo3ConfigProblem('PYO3_CONFIG_FILE', text);
	if (problem) {
		return {parses: false, problem: problem.message};
	}

	const values = new Map<string, string>();
	for (const line of text.split('\n')) {
		const equals = line.indexOf('=');
		if (equals !== -1) {
			values.set(line.slice(0, equals), line.slice(equals + 1).trim());
		}
	}

	const implementation = values.get('implementation') ?? 'CPython';
	if (!['CPython', 'PyPy', 'GraalVM'].includes(implementation)) {
		return {parses: false, problem: `unknown interpreter: ${implementation}`};
	}

	return {
		parses: true,
		version: values.get('version')!,
		implementation,
		shared: values.get('shared') !== 'false',
		abi3: values.get('abi3') === 'true',
		gilDisabled: (values.get('build_flags') ?? '').split(',').includes('Py_GIL_DISABLED'),
	};
}
