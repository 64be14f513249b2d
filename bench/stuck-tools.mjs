// How long pyo3-doctor takes when the machine is in a bad state: `check` with wrapper scripts
// that fork a 30 s child standing in for python, python3 and nix (before the real tools on PATH),
// and `run` on a build that leaves a child holding its output pipe, timed from the build's exit.
// Usage: npm run build && node bench/stuck-tools.mjs [rounds]
import {spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const rounds = Number(process.argv[2] ?? 3);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const project = fileURLToPath(new URL('../test/fixtures/projects/flake-wheel-mismatch', import.meta.url));
const bin = mkdtempSync(path.join(os.tmpdir(), 'pyo3-doctor-stuck-'));
for (const tool of ['python', 'python3', 'nix']) {
	writeFileSync(path.join(bin, tool), '#!/bin/sh\n/bin/sleep 30\necho never\n');
	chmodSync(path.join(bin, tool), 0o755);
}

const env = {...process.env, NO_COLOR: '1', CI: 'true'};
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const checkTimes = [];
let checkSays = '';
for (let round = 0; round < rounds; round++) {
	const started = performance.now();
	const result = spawnSync(process.execPath, [cli, 'check', '--project', project], {encoding: 'utf8', env: {...env, PATH: `${bin}:${process.env.PATH}`}});
	checkTimes.push(performance.now() - started);
	checkSays = `exit ${result.status}; ${result.stdout.split('\n').filter(line => /did not answer|did not finish/.test(line)).join(' | ').trim()}`;
}

// The build prints the time it exits at; the wait is from then to pyo3-doctor's own exit.
const build = 'sleep 20 & echo "error: something failed" >&2; date +%s%N >&2; exit 3';
function afterExit(options) {
	const times = [];
	let code;
	for (let round = 0; round < rounds; round++) {
		const result = spawnSync(process.execPath, [cli, 'run', ...options, '--', 'sh', '-c', build], {encoding: 'utf8', env, cwd: project});
		const ended = Number(process.hrtime.bigint() / 1_000_000n);
		const exitedAt = Number(/^(\d{19})$/m.exec(result.stderr)?.[1] ?? 0) / 1e6;
		// hrtime is not the wall clock: convert with the offset between the two, taken now.
		const offset = Date.now() - ended;
		times.push(ended + offset - exitedAt);
		code = result.status;
	}

	return {ms: median(times), code};
}

const noProbe = afterExit(['--no-probe']);
const withProbes = afterExit([]);
rmSync(bin, {recursive: true, force: true});

const [load] = os.loadavg();
console.log(`load average ${load.toFixed(1)} on ${os.cpus().length} cores; median of ${rounds}`);
console.log(`check, python/python3/nix forking 30 s children: ${Math.round(median(checkTimes))} ms (goal 10000); ${checkSays}`);
console.log(`run, build left a child on the pipe, after its exit: --no-probe ${Math.round(noProbe.ms)} ms, with probes ${Math.round(withProbes.ms)} ms (goal 2000); exit ${withProbes.code}`);
