// Startup of the wizard: time from spawning `pyo3-doctor` in a pseudo-terminal (util-linux
// `script`) to its first frame, and the time of `--version` and `--help`.
// Usage: npm run build && node bench/wizard-startup.mjs [runs]
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runs = Number(process.argv[2] ?? 10);
const cwd = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-bench-'));
const env = {...process.env, NO_COLOR: '1', TERM: 'xterm-256color'};
delete env.CI;

function summary(times) {
	const sorted = [...times].sort((a, b) => a - b);
	const median = sorted[Math.floor(sorted.length / 2)];
	return `median ${median.toFixed(0)} ms, min ${sorted[0].toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms (${times.length} runs)`;
}

// CPU time (user + system, ms) a process has used so far; load on the machine barely changes it.
function cpuMs(pid) {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function childOf(pid) {
	const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ');
	return Number(children[0]);
}

// Resolves with the wall-clock and CPU milliseconds until the pty output shows the first frame.
function firstFrame() {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn('script', ['-qfec', `${process.execPath} ${cli}`, '/dev/null'], {cwd, env, detached: true, stdio: ['ignore', 'pipe', 'ignore']});
		let output = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`no first frame in 20 s; output: ${JSON.stringify(output.slice(-300))}`));
		}, 20_000);
		child.stdout.on('data', chunk => {
			output += chunk;
			if (/Looking at your environment|what went wrong\?/.test(output)) {
				const elapsed = performance.now() - started;
				let cpu = Number.NaN;
				try {
					cpu = cpuMs(childOf(child.pid));
				} catch {}

				clearTimeout(timer);
				process.kill(-child.pid, 'SIGKILL');
				resolve({elapsed, cpu});
			}
		});
	});
}

function timeCommand(args) {
	const started = performance.now();
	const result = spawnSync(process.execPath, [cli, ...args], {env, encoding: 'utf8'});
	if (result.status !== 0) {
		throw new Error(`pyo3-doctor ${args.join(' ')} failed: ${result.stderr}`);
	}

	return performance.now() - started;
}

const frames = [];
const frameCpu = [];
const versions = [];
const helps = [];
for (let run = 0; run < runs; run++) {
	const frame = await firstFrame();
	frames.push(frame.elapsed);
	frameCpu.push(frame.cpu);
	versions.push(timeCommand(['--version']));
	helps.push(timeCommand(['--help']));
}

rmSync(cwd, {recursive: true, force: true});
const nodeAlone = [];
for (let run = 0; run < runs; run++) {
	const started = performance.now();
	spawnSync(process.execPath, ['-e', '0']);
	nodeAlone.push(performance.now() - started);
}

// The same for a bare node: its CPU time up to the end of a one-line program.
const nodeCpu = [];
for (let run = 0; run < runs; run++) {
	const result = spawnSync(process.execPath, ['-e', 'const u = process.cpuUsage(); console.log((u.user + u.system) / 1000)'], {encoding: 'utf8'});
	nodeCpu.push(Number(result.stdout));
}

console.log(`wizard, first frame in a pty: ${summary(frames)}`);
console.log(`  its CPU time (10 ms ticks): ${summary(frameCpu)}`);
console.log(`pyo3-doctor --version:        ${summary(versions)}`);
console.log(`pyo3-doctor --help:           ${summary(helps)}`);
console.log(`node -e 0 (for reference):    ${summary(nodeAlone)}`);
console.log(`  its CPU time:               ${summary(nodeCpu)}`);
console.log(`load average: ${(await import('node:os')).loadavg().map(value => value.toFixed(2)).join(' ')}`);
