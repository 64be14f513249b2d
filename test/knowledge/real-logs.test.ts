import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {rankFindings} from '../../src/core/match/rank.js';
import {scanLog} from '../../src/core/match/scanner.js';
import {knowledge} from '../helpers/knowledge.js';

// Logs captured from real builds by `npm run test:real`; each is named after its scenario,
// whose scenario.json holds the diagnosis id the log must give as the top finding.
const logsDir = path.resolve('test/real/logs');
const scenariosDir = path.resolve('test/real/scenarios');
const logs = existsSync(logsDir) ? readdirSync(logsDir).filter(name => name.endsWith('.log')).sort() : [];

function expectedId(scenario: string): string {
	const definition = JSON.parse(readFileSync(path.join(scenariosDir, scenario, 'scenario.json'), 'utf8')) as {id: string};
	return definition.id;
}

describe('real logs from test/real are diagnosed offline', () => {
	it('has a scenario for every saved log', () => {
		// Given the saved logs
		// When each is matched with its scenario folder
		const orphans = logs.filter(name => !existsSync(path.join(scenariosDir, name.replace(/\.log$/, ''), 'scenario.json')));
		// Then none is left without the definition that names its expected id
		assert.deepEqual(orphans, []);
	});

	const ids = new Set(knowledge.map(entry => entry.id));
	for (const name of logs) {
		const scenario = name.replace(/\.log$/, '');
		if (!existsSync(path.join(scenariosDir, scenario, 'scenario.json'))) {
			continue;
		}

		const id = expectedId(scenario);
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
