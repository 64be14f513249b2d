// Makes the skeleton of a public repository for the real-repository suite, from a git checkout:
// its project files (Cargo.toml, pyproject.toml, setup.py, Nix files, .envrc, rust-toolchain,
// .cargo/config), Cargo.lock cut down to the packages pyo3-doctor reads (pyo3, pyo3-ffi, git
// sources), and each Rust target file reduced to the lines pyo3-doctor reads (#[pymodule], tests,
// calls into Python, fn main). Nothing else of the repository is kept.
// Usage: node test/real-repos/extract.mjs GIT_DIR OWNER/NAME [PATH_PREFIX...]
import {execFileSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parse, stringify} from 'smol-toml';

const [gitDir, repo, ...prefixes] = process.argv.slice(2);
if (!gitDir || !repo) {
	console.error('usage: node test/real-repos/extract.mjs GIT_DIR OWNER/NAME [PATH_PREFIX...]');
	process.exit(2);
}

const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], {encoding: 'utf8', maxBuffer: 256 * 1024 * 1024});
const commit = git('rev-parse', 'HEAD').trim();
const files = git('ls-tree', '-r', '--name-only', 'HEAD')
	.split('\n')
	.filter(file => file !== '' && (prefixes.length === 0 || prefixes.some(prefix => file.startsWith(prefix))));
const out = fileURLToPath(new URL(`./repos/${repo.replace('/', '+')}/`, import.meta.url));

const projectFile = /(?:^|\/)(?:Cargo\.toml|pyproject\.toml|setup\.py|[^/]+\.nix|\.envrc|rust-toolchain(?:\.toml)?|cargo-generate\.toml|\.cargo\/config(?:\.toml)?)$/;
const keptRust = /#\[pymodule|#\[pyo3\(|#\[cfg\(test\)\]|#\[test\]|\bmod tests\b|Python::(?:with_gil|attach|initialize)\b|prepare_freethreaded_python|with_embedded_python_interpreter|Py_Initialize|PyInit_|\bfn main\b/;

function write(file, text) {
	mkdirSync(path.dirname(path.join(out, file)), {recursive: true});
	writeFileSync(path.join(out, file), text);
}

const show = file => git('show', `HEAD:${file}`);

// Rust files cargo treats as targets, by convention or by path, next to every manifest.
const manifests = files.filter(file => /(?:^|\/)Cargo\.toml$/.test(file));
const targetFiles = new Set();
for (const manifest of manifests) {
	const dir = path.posix.dirname(manifest) === '.' ? '' : `${path.posix.dirname(manifest)}/`;
	let parsed = {};
	try {
		parsed = parse(show(manifest));
	} catch {}

	for (const file of files) {
		if (!file.startsWith(dir) || !file.endsWith('.rs')) {
			continue;
		}

		const rest = file.slice(dir.length);
		if (/^(?:src\/(?:lib|main)\.rs|src\/bin\/[^/]+\.rs|src\/bin\/[^/]+\/main\.rs|(?:tests|examples|benches)\/[^/]+\.rs|(?:tests|examples|benches)\/[^/]+\/main\.rs|build\.rs)$/.test(rest)) {
			targetFiles.add(file);
		}
	}

	const declared = [parsed.lib, ...(parsed.bin ?? []), ...(parsed.test ?? []), ...(parsed.example ?? []), ...(parsed.bench ?? [])];
	for (const target of declared) {
		if (target && typeof target.path === 'string') {
			targetFiles.add(path.posix.normalize(`${dir}${target.path}`));
		}
	}

	if (typeof parsed.package?.build === 'string') {
		targetFiles.add(path.posix.normalize(`${dir}${parsed.package.build}`));
	}
}

// Source files with test modules or #[pymodule]s are read too (src/ is scanned for both).
for (const file of files) {
	if (/(?:^|\/)src\/.*\.rs$/.test(file) && !targetFiles.has(file)) {
		const text = show(file);
		if (/#\[pymodule|#\[cfg\(test\)\]|#\[test\]/.test(text)) {
			targetFiles.add(file);
		}
	}
}

let written = 0;
for (const file of files) {
	if (projectFile.test(file)) {
		write(file, show(file));
		written++;
	} else if (file.endsWith('Cargo.lock')) {
		const lock = parse(show(file));
		const keep = (lock.package ?? []).filter(entry => /^pyo3(?:-ffi)?$/.test(entry.name) || String(entry.source ?? '').startsWith('git+'));
		const header = `# ${repo} at ${commit}: ${file}, cut down to pyo3, pyo3-ffi and git sources\n`;
		write(file, `${header}${stringify({version: lock.version ?? 3, package: keep.map(({dependencies, ...entry}) => entry)})}\n`);
		written++;
	}
}

for (const file of targetFiles) {
	if (!files.includes(file)) {
		continue;
	}

	// The item a #[pymodule] or #[pyo3(...)] attribute applies to carries the module's name: keep it too.
	const kept = [];
	let keepNext = false;
	for (const line of show(file).split('\n')) {
		if (keptRust.test(line) || (keepNext && /\b(?:fn|mod)\s+\w+/.test(line))) {
			kept.push(line.trimEnd());
		}

		if (line.trim() !== '') {
			keepNext = /#\[pymodule|#\[pyo3\(|#\[cfg\(test\)\]/.test(line) && !/\b(?:fn|mod)\s+\w+/.test(line) ? true : keepNext && /^\s*#\[/.test(line);
		}
	}

	write(file, `// ${repo} at ${commit}: ${file}, only the lines pyo3-doctor reads\n${kept.join('\n')}\n`);
	written++;
}

write('SOURCE', `https://github.com/${repo} at commit ${commit}\n`);
console.log(`${repo}@${commit.slice(0, 12)}: ${written} files in ${path.relative(process.cwd(), out)}`);
