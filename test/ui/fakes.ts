import {readFileSync} from 'node:fs';
import path from 'node:path';
import {defaultKnowledgeDir} from '../../src/io/knowledge-dir.js';
import {loadTrees} from '../../src/io/trees-dir.js';
import type {ProbeResult, WizardDeps} from '../../src/ui/deps.js';
import {knowledge} from '../helpers/knowledge.js';

export const trees = loadTrees().trees;

export const realLogPath = path.join(defaultKnowledgeDir, 'diagnoses/extension-module-in-binary/examples/match/rust-lld-cargo-test.log');
export const realLog = readFileSync(realLogPath, 'utf8');

export const probeResult: ProbeResult = {
	facts: {
		system: {os: 'linux'},
		python: {selected: {executable: '/usr/bin/python3', sharedLibpython: false, fullVersion: '3.11.2', inVenv: false}},
		project: {pyo3: {declared: true, extensionModuleDefault: true, version: '0.22.0'}},
		derived: {extensionModuleWithBinsOrTests: true},
	},
	checks: [
		{area: 'python', status: 'ok', found: '/usr/bin/python3 3.11.2'},
		{area: 'project', status: 'error', found: 'extension-module is on for cargo test', hint: 'make the feature optional'},
	],
};

/** Deps whose side effects are recorded, for one test. */
export function fakeDeps(overrides: Partial<WizardDeps> = {}): WizardDeps & {calls: string[]} {
	const calls: string[] = [];
	return {
		calls,
		loadKnowledge: async () => ({knowledge, trees}),
		colour: false,
		async collectFacts(onEvent) {
			onEvent({area: 'python', label: 'Python', status: 'running'});
			onEvent({area: 'python', label: 'Python', status: 'ok', found: '/usr/bin/python3 3.11.2'});
			return probeResult;
		},
		async readLogFile(file) {
			calls.push(`read ${file}`);
			return readFileSync(file, 'utf8');
		},
		isFile: file => file === realLogPath,
		...overrides,
	};
}
