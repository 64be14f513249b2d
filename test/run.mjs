// Runs the unit suite with Node's own test runner (TypeScript through tsx).
// Usage: node test/run.mjs [folder-or-file …]   (default: test/, without test/real)
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

function collect(target, files) {
	if (statSync(target).isFile()) {
		files.push(target);
		return;
	}

	for (const name of readdirSync(target).sort()) {
		const full = path.join(target, name);
		// The real-tool suite has its own runner (npm run test:real).
		if (full === path.join('test', 'real')) {
			continue;
		}

		if (statSync(full).isDirectory()) {
			if (name !== 'fixtures') {
				collect(full, files);
			}
		} else if (/\.test\.tsx?$/.test(name)) {
			files.push(full);
		}
	}
}

const targets = process.argv.slice(2);
const files = [];
for (const target of targets.length > 0 ? targets : ['test']) {
	collect(target, files);
}

// `check` keeps tool answers in $XDG_CACHE_HOME/pyo3-doctor: the tests use a cache of their own, never the user's.
const cacheHome = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-test-cache-'));
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {stdio: 'inherit', env: {...process.env, XDG_CACHE_HOME: cacheHome}});
rmSync(cacheHome, {recursive: true, force: true});
process.exit(result.status ?? 1);
