import {readFact, type Facts} from '../knowledge/conditions.js';

/**
With a PYO3_CONFIG_FILE that parses, pyo3's build script asks no interpreter: the Python it
builds for is the one the file describes. The selected interpreter's facts become the file's
(what the file does not say stays unknown), so the version, shared-library and free-threading
proofs judge what pyo3 will really use.
*/
export function withConfigFilePython(facts: Facts): Facts {
	const config = readFact(facts, 'pyo3Config') as Record<string, unknown> | undefined;
	if (!config || config.parses !== true || typeof config.version !== 'string') {
		return facts;
	}

	const python = (facts.python ?? {}) as Record<string, unknown>;
	const implementation = config.implementation === 'GraalVM' ? 'GraalPy' : config.implementation;
	return {
		...facts,
		python: {
			...python,
			selected: {
				executable: readFact(facts, 'env.PYO3_CONFIG_FILE'),
				source: 'PYO3_CONFIG_FILE',
				version: config.version,
				implementation,
				sharedLibpython: config.shared,
				gilDisabled: config.gilDisabled,
			},
		},
	};
}
