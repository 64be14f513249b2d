// Runs the unit suite with Node's own test runner (TypeScript through tsx).
// Usage: node test/run.mjs [folder-or-file …]   (default: test/, without test/real)
import {spawnSync} from 'node:child_process';
import {readdirSync, statSync} from 'node:fs';
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

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {stdio: 'inherit'});
process.exit(result.status ?? 1);
