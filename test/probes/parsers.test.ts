import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import {cargoLockInSync} from '../../src/probes/build-inputs.js';
import {isElf, parseReadelfDynamic} from '../../src/probes/parsers/elf.js';
import {
	callsPythonRuntime,
	hasRustTests,
	parseCargoLockGitPackages,
	parseSetupPyRustExtensions,
	testModules,
	parseCargoConfig,
	parseCargoLockVersions,
	parseCargoManifest,
	parseNixCues,
	parsePymoduleNames,
	parsePyproject,
} from '../../src/probes/parsers/project.js';
import {parsePythonProbe, parsePythonVersion} from '../../src/probes/parsers/python.js';
import {
	parseExperimentalFeatures,
	parseGlibcVersion,
	parseLdconfigCache,
	parseMaturinVersion,
	parseNixVersion,
	parseRustcVerbose,
	parseToolVersion,
} from '../../src/probes/parsers/tools.js';

// Outputs captured from the real tools on a Debian 12 machine (see test/fixtures/probe-outputs).
const captured = (name: string) => readFileSync(new URL(`../fixtures/probe-outputs/${name}`, import.meta.url), 'utf8');
const projectFile = (project: string, name: string) => readFileSync(new URL(`../fixtures/projects/${project}/${name}`, import.meta.url), 'utf8');

describe('tool output parsers on captured outputs', () => {
	it('reads nix --version and the experimental features of nix show-config', () => {
		// Given nix 2.8.0's real outputs
		// When they are parsed
		// Then the version and the feature list come out, and flakes is not among them
		assert.equal(parseNixVersion(captured('nix-version-2.8.0.txt')), '2.8.0');
		assert.deepEqual(parseExperimentalFeatures(captured('nix-show-config-2.8.0.txt')), ['nix-command']);
		assert.deepEqual(parseExperimentalFeatures('experimental-features = nix-command flakes\n'), ['nix-command', 'flakes']);
	});

	it('reads cargo --version and rustc -vV', () => {
		assert.equal(parseToolVersion(captured('cargo-version.txt'), 'cargo'), '1.95.0');
		assert.deepEqual(parseRustcVerbose(captured('rustc-vV.txt')), {release: '1.95.0', host: 'x86_64-unknown-linux-gnu'});
	});

	it('reads glibc from getconf and from ldd', () => {
		assert.equal(parseGlibcVersion(captured('getconf-glibc.txt')), '2.36');
		assert.equal(parseGlibcVersion(captured('ldd-version.txt')), '2.36');
		assert.equal(parseGlibcVersion('musl libc (x86_64)\nVersion 1.2.4\n'), undefined);
	});

	it('reads the loader cache of ldconfig -p', () => {
		const cache = parseLdconfigCache(captured('ldconfig-p.txt'));
		assert.deepEqual(cache.get('libpython3.11.so.1.0'), ['/lib/x86_64-linux-gnu/libpython3.11.so.1.0']);
		assert.equal(cache.has('libpython3.13.so.1.0'), false);
	});

	it('reads maturin --version', () => {
		assert.equal(parseMaturinVersion(captured('maturin-version.txt')), captured('maturin-version.txt').trim().split(' ')[1]);
	});

	it('returns nothing for garbage instead of guessing', () => {
		// Given output that looks a little like each tool's
		const garbage = '\u001B[31mgarbage\u0000\uFFFD {"version": 3,\nnix (Nix)\nrelease: \nexperimental-features\n';
		// Then no parser invents a value
		assert.equal(parseNixVersion(garbage), undefined);
		assert.equal(parseExperimentalFeatures(garbage), undefined);
		assert.deepEqual(parseRustcVerbose(garbage), {});
		assert.equal(parseToolVersion(garbage, 'cargo'), undefined);
		assert.equal(parsePythonProbe(garbage), undefined);
		assert.equal(parseGlibcVersion(garbage), undefined);
	});
});

describe('the Python probe script output', () => {
	it('describes Debian\'s python3.11, externally managed, with a shared libpython', () => {
		const info = parsePythonProbe(captured('python-debian-3.11.json'))!;
		assert.equal(info.version, '3.11');
		assert.equal(info.executable, '/usr/bin/python3');
		assert.equal(info.sharedLibpython, true);
		assert.equal(info.instsoname, 'libpython3.11.so.1.0');
		assert.equal(info.libpythonExists, true);
		assert.equal(info.externallyManaged, true);
		assert.equal(info.wheelTags[0], 'manylinux_2_36_x86_64');
		assert.equal(info.wheelTags.at(-1), 'linux_x86_64');
	});

	it('describes a pyenv 3.13 and a Python 2.7 (no EXT_SUFFIX, no importlib.util)', () => {
		const current = parsePythonProbe(captured('python-pyenv-3.13.json'))!;
		assert.equal(current.extSuffix, '.cpython-313-x86_64-linux-gnu.so');
		assert.deepEqual(current.extensionSuffixes, ['.cpython-313-x86_64-linux-gnu.so', '.abi3.so', '.so']);
		const old = parsePythonProbe(captured('python-pyenv-2.7.json'))!;
		assert.equal(old.version, '2.7');
		assert.equal(old.extSuffix, undefined);
		assert.equal(old.extensionSuffixes, undefined);
		assert.equal(old.hasMaturin, undefined);
	});

	it('takes the last JSON line when a sitecustomize prints first, and rejects a partial object', () => {
		assert.equal(parsePythonProbe(`hello from sitecustomize\n${captured('python-debian-3.11.json')}`)?.version, '3.11');
		assert.equal(parsePythonProbe('{"version": "3.11"}'), undefined);
		assert.equal(parsePythonVersion('Python 3.12.1\n'), '3.12.1');
	});
});

describe('ELF dynamic section', () => {
	it('reads NEEDED and RUNPATH from readelf -d', () => {
		const section = parseReadelfDynamic(captured('readelf-d-embed.txt'));
		assert.ok(section.needed.includes('libpython3.13.so.1.0'), section.needed.join(' '));
		assert.ok(section.needed.includes('libc.so.6'));
		assert.deepEqual(section.runpath, ['/opt/python/lib', '$ORIGIN/../lib']);
		assert.equal(isElf(new Uint8Array([0x7F, 0x45, 0x4C, 0x46])), true);
		assert.equal(isElf(new TextEncoder().encode('#!/bin')), false);
	});
});

describe('project file readers', () => {
	it('sees extension-module on the pyo3 dependency', () => {
		const manifest = parseCargoManifest(projectFile('extension-module-with-tests', 'Cargo.toml'))!;
		assert.equal(manifest.pyo3Declared, true);
		assert.deepEqual(manifest.pyo3Features, ['extension-module']);
		assert.deepEqual(manifest.crateTypes, ['cdylib', 'rlib']);
		assert.equal(manifest.libName, 'ext_with_tests');
	});

	it('follows default crate features to pyo3 features, and leaves optional ones out of the defaults', () => {
		assert.deepEqual(parseCargoManifest(projectFile('extension-module-default-feature-bin', 'Cargo.toml'))!.pyo3FeaturesViaDefault, ['extension-module']);
		const optional = parseCargoManifest(projectFile('extension-module-for-maturin-only', 'Cargo.toml'))!;
		assert.deepEqual(optional.pyo3FeaturesViaDefault, []);
		assert.deepEqual(optional.pyo3FeaturesViaOptional, ['extension-module']);
	});

	it('reads renamed and workspace-inherited pyo3 dependencies', () => {
		const renamed = parseCargoManifest('[package]\nname = "a"\n[dependencies]\npython = { package = "pyo3", version = "0.21", features = ["auto-initialize"] }\n')!;
		assert.deepEqual(renamed.pyo3Features, ['auto-initialize']);
		const inherited = parseCargoManifest('[workspace.dependencies]\npyo3 = { version = "0.22.2", features = ["abi3-py38"] }\n[package]\nname = "b"\n[dependencies]\npyo3 = { workspace = true }\n')!;
		assert.equal(inherited.pyo3Requirement, '0.22.2');
		assert.deepEqual(inherited.pyo3Features, ['abi3-py38']);
		assert.equal(parseCargoManifest('not = [toml'), undefined);
	});

	it('lists every pyo3 version in Cargo.lock', () => {
		assert.deepEqual(parseCargoLockVersions(projectFile('two-pyo3-versions', 'Cargo.lock'), ['pyo3', 'pyo3-ffi']), {pyo3: ['0.22.0', '0.20.3'], 'pyo3-ffi': ['0.22.0']});
	});

	it('reads pyproject.toml and .cargo/config.toml', () => {
		assert.deepEqual(parsePyproject(projectFile('extension-module-for-maturin-only', 'pyproject.toml')), {
			buildBackend: 'maturin',
			maturinModuleName: 'ext_maturin_only',
			maturinFeatures: ['extension-module'],
			setuptoolsRustExtensions: [],
		});
		const config = parseCargoConfig('[target.x86_64-apple-darwin]\nrustflags = ["-C", "link-arg=-undefined", "-C", "link-arg=dynamic_lookup"]\n[target.x86_64-unknown-linux-gnu]\nlinker = "clang"\n[env]\nPYO3_BUILD_EXTENSION_MODULE = "1"\n');
		assert.equal(config.dynamicLookup, true);
		assert.deepEqual(config.linkers, {'x86_64-unknown-linux-gnu': 'clang'});
		assert.deepEqual(config.env, {PYO3_BUILD_EXTENSION_MODULE: '1'});
	});

	it('resolves an [env] value marked relative against the folder that holds .cargo', () => {
		const text = '[env]\nPYO3_CONFIG_FILE = {value = "pyo3-build-config.txt", relative = true}\nPLAIN = "x.txt"\nABSOLUTE = {value = "/etc/x.txt", relative = true}\n';
		const config = parseCargoConfig(text, '/work/project');
		assert.deepEqual(config.env, {PYO3_CONFIG_FILE: '/work/project/pyo3-build-config.txt', PLAIN: 'x.txt', ABSOLUTE: '/etc/x.txt'});
		assert.equal(parseCargoConfig(text).env.PYO3_CONFIG_FILE, 'pyo3-build-config.txt');
	});

	it('finds the Nix cues: hooks, a hard-coded wheel, the Python attribute, maturin flags', () => {
		const mismatch = parseNixCues([projectFile('flake-wheel-mismatch', 'flake.nix')]);
		assert.equal(mismatch.usesMaturinBuildHook, true);
		assert.equal(mismatch.usesCargoSetupHook, true);
		assert.equal(mismatch.usesBuildPythonPackage, true);
		assert.equal(mismatch.usesCraneArtifacts, false);
		assert.deepEqual(mismatch.hardcodedWheels, ['ext_flake-0.1.0-cp310-cp310-manylinux_2_17_x86_64.whl']);
		assert.equal(mismatch.pythonAttr, 'python311');
		assert.equal(mismatch.mentionsPyo3Python, true);
		const crane = parseNixCues([projectFile('crane-artifacts', 'flake.nix')]);
		assert.equal(crane.usesCraneArtifacts, true);
		assert.equal(crane.manylinuxFlag, 'off');
		assert.equal(crane.pythonAttr, 'python312');
		assert.deepEqual(crane.hardcodedWheels, []);
	});

	it('names #[pymodule] functions and spots tests in sources', () => {
		assert.deepEqual(parsePymoduleNames(projectFile('extension-module-with-tests', 'src/lib.rs')), ['ext_with_tests']);
		assert.deepEqual(parsePymoduleNames('#[pymodule]\n#[pyo3(name = "_core")]\nfn core(m: &Bound<PyModule>) {}\n#[pymodule(name = "other")]\npub mod inner {}\n'), ['_core', 'other']);
		assert.equal(hasRustTests('#[cfg(test)]\nmod tests {}'), true);
		assert.equal(hasRustTests(projectFile('extension-module-lib-only', 'src/lib.rs')), false);
	});
});

describe('what the other backends and raw-binding crates say', () => {
	it('reads setuptools-rust targets from pyproject.toml and setup.py, positional or by keyword', () => {
		const pyproject = parsePyproject('[build-system]\nbuild-backend = "setuptools.build_meta"\n[[tool.setuptools-rust.ext-modules]]\ntarget = "setuptools_rust_starter._setuptools_rust_starter"\n')!;
		assert.deepEqual(pyproject.setuptoolsRustExtensions, [{target: 'setuptools_rust_starter._setuptools_rust_starter'}]);
		// Qiskit's setup.py (at 301a22ce): the manifest is the second positional argument
		const qiskit = 'RustExtension(\n    "qiskit._accelerate",\n    "crates/pyext/Cargo.toml",\n    binding=Binding.PyO3,\n    generated_files={"include": "qiskit.capi", "_ctypes.py": "qiskit.capi"},\n)';
		assert.deepEqual(parseSetupPyRustExtensions(qiskit), [{target: 'qiskit._accelerate', path: 'crates/pyext/Cargo.toml'}]);
		assert.deepEqual(parseSetupPyRustExtensions('RustExtension(target="pkg._native", path="rust/Cargo.toml")'), [{target: 'pkg._native', path: 'rust/Cargo.toml'}]);
		assert.deepEqual(parseSetupPyRustExtensions('RustExtension(name_from_somewhere)'), []);
	});

	it('takes a pyo3-ffi-only crate for a PyO3 crate, and its hand-written PyInit_ for the module name', () => {
		const orjson = parseCargoManifest('[package]\nname = "orjson"\nversion = "3.11.0"\n[lib]\nname = "orjson"\ncrate-type = ["cdylib"]\n[dependencies]\npyo3-ffi = { version = "0.28", default-features = false }\n')!;
		assert.equal(orjson.pyo3Declared, true);
		assert.equal(orjson.pyo3Crate, 'pyo3-ffi');
		assert.deepEqual(parsePymoduleNames('#[no_mangle]\npub(crate) unsafe extern "C" fn PyInit_orjson() -> *mut PyModuleDef {'), ['orjson']);
	});

	it('inherits pyo3 features from [workspace.dependencies], and a path dependency', () => {
		const root = '[workspace]\nmembers = ["py"]\n[workspace.dependencies]\npyo3 = { version = "0.22.0", features = ["extension-module"] }\n';
		const member = parseCargoManifest('[package]\nname = "py"\n[dependencies]\npyo3.workspace = true\n', root)!;
		assert.deepEqual(member.pyo3Features, ['extension-module']);
		assert.equal(member.pyo3Requirement, '0.22.0');
		assert.equal(parseCargoManifest('[package]\nname = "ex"\n[dependencies]\npyo3 = { path = "../../" }\n')!.pyo3Path, '../../');
		const viaDefault = parseCargoManifest('[package]\nname = "t"\n[dependencies]\npyo3 = "0.29"\n[features]\ndefault = ["ext-module", "abi3"]\next-module = ["pyo3/extension-module"]\nabi3 = ["pyo3/abi3"]\n')!;
		assert.deepEqual(viaDefault.defaultFeaturesEnablingExtensionModule, ['ext-module']);
	});

	it('names the packages a crate depends on as Cargo.lock does: renames and workspace inheritance resolved', () => {
		const root = '[workspace]\nmembers = ["crates/*"]\n[workspace.dependencies]\narrow-format = { package = "polars-arrow-format", version = "0.2" }\npyo3 = "0.30"\n';
		const member = parseCargoManifest('[package]\nname = "polars-io"\n[dependencies]\narrow-format.workspace = true\npyo3 = { workspace = true, optional = true }\nnum = { package = "num-traits", version = "0.2" }\n[target.\'cfg(unix)\'.dev-dependencies]\nlibc = "0.2"\n', root)!;
		assert.deepEqual(member.dependencyPackages, ['polars-arrow-format', 'pyo3', 'num-traits', 'libc']);
		const lock = (...dependencies: string[]) => `[[package]]\nname = "polars-io"\nversion = "0.1.0"\ndependencies = [${dependencies.map(name => `"${name}"`).join(', ')}]\n`;
		assert.equal(cargoLockInSync(member, lock('libc', 'num-traits', 'polars-arrow-format', 'pyo3 0.30.1')), true);
		assert.equal(cargoLockInSync(member, lock('libc', 'num-traits', 'pyo3')), false);
		assert.equal(cargoLockInSync({crateName: 'other', dependencyPackages: []}, lock()), undefined);
	});

	it('sees `maturin build` however a Nix file calls it: by name, by store path, through an argument', () => {
		assert.equal(parseNixCues(['buildPhase = "maturin build --release";']).runsMaturinBuild, true);
		assert.equal(parseNixCues(['buildPhase = "${pkgs.maturin}/bin/maturin build -i python3";']).runsMaturinBuild, true);
		assert.equal(parseNixCues(['buildPhase = \'\'\n  ${maturin} build --offline --out dist\n\'\';']).runsMaturinBuild, true);
		assert.equal(parseNixCues(['buildPhase = \'\'\n  "${maturin}" build\n\'\';']).runsMaturinBuild, true);
		assert.equal(parseNixCues(['nativeBuildInputs = [ maturin ]; buildPhase = "cargo build";']).runsMaturinBuild, false);
	});

	it('tells tests that call into Python from ones that do not', () => {
		const source = 'fn f(py: Python<\'_>) {}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn pure() { assert_eq!(1, 1); }\n}\n';
		assert.equal(callsPythonRuntime(testModules(source)), false);
		assert.equal(callsPythonRuntime(testModules(`${source}#[cfg(test)]\nmod py_tests {\n    #[test]\n    fn t() { Python::attach(|py| {}); }\n}\n`)), true);
	});

	it('reads git sources of Cargo.lock and the outputHashes keys of Nix files', () => {
		const lock = '[[package]]\nname = "color-backtrace"\nversion = "0.7.0"\nsource = "git+https://github.com/orlp/color-backtrace?rev=20f5eea#20f5eea183563bb4cfac9a4d65901d4a1002cde2"\n[[package]]\nname = "pyo3"\nversion = "0.29.2"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n';
		assert.deepEqual(parseCargoLockGitPackages(lock), [{nameVersion: 'color-backtrace-0.7.0', commit: '20f5eea183563bb4cfac9a4d65901d4a1002cde2'}]);
		const cues = parseNixCues(['cargoDeps = importCargoLock { lockFile = ./Cargo.lock; outputHashes = { "pyo3-0.24.2" = "sha256-0V4c"; }; };']);
		assert.deepEqual(cues.outputHashes, ['pyo3-0.24.2']);
		assert.equal(cues.importsCargoLock, true);
	});
});

