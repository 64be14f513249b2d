import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, it} from 'node:test';
import {resolvedNixText, resolveNixStrings} from '../../src/core/nix/evaluate.js';
import {NixSyntaxError, parseNix} from '../../src/core/nix/parse.js';

const fixtures = fileURLToPath(new URL('../fixtures', import.meta.url));
const wheelsIn = (text: string, files: Record<string, string> = {}) =>
	[...resolvedNixText(text, {readFile: file => files[file]}).matchAll(/[\w.${}]+-[\w.${}]+-[\w${}]+-[\w${}]+-[\w.${}]+\.whl/g)].map(match => match[0]);

describe('Nix strings evaluated from the file alone', () => {
	it('the founding story: a let-bound tail and crane reading Cargo.toml', () => {
		// Given the crane two-step flake with `wheel_tail` in a let binding and pname/version from Cargo.toml
		const root = path.join(fixtures, 'projects', 'flake-wheel-let-tail');
		const text = readFileSync(path.join(root, 'flake.nix'), 'utf8');
		// When its strings are evaluated
		const wheels = wheelsIn(text, {'Cargo.toml': readFileSync(path.join(root, 'Cargo.toml'), 'utf8')});
		// Then both the install phase and the wheel package name the resolved file
		assert.deepEqual(wheels, ['greeter-0.1.0-cp310-cp310-linux_x86_64.whl', 'greeter-0.1.0-cp310-cp310-linux_x86_64.whl']);
		// And without Cargo.toml the name stays as written while the tags resolve
		assert.deepEqual(wheelsIn(text)[0], '${pname}-${version}-cp310-cp310-linux_x86_64.whl');
	});

	it('a tail built from python.pythonVersion with builtins.replaceStrings', () => {
		const text = `
			{ pkgs }:
			let
			  python = pkgs.python311;
			  pyTag = "cp\${builtins.replaceStrings [ "." ] [ "" ] python.pythonVersion}";
			  wheel_tail = "\${pyTag}-\${pyTag}-linux_x86_64";
			in pkgs.stdenv.mkDerivation rec {
			  pname = "greeter";
			  version = "0.1.0";
			  installPhase = "cp dist/\${pname}-\${version}-\${wheel_tail}.whl $out/";
			}`;
		assert.deepEqual(wheelsIn(text), ['greeter-0.1.0-cp311-cp311-linux_x86_64.whl']);
	});

	it('a wheelName attribute reused in two derivations, lib.versions and sourceVersion', () => {
		const text = `
			with import <nixpkgs> {};
			let
			  meta = { wheelName = "greeter-0.1.0-cp\${python312.sourceVersion.major}\${python312.sourceVersion.minor}-abi3-manylinux_2_17_x86_64.whl"; };
			  wheels = stdenv.mkDerivation { installPhase = "cp target/wheels/\${meta.wheelName} $out/"; };
			  short = lib.versions.majorMinor "3.12.4";
			in python312.pkgs.buildPythonPackage {
			  format = "wheel";
			  src = "\${wheels}/\${meta.wheelName}";
			  passthru.short = short;
			}`;
		// The binding itself, the install phase and the wheel package's src
		assert.deepEqual(wheelsIn(text), Array.from({length: 3}, () => 'greeter-0.1.0-cp312-abi3-manylinux_2_17_x86_64.whl'));
		const strings = resolveNixStrings(text)!;
		assert.equal(strings.find(string => string.attribute === 'src')?.text, '${wheels}/greeter-0.1.0-cp312-abi3-manylinux_2_17_x86_64.whl');
	});

	it('inherit, inherit (from), dotted bindings, // and string +', () => {
		const text = `
			let
			  cargo = builtins.fromTOML (builtins.readFile ./Cargo.toml);
			  inherit (cargo.package) version;
			  parts.tail = "cp39-cp39-" + "linux_x86_64";
			  base = { name = cargo.package.name; };
			  full = base // { tail = parts.tail; };
			in {
			  inherit version;
			  installPhase = "cp \${full.name}-\${version}-\${full.tail}.whl $out";
			}`;
		const cargo = '[package]\nname = "demo"\nversion = "2.0.1"\n';
		assert.deepEqual(wheelsIn(text, {'Cargo.toml': cargo}), ['demo-2.0.1-cp39-cp39-linux_x86_64.whl']);
	});

	it('keeps what depends on nixpkgs or arguments as written, and does not loop', () => {
		// Given a function argument, an unversioned python3, and a self-referencing rec binding
		const text = `
			{ tail, python3 }:
			rec {
			  a = "\${b}";
			  b = "\${a}";
			  one = "x-1.0-\${tail}.whl";
			  two = "cp\${python3.pythonVersion}";
			}`;
		const strings = resolveNixStrings(text)!;
		assert.equal(strings.find(string => string.attribute === 'one')?.text, 'x-1.0-${tail}.whl');
		assert.equal(strings.find(string => string.attribute === 'one')?.complete, false);
		assert.equal(strings.find(string => string.attribute === 'two')?.text, 'cp${python3.pythonVersion}');
		assert.ok(strings.find(string => string.attribute === 'a'));
	});

	it('an indented string keeps its escapes: two quotes before a dollar are a literal $', () => {
		const text = "{ installPhase = ''\n  echo ''${HOME} $out\n''; }";
		assert.match(resolveNixStrings(text)![0]!.text, /echo \$\{HOME\} \$out/);
	});

	it('a file that does not parse is reported, and read as plain text', () => {
		assert.throws(() => parseNix('{ a = "x"; '), NixSyntaxError);
		assert.equal(resolveNixStrings('{ a = ; }'), undefined);
		assert.equal(resolvedNixText('{ a = ; }'), '{ a = ; }');
	});
});

describe('the parser agrees with nix-instantiate --parse', {skip: spawnSync('nix-instantiate', ['--version']).status === 0 ? false : 'nix-instantiate is not installed'}, () => {
	it('on every Nix file of the fixtures and the real-tool scenarios', () => {
		const files: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				const full = path.join(dir, name);
				if (statSync(full).isDirectory()) {
					walk(full);
				} else if (name.endsWith('.nix')) {
					files.push(full);
				}
			}
		};

		walk(fixtures);
		walk(fileURLToPath(new URL('../real/scenarios', import.meta.url)));
		assert.ok(files.length > 10);
		for (const file of files) {
			const nix = spawnSync('nix-instantiate', ['--parse', file], {encoding: 'utf8'}).status === 0;
			let ours = true;
			try {
				parseNix(readFileSync(file, 'utf8'));
			} catch {
				ours = false;
			}

			assert.equal(ours, nix, file);
		}
	});
});
