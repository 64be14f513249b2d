import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {makeLog} from '../../bench/make-log.mjs';
import {cliPath} from '../helpers/cli.js';

const sample = readFileSync(new URL('../../knowledge/diagnoses/extension-module-in-binary/examples/match/rust-lld-cargo-test.log', import.meta.url), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-huge-'));
after(() => rmSync(dir, {recursive: true, force: true}));

describe('a 200 MB log', () => {
	it('is diagnosed with bounded memory: the cause near the end is found', () => {
		// Given 200 MB of cargo and Nix noise with the real error near the end, written in pieces
		const file = path.join(dir, 'huge.log');
		const noise = makeLog(10, '');
		const fd = openSync(file, 'w');
		for (let piece = 0; piece < 20; piece++) {
			writeSync(fd, noise);
		}

		writeSync(fd, sample);
		writeSync(fd, noise.slice(0, 10_000));
		closeSync(fd);

		// When it is diagnosed (under GNU time where available, to read the peak memory)
		const gnuTime = existsSync('/usr/bin/time');
		const command = gnuTime ? '/usr/bin/time' : process.execPath;
		const args = [...(gnuTime ? ['-f', 'peak-kb %M', process.execPath] : []), cliPath, 'diagnose', '--json', '--no-probe', file];
		const result = spawnSync(command, args, {encoding: 'utf8', timeout: 120_000});

		// Then the finding is there, and memory stayed far below the log's size
		assert.equal(result.status, 0, result.stderr);
		assert.equal((JSON.parse(result.stdout) as {diagnoses: Array<{id: string}>}).diagnoses[0]?.id, 'extension-module-in-binary');
		const peakKb = Number(/peak-kb (\d+)/.exec(result.stderr)?.[1]);
		if (gnuTime) {
			assert.ok(peakKb < 200 * 1024, `peak memory ${Math.round(peakKb / 1024)} MB for a 200 MB log`);
		}
	});
});
