import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {rankFindings} from '../../src/core/match/rank.js';
import {scanLog} from '../../src/core/match/scanner.js';
import {knowledge} from '../helpers/knowledge.js';

// Logs captured from real builds by `npm run test:real`; each is named after its scenario
// (NAME.log, or NAME@VERSION.log for a run on another pyo3 version), whose scenario.json holds
// the diagnosis id the log must give as the top finding: `offlineId` where the log alone shows
// only a symptom and the probes prove the cause (`offlineIdWhy` says why).
const logsDir = path.resolve('test/real/logs');
const scenariosDir = path.resolve('test/real/scenarios');
const logs = existsSync(logsDir) ? readdirSync(logsDir).filter(name => name.endsWith('.log')).sort() : [];

/** `free-threaded-unsupported@0.22.6.log` → scenario `free-threaded-unsupported`, pyo3 `0.22.6`. */
function scenarioOf(logName: string): {scenario: string; version?: string} {
	const [scenario, version] = logName.replace(/\.log$/, '').split('@');
	return {scenario: scenario!, version};
}

function expectedId(logName: string): string {
	const {scenario, version} = scenarioOf(logName);
	const definition = JSON.parse(readFileSync(path.join(scenariosDir, scenario, 'scenario.json'), 'utf8')) as {id: string; offlineId?: string; variants?: Array<{pyo3: string; id?: string}>};
	return definition.variants?.find(variant => variant.pyo3 === version)?.id ?? definition.offlineId ?? definition.id;
}

describe('real logs from test/real are diagnosed offline', () => {
	it('has a scenario for every saved log', () => {
		// Given the saved logs
		// When each is matched with its scenario folder
		const orphans = logs.filter(name => !existsSync(path.join(scenariosDir, scenarioOf(name).scenario, 'scenario.json')));
		// Then none is left without the definition that names its expected id
		assert.deepEqual(orphans, []);
	});

	const ids = new Set(knowledge.map(entry => entry.id));
	for (const name of logs) {
		const scenario = name.replace(/\.log$/, '');
		if (!existsSync(path.join(scenariosDir, scenarioOf(name).scenario, 'scenario.json'))) {
			continue;
		}

		const id = expectedId(name);
		it(`${scenario} → ${id}`, {skip: ids.has(id) ? false : `no knowledge entry ${id} yet`}, () => {
			// Given a log captured from a real build broken in one known way
			const text = readFileSync(path.join(logsDir, name), 'utf8');
			// When it is diagnosed with the shipped knowledge and no probe facts
			const findings = rankFindings(knowledge, scanLog(knowledge, text));
			// Then the scenario's class is the top finding
			assert.equal(findings[0]?.diagnosis.id, id, `top findings: ${findings.slice(0, 3).map(f => `${f.diagnosis.id} ${f.confidence.toFixed(2)}`).join(', ') || 'nothing'}`);
		});
	}
});
