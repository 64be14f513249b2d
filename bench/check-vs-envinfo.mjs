// `pyo3-doctor check --json` against `envinfo --system --binaries --languages --json`, side by
// side on this machine, plus check with a nix on PATH that never answers.
// Usage: npm run build && node bench/check-vs-envinfo.mjs [--runs N] [--interleaved]
//   --interleaved  on a shared machine: N rounds, each running cold check, warm check and envinfo
//                  once in turn (the order rotating), so that load that comes and goes weighs on all
//                  three alike; reports the median of each and of the per-round ratios (no hanging-nix case)
// (npm run build also bundles the knowledge base; a stale bundle makes every command validate YAML.)
// Uses hyperfine (Debian package; test/setup-tools.sh installs it) when present, else its own timer.
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const args = process.argv.slice(2);
const runsIndex = args.indexOf('--runs');
const runs = runsIndex === -1 ? 10 : Number(args[runsIndex + 1]);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist', 'cli.js');
const envinfo = path.join(path.dirname(createRequire(import.meta.url).resolve('envinfo/package.json')), 'dist', 'cli.js');
const project = path.join(root, 'test', 'fixtures', 'projects', 'extension-module-with-tests');
const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-bench-'));
const hangingNixDir = path.join(scratch, 'bin');
spawnSync('mkdir', ['-p', hangingNixDir]);
symlinkSync(path.join(root, 'test', 'fixtures', 'bin-hanging', 'nix'), path.join(hangingNixDir, 'nix'));
const nixTimeoutMs = 3000;

// Cold: every tool asked (--no-cache, what an empty cache costs, less writing it); warm: the
// answers kept in $XDG_CACHE_HOME/pyo3-doctor by the warm-up runs.
const cacheHome = path.join(scratch, 'cache');
const cases = [
	{name: 'pyo3-doctor check --json (cold: --no-cache)', command: ['env', `XDG_CACHE_HOME=${cacheHome}`, process.execPath, cli, 'check', '--json', '--no-cache', '--project', project]},
	{name: 'pyo3-doctor check --json (warm cache)', command: ['env', `XDG_CACHE_HOME=${cacheHome}`, process.execPath, cli, 'check', '--json', '--project', project]},
	{name: 'envinfo --system --binaries --languages --json', command: [process.execPath, envinfo, '--system', '--binaries', '--languages', '--json']},
	{
		name: `pyo3-doctor check --json, hanging nix (timeout ${nixTimeoutMs} ms)`,
		command: ['env', `XDG_CACHE_HOME=${cacheHome}`, `PATH=${hangingNixDir}:${process.env.PATH}`, process.execPath, cli, 'check', '--json', '--no-cache', '--timeout', String(nixTimeoutMs), '--project', project],
	},
];

// Counts the leaf values of a JSON document: how much each tool actually reports.
function leaves(value) {
	if (Array.isArray(value)) {
		return value.reduce((sum, item) => sum + leaves(item), 0);
	}

	if (value !== null && typeof value === 'object') {
		return Object.values(value).reduce((sum, item) => sum + leaves(item), 0);
	}

	return value === undefined || value === '' || value === 'Not Found' || value === 'N/A' ? 0 : 1;
}

function quote(word) {
	return /^[\w./:=@+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
if (args.includes('--interleaved')) {
	const timed = cases.slice(0, 3);
	const loadBefore = loadAverage();
	const times = timed.map(() => []);
	// CPU time (user + system, of the command and its children) as GNU time counts it: what load does not stretch.
	const cpu = timed.map(() => []);
	const timeTool = spawnSync('/usr/bin/time', ['-f', '%U', 'true'], {encoding: 'utf8'}).status === 0;
	const cpuFile = path.join(scratch, 'cpu.txt');
	for (let round = -1; round < runs; round++) {
		for (let step = 0; step < timed.length; step++) {
			const index = (step + Math.max(round, 0)) % timed.length;
			const command = timeTool ? ['/usr/bin/time', '-f', '%U %S', '-o', cpuFile, ...timed[index].command] : timed[index].command;
			const start = process.hrtime.bigint();
			spawnSync(command[0], command.slice(1), {stdio: 'ignore'});
			// Round -1 warms up (and fills the cache the warm case reads).
			if (round >= 0) {
				times[index].push(Number(process.hrtime.bigint() - start) / 1e6);
				if (timeTool) {
					const [user, system] = readFileSync(cpuFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
					cpu[index].push((user + system) * 1000);
				}
			}
		}
	}

	console.log(`${runs} interleaved rounds after one warm-up round; load average ${loadBefore} before, ${loadAverage()} after\n`);
	console.log('| command | median ms | min ms | max ms | median CPU ms (user + system) |');
	console.log('|---|---:|---:|---:|---:|');
	for (const [index, item] of timed.entries()) {
		console.log(`| ${item.name} | ${median(times[index]).toFixed(0)} | ${Math.min(...times[index]).toFixed(0)} | ${Math.max(...times[index]).toFixed(0)} | ${timeTool ? median(cpu[index]).toFixed(0) : '–'} |`);
	}

	const ratio = index => median(times[index].map((time, round) => time / times[2][round]));
	console.log(`\ncheck takes ${(median(times[0]) / median(times[2])).toFixed(2)}× envinfo's median time cold and ${(median(times[1]) / median(times[2])).toFixed(2)}× warm (median of the per-round ratios: ${ratio(0).toFixed(2)}× cold, ${ratio(1).toFixed(2)}× warm)`);
	if (timeTool) {
		console.log(`CPU time: ${(median(cpu[0]) / median(cpu[2])).toFixed(2)}× envinfo's cold, ${(median(cpu[1]) / median(cpu[2])).toFixed(2)}× warm`);
	}

	rmSync(scratch, {recursive: true, force: true});
	process.exit(0);
}

const hasHyperfine = spawnSync('hyperfine', ['--version']).status === 0;
const results = [];
if (hasHyperfine) {
	const exportFile = path.join(scratch, 'timings.json');
	const hyperfine = spawnSync(
		'hyperfine',
		['-N', '-i', '--warmup', '2', '--runs', String(runs), '--export-json', exportFile, ...cases.flatMap(item => ['-n', item.name, item.command.map(word => quote(word)).join(' ')])],
		{stdio: ['ignore', 'inherit', 'inherit']},
	);
	if (hyperfine.status !== 0) {
		throw new Error('hyperfine failed');
	}

	for (const result of JSON.parse(readFileSync(exportFile, 'utf8')).results) {
		const times = result.times.map(seconds => seconds * 1000).sort((a, b) => a - b);
		results.push({name: result.command, median: result.median * 1000, min: result.min * 1000, max: result.max * 1000, p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]});
	}
} else {
	for (const item of cases) {
		const times = [];
		for (let run = 0; run < runs + 2; run++) {
			const start = process.hrtime.bigint();
			spawnSync(item.command[0], item.command.slice(1), {stdio: 'ignore'});
			if (run >= 2) {
				times.push(Number(process.hrtime.bigint() - start) / 1e6);
			}
		}

		times.sort((a, b) => a - b);
		results.push({name: item.name, median: times[Math.floor(times.length / 2)], min: times[0], max: times.at(-1), p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]});
	}
}

// What each reports: one more run of each, output kept.
for (const [index, item] of cases.entries()) {
	const output = spawnSync(item.command[0], item.command.slice(1), {encoding: 'utf8', maxBuffer: 1 << 26});
	try {
		const json = JSON.parse(output.stdout);
		results[index].values = leaves(item.name.startsWith('envinfo') ? json : json.facts);
	} catch {
		results[index].values = Number.NaN;
	}
}

rmSync(scratch, {recursive: true, force: true});
const cpus = spawnSync('nproc', {encoding: 'utf8'}).stdout.trim();
console.log(`\n${runs} runs each (after 2 warm-up runs), ${cpus} CPUs, ${hasHyperfine ? 'timed by hyperfine -N' : 'timed by spawnSync'}\n`);
console.log('| command | median ms | p95 ms | min ms | max ms | values reported |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const result of results) {
	console.log(`| ${result.name} | ${result.median.toFixed(0)} | ${result.p95.toFixed(0)} | ${result.min.toFixed(0)} | ${result.max.toFixed(0)} | ${result.values} |`);
}

const [cold, warm, envinfoResult, hanging] = results;
const load = spawnSync('cat', ['/proc/loadavg'], {encoding: 'utf8'}).stdout.split(' ')[0];
console.log(`\ncheck takes ${(cold.median / envinfoResult.median).toFixed(2)}× envinfo's time cold and ${(warm.median / envinfoResult.median).toFixed(2)}× warm; a hanging nix adds ${(hanging.median - cold.median).toFixed(0)} ms (timeout ${nixTimeoutMs} ms); load average ${load}`);
