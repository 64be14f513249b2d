// Throughput of `pyo3-doctor diagnose --json` on large realistic logs (cargo + Nix noise, one
// real error near the end), against plain reading and line-splitting of the same file in Node.
// Usage: node bench/diagnose-throughput.mjs [sizes in MB, default 1 10 50] [--runs N]
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {makeLog, sampleError} from './make-log.mjs';

const args = process.argv.slice(2);
const runsIndex = args.indexOf('--runs');
const runs = runsIndex === -1 ? 5 : Number(args.splice(runsIndex, 2)[1]);
const sizes = args.length > 0 ? args.map(Number) : [1, 10, 50];
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const baseline = fileURLToPath(new URL('read-lines-baseline.mjs', import.meta.url));
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

// Runs a node script `runs` times; returns the median wall time and the largest peak RSS.
function measure(script, scriptArgs) {
	const times = [];
	let peakKb = 0;
	for (let run = 0; run < runs; run++) {
		const command = gnuTime ? [gnuTime, ['-f', '%M', process.execPath, script, ...scriptArgs]] : [process.execPath, [script, ...scriptArgs]];
		const start = process.hrtime.bigint();
		const result = spawnSync(command[0], command[1], {encoding: 'utf8', maxBuffer: 1 << 26});
		times.push(Number(process.hrtime.bigint() - start) / 1e6);
		if (result.status !== 0) {
			throw new Error(`${script} failed: ${result.stderr}`);
		}

		if (gnuTime) {
			peakKb = Math.max(peakKb, Number(result.stderr.trim().split('\n').at(-1)));
		}

		if (script === cli && run === 0) {
			const top = JSON.parse(result.stdout).diagnoses[0]?.id;
			if (top !== 'extension-module-in-binary') {
				throw new Error(`wrong top finding on the benchmark log: ${top}`);
			}
		}
	}

	times.sort((a, b) => a - b);
	return {ms: times[Math.floor(times.length / 2)], peakMb: gnuTime ? peakKb / 1024 : Number.NaN};
}

const dir = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-bench-'));
try {
	console.log(`node ${process.version}, ${runs} runs each, median wall time (process start included)`);
	console.log('| log | diagnose --json | MB/s | peak RSS | read+split | ratio |');
	console.log('|---|---|---|---|---|---|');
	for (const size of sizes) {
		const file = path.join(dir, `build-${size}mb.log`);
		writeFileSync(file, makeLog(size, sampleError()));
		const diagnose = measure(cli, ['diagnose', '--json', '--no-probe', file]);
		const read = measure(baseline, [file]);
		console.log(
			`| ${size} MB | ${diagnose.ms.toFixed(0)} ms | ${(size / (diagnose.ms / 1000)).toFixed(0)} | ${diagnose.peakMb.toFixed(0)} MB | ${read.ms.toFixed(0)} ms | ${(diagnose.ms / read.ms).toFixed(2)} |`,
		);
	}
} finally {
	rmSync(dir, {recursive: true, force: true});
}
