import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parse as parseToml} from 'smol-toml';
import {moduleNameFor, nixPythonAttribute, packageNameFor, planProject, validateAnswers, type InitAnswers, type ProjectKind} from '../../src/core/init/plan.js';
import {loadInitTemplates} from '../../src/io/init-files.js';

const templates = loadInitTemplates();
const kinds: ProjectKind[] = ['extension', 'embedding', 'both'];

function answers(kind: ProjectKind, nix: boolean): InitAnswers {
	return {name: 'my-demo', kind, nix, python: nix ? {version: '3.12'} : {version: '3.11', executable: '/usr/bin/python3'}};
}

const contentOf = (files: Array<{path: string; content: string}>, path: string) => files.find(file => file.path === path)?.content;

test('each variant gets the files it needs and no others', () => {
	// Given every kind, with and without Nix
	const expected: Record<string, string[]> = {
		'extension plain': ['Cargo.toml', 'pyproject.toml', 'build.rs', 'src/lib.rs', '.cargo/config.toml', '.gitignore', 'README.md'],
		'embedding plain': ['Cargo.toml', 'build.rs', 'src/main.rs', '.cargo/config.toml', '.gitignore', 'README.md'],
		'both plain': ['Cargo.toml', 'pyproject.toml', 'build.rs', 'src/lib.rs', 'src/main.rs', '.cargo/config.toml', '.gitignore', 'README.md'],
		'extension nix': ['Cargo.toml', 'pyproject.toml', 'build.rs', 'src/lib.rs', 'flake.nix', '.envrc', '.gitignore', 'README.md'],
		'embedding nix': ['Cargo.toml', 'build.rs', 'src/main.rs', 'flake.nix', '.envrc', '.gitignore', 'README.md'],
		'both nix': ['Cargo.toml', 'pyproject.toml', 'build.rs', 'src/lib.rs', 'src/main.rs', 'flake.nix', '.envrc', '.gitignore', 'README.md'],
	};
	for (const kind of kinds) {
		for (const nix of [false, true]) {
			// When planned
			const files = planProject(answers(kind, nix), templates);
			// Then the file list is exactly the expected one, and no template tag is left
			assert.deepEqual(files.map(file => file.path), expected[`${kind} ${nix ? 'nix' : 'plain'}`]);
			for (const file of files) {
				assert.doesNotMatch(file.content, /\{\{|}}(?!\$)/, `${kind}/${nix}: ${file.path} has a leftover tag`);
			}
		}
	}
});

test('extension-module is never in Cargo.toml, and maturin turns it on', () => {
	for (const kind of kinds) {
		// Given any variant
		const files = planProject(answers(kind, false), templates);
		// Then Cargo.toml parses and its pyo3 dependency has no features
		const cargo = parseToml(contentOf(files, 'Cargo.toml')!) as {dependencies: {pyo3: unknown}; lib?: {'crate-type': string[]; name: string}};
		assert.equal(typeof cargo.dependencies.pyo3, 'string');
		assert.doesNotMatch(contentOf(files, 'Cargo.toml')!, /features\s*=.*extension-module/);
		if (kind !== 'embedding') {
			// And pyproject.toml leaves the extension-module setting to maturin (PYO3_BUILD_EXTENSION_MODULE, pyo3 0.26+),
			// with the module name Rust exports
			const pyproject = parseToml(contentOf(files, 'pyproject.toml')!) as {'build-system': {'build-backend': string; requires: string[]}; project: {'requires-python': string}; tool: {maturin: {features?: string[]; 'module-name': string}}};
			assert.equal(pyproject['build-system']['build-backend'], 'maturin');
			assert.deepEqual(pyproject['build-system'].requires, ['maturin>=1.9.4,<2']);
			assert.equal(pyproject.tool.maturin.features, undefined);
			assert.equal(pyproject.project['requires-python'], '>=3.9');
			assert.equal(pyproject.tool.maturin['module-name'], 'my_demo');
			assert.deepEqual(cargo.lib?.['crate-type'], ['cdylib', 'rlib']);
			assert.match(contentOf(files, 'src/lib.rs')!, /pub fn my_demo\(/);
		}
	}
});

test('without Nix, PYO3_PYTHON names the chosen interpreter for every cargo command', () => {
	// Given a plain project for /usr/bin/python3
	const files = planProject(answers('embedding', false), templates);
	// Then .cargo/config.toml parses and sets it
	const config = parseToml(contentOf(files, '.cargo/config.toml')!) as {env: {PYO3_PYTHON: string}};
	assert.equal(config.env.PYO3_PYTHON, '/usr/bin/python3');
});

test('the flake uses the nixpkgs hooks and never names a wheel', () => {
	// Given the Nix variants
	const extension = contentOf(planProject(answers('extension', true), templates), 'flake.nix')!;
	const embedding = contentOf(planProject(answers('embedding', true), templates), 'flake.nix')!;
	const both = contentOf(planProject(answers('both', true), templates), 'flake.nix')!;
	// Then the extension is built by buildPythonPackage with both hooks, from Cargo.lock
	for (const flake of [extension, both]) {
		assert.match(flake, /buildPythonPackage/);
		assert.match(flake, /rustPlatform\.cargoSetupHook/);
		assert.match(flake, /rustPlatform\.maturinBuildHook/);
		assert.match(flake, /importCargoLock \{ lockFile = \.\/Cargo\.lock; }/);
		assert.match(flake, /\.venv/);
		assert.match(flake, /PYO3_PYTHON/);
		assert.match(flake, /pkgs\.maturin/);
	}

	// And no wheel file name, no separate maturin invocation, no extension-module in the shell
	for (const flake of [extension, embedding, both]) {
		assert.doesNotMatch(flake, /\.whl|maturin build|PYO3_BUILD_EXTENSION_MODULE/);
		assert.match(flake, /pkgs\.python312/);
	}

	// And the program is packaged with python.withPackages and a PYTHONHOME wrapper
	for (const flake of [embedding, both]) {
		assert.match(flake, /withPackages/);
		assert.match(flake, /wrapProgram \$out\/bin\/my-demo(-embed)? --set PYTHONHOME/);
	}

	assert.match(both, /my-demo-embed = programFor pkgs;/);
	assert.match(embedding, /default = programFor pkgs;/);
});

test('the README explains the choices that matter for each variant', () => {
	// Given a plain extension and a Nix embedding
	const plainReadme = contentOf(planProject(answers('extension', false), templates), 'README.md')!;
	const nixReadme = contentOf(planProject(answers('embedding', true), templates), 'README.md')!;
	// Then each explains its own set-up and nothing of the other
	assert.match(plainReadme, /extension-module` is turned on by maturin only/);
	assert.match(plainReadme, /maturin develop/);
	assert.doesNotMatch(plainReadme, /flake|withPackages/);
	assert.match(nixReadme, /python\.withPackages/);
	assert.match(nixReadme, /PYO3_PYTHON/);
	assert.doesNotMatch(nixReadme, /maturin develop/);
});

test('names: package and module names come out usable', () => {
	// Given awkward directory names
	// Then they become package and module names Cargo and Python accept
	assert.equal(packageNameFor('My Project!'), 'my-project');
	assert.equal(packageNameFor('2fast'), 'py-2fast');
	assert.equal(moduleNameFor('my-project'), 'my_project');
	assert.equal(nixPythonAttribute('3.13'), 'python313');
});

test('answers that cannot be planned are refused with the reason', () => {
	// Given a bad name, a bad version and a plain project without an interpreter
	const problems = validateAnswers({name: 'Bad Name', kind: 'extension', nix: false, python: {version: 'three'}});
	// Then all three are named
	assert.equal(problems.length, 3);
	assert.throws(() => planProject({name: 'ok', kind: 'extension', nix: false, python: {version: '3.12'}}, templates), /path of the Python interpreter/);
});

test('a project on pyo3 before 0.26 gives maturin the extension-module feature instead', () => {
	// Given an extension pinned to pyo3 0.25, which does not read PYO3_BUILD_EXTENSION_MODULE
	const files = planProject({...answers('extension', false), pyo3Version: '0.25'}, templates);
	// Then maturin turns the feature on for the wheel build, and the README says so
	const pyproject = parseToml(contentOf(files, 'pyproject.toml')!) as {tool: {maturin: {features: string[]}}; project: {'requires-python': string}};
	assert.deepEqual(pyproject.tool.maturin.features, ['pyo3/extension-module']);
	assert.equal(pyproject.project['requires-python'], '>=3.7');
	assert.match(contentOf(files, 'README.md')!, /\[tool\.maturin\] features/);
});

test('a Python older than the pyo3 version supports is refused before anything is planned', () => {
	// Given Python 3.8, which pyo3 0.30 no longer supports
	const problems = validateAnswers({name: 'ok', kind: 'embedding', nix: true, python: {version: '3.8'}});
	// Then the answers are refused with the supported range
	assert.deepEqual(problems, ['pyo3 0.30 supports Python 3.9 to 3.15: 3.8 is too old.']);
	assert.deepEqual(validateAnswers({name: 'ok', kind: 'embedding', nix: true, python: {version: '3.9'}}), []);
});
