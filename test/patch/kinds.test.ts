import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {editKinds} from '../../src/core/patch/kinds.js';
import {checkNixSyntax, endOfBindingValue, matchingBrace} from '../../src/core/patch/nix-text.js';
import type {EditOutcome} from '../../src/core/patch/types.js';

function apply(kind: string, text: string | undefined, params: Record<string, unknown>, facts: Record<string, unknown> = {}, path = 'flake.nix'): EditOutcome {
	const edit = editKinds.get(kind);
	assert.ok(edit, kind);
	return edit.apply(text, edit.params.parse(params), {facts, path, readFile: () => undefined});
}

function after(outcome: EditOutcome): string {
	assert.equal(outcome.kind, 'changed', JSON.stringify(outcome));
	return (outcome as {text: string}).text;
}

describe('nix-wheel-glob', () => {
	it('globs wheel names in phases, keeping shell quotes working', () => {
		// Given an installPhase naming the wheel, once bare and once in double quotes
		const text = [
			'{',
			'  installPhase = \'\'',
			'    mkdir -p $out',
			'    cp target/wheels/my_pkg-0.1.0-cp310-cp310-manylinux_2_34_x86_64.whl $out/',
			'    pip install "dist/${pname}-${version}-cp310-cp310-linux_x86_64.whl"',
			'  \'\';',
			'}',
			'',
		].join('\n');
		// When the edit runs
		const result = after(apply('nix-wheel-glob', text, {}));
		// Then both names become globs, the quoted one outside its quotes
		assert.equal(result, text.replace('my_pkg-0.1.0-cp310-cp310-manylinux_2_34_x86_64.whl', '*.whl').replace('${pname}-${version}-cp310-cp310-linux_x86_64.whl"', '"*.whl'));
		// And the second run has nothing left to do
		assert.equal(apply('nix-wheel-glob', result, {}).kind, 'unchanged');
	});

	it('globs a name spelled through let bindings, and hands a wheel package its derivation with an unpackPhase', () => {
		// Given the tags in a let binding, used in a phase and in a wheel package's src
		const text = [
			'let',
			'  tail = "cp311-cp311-linux_x86_64";',
			'  wheels = mkDerivation { installPhase = "cp dist/greeter-0.1.0-${tail}.whl $out/"; };',
			'in buildPythonPackage {',
			'  format = "wheel";',
			'  src = "${wheels}/greeter-0.1.0-${tail}.whl";',
			'}',
			'',
		].join('\n');
		// When the edit runs
		const result = after(apply('nix-wheel-glob', text, {}));
		// Then the phase globs and src is the derivation, copied by an unpackPhase
		assert.match(result, /installPhase = "cp dist\/\*\.whl \$out\/";/);
		assert.match(result, /\n  src = wheels;\n  unpackPhase = ''mkdir -p dist; cp \$\{wheels\}\/\*\.whl dist\/'';\n/);
		assert.equal(apply('nix-wheel-glob', result, {}).kind, 'unchanged');
		// And a name whose tags are not known (a function argument) is left alone
		assert.equal(apply('nix-wheel-glob', '{ tail }: { installPhase = "cp dist/greeter-0.1.0-${tail}.whl $out/"; }\n', {}).kind, 'unchanged');
	});

	it('explains instead of globbing a wheel named outside shell code', () => {
		// Given a wheel used as a Nix string value that is not a src, where no glob expands
		const text = '{\n  wheelFile = "${wheels}/my_pkg-0.1.0-cp310-cp310-linux_x86_64.whl";\n  format = "wheel";\n}\n';
		// When the edit runs
		const result = apply('nix-wheel-glob', text, {});
		// Then it says what to do in words
		assert.equal(result.kind, 'manual');
		assert.match((result as {reason: string}).reason, /outside shell code.*maturinBuildHook/s);
	});
});

describe('nix-maturin-compatibility and maturin-compatibility', () => {
	it('rewrites --compatibility and --manylinux arguments, not comments', () => {
		// Given flags in a phase, in a flag list, and in a comment
		const text = [
			'{',
			'  # maturin build --compatibility manylinux2014 was the old way',
			'  buildPhase = "maturin build --release --compatibility manylinux2014";',
			'  maturinArgs = [ "--manylinux" "2014" ];',
			'}',
			'',
		].join('\n');
		// When the edit runs
		const result = after(apply('nix-maturin-compatibility', text, {}));
		// Then the two real requests change and the comment stays
		assert.equal(result, text.replace('--release --compatibility manylinux2014', '--release --compatibility linux').replace('"--manylinux" "2014"', '"--manylinux" "off"'));
		assert.equal(apply('nix-maturin-compatibility', result, {}).kind, 'unchanged');
	});

	it('asks to remove a tag from maturinBuildFlags, where maturinBuildHook already passes one', () => {
		// Given a tag in the flags the hook appends to its own --manylinux off
		const text = '{\n  nativeBuildInputs = [ rustPlatform.maturinBuildHook ];\n  maturinBuildFlags = [ "--compatibility" "manylinux2014" ];\n}\n';
		// When the edit runs
		const result = apply('nix-maturin-compatibility', text, {});
		// Then it does not make a second linux tag (maturin stops on two), it says to remove the flag
		assert.equal(result.kind, 'manual');
		assert.match((result as {reason: string}).reason, /remove it from maturinBuildFlags/);
	});

	it('replaces a manylinux [tool.maturin] compatibility and explains when there is none', () => {
		// Given a pyproject.toml with compatibility, and one without
		const pyproject = '[tool.maturin]\ncompatibility = "manylinux2014"  # for PyPI\nfeatures = ["x"]\n';
		// Then the value changes, comment kept; without it, words point at the command line
		assert.equal(after(apply('maturin-compatibility', pyproject, {}, {}, 'pyproject.toml')), '[tool.maturin]\ncompatibility = "linux"  # for PyPI\nfeatures = ["x"]\n');
		const none = apply('maturin-compatibility', '[tool.maturin]\nfeatures = ["x"]\n', {}, {}, 'pyproject.toml');
		assert.equal(none.kind, 'manual');
		assert.match((none as {reason: string}).reason, /--compatibility linux/);
	});
});

describe('add-line', () => {
	it('adds a venv layout after use flake, once', () => {
		// Given an .envrc that loads the flake
		const text = 'watch_file flake.lock\nuse flake\ndotenv_if_exists\n';
		// When the line is added
		const result = after(apply('add-line', text, {line: 'layout python3', after: '^use (flake|nix)', presentIf: '^layout python'}, {}, '.envrc'));
		// Then it sits right after `use flake`, and a second run changes nothing
		assert.equal(result, 'watch_file flake.lock\nuse flake\nlayout python3\ndotenv_if_exists\n');
		assert.equal(apply('add-line', result, {line: 'layout python3', after: '^use (flake|nix)'}, {}, '.envrc').kind, 'unchanged');
		assert.equal(apply('add-line', undefined, {line: 'layout python3'}, {}, '.envrc').kind, 'manual');
	});
});

describe('nix-shell-lines for a dev shell venv', () => {
	it('adds a shellHook, or puts the lines first in an existing one', () => {
		// Given a mkShell without shellHook, and one with
		const lines = ['[ -x .venv/bin/python ] || ${@python@}/bin/python3 -m venv .venv', 'source .venv/bin/activate'];
		const bare = 'let\n  python = pkgs.python312;\nin pkgs.mkShell {\n  packages = [ python ];\n}\n';
		const hooked = 'let\n  python = pkgs.python312;\nin pkgs.mkShell {\n  packages = [ python ];\n  shellHook = \'\'\n    export FOO=1\n  \'\';\n}\n';
		// When the edit runs on each
		const added = after(apply('nix-shell-lines', bare, {attr: 'shellHook', lines, builders: ['mkShell']}));
		const extended = after(apply('nix-shell-lines', hooked, {attr: 'shellHook', lines, builders: ['mkShell']}));
		// Then the lines name the file's own Python, and the result parses
		assert.equal(added, "let\n  python = pkgs.python312;\nin pkgs.mkShell {\n  packages = [ python ];\n  shellHook = ''\n    [ -x .venv/bin/python ] || ${python}/bin/python3 -m venv .venv\n    source .venv/bin/activate\n  '';\n}\n");
		assert.equal(extended, "let\n  python = pkgs.python312;\nin pkgs.mkShell {\n  packages = [ python ];\n  shellHook = ''\n    [ -x .venv/bin/python ] || ${python}/bin/python3 -m venv .venv\n    source .venv/bin/activate\n    export FOO=1\n  '';\n}\n");
		assert.equal(checkNixSyntax(added), undefined);
		assert.equal(apply('nix-shell-lines', added, {attr: 'shellHook', lines, builders: ['mkShell']}).kind, 'unchanged');
	});
});

describe('nix-set-attr', () => {
	it('leaves a set that already has the attribute, including as env.NAME', () => {
		// Given shells that set PYO3_PYTHON directly and through env
		const direct = 'let python = pkgs.python3; in pkgs.mkShell {\n  PYO3_PYTHON = "${python}/bin/python3";\n}\n';
		const viaEnv = 'let python = pkgs.python3; in pkgs.mkShell {\n  env.PYO3_PYTHON = "${python}/bin/python3";\n}\n';
		const params = {attr: 'PYO3_PYTHON', value: '"${@python@}/bin/python3"', builders: ['mkShell']};
		// Then neither changes
		assert.equal(apply('nix-set-attr', direct, params).kind, 'unchanged');
		assert.equal(apply('nix-set-attr', viaEnv, params).kind, 'unchanged');
	});

	it('explains when the set is on one line or no Python is bound', () => {
		const params = {attr: 'PYO3_PYTHON', value: '"${@python@}/bin/python3"', builders: ['mkShell']};
		const oneLine = apply('nix-set-attr', 'let python = pkgs.python3; in pkgs.mkShell { packages = [ python ]; }\n', params);
		const noPython = apply('nix-set-attr', '{ pkgs }: pkgs.mkShell {\n  packages = [ pkgs.cargo ];\n}\n', params);
		assert.match(oneLine.kind === 'manual' ? oneLine.reason : '', /written on one line/);
		assert.match(noPython.kind === 'manual' ? noPython.reason : '', /binds no Python interpreter.*PYO3_PYTHON = "\$\{python\}\/bin\/python3"/s);
	});
});

describe('finding the end of Nix values', () => {
	it('skips comments and strings, whatever brackets or semicolons they hold', () => {
		const value = 'f { a = "};"; } /* ; } */ # ;\n  ["x;" ]; rest';
		assert.equal(endOfBindingValue(value, 0), value.indexOf('; rest'));
		const attrset = "{ b = ''}''; /* } */ }";
		assert.equal(matchingBrace(attrset, 0), attrset.length - 1);
		assert.equal(endOfBindingValue('x /* never closed ;', 0), undefined);
	});
});

describe('the built-in Nix syntax check', () => {
	it('accepts valid shapes and names the line of a mistake', () => {
		assert.equal(checkNixSyntax("{ a = ''\n  echo ${b} ''${c} '''\n''; b = \"x\\\"y\"; /* c */ }\n"), undefined);
		assert.match(checkNixSyntax('{\n  a = [ 1 2;\n}\n') ?? '', /line 3: "}" does not close the "\[" of line 2/);
		assert.match(checkNixSyntax('{\n  a = 1\n  b = 2;\n}\n') ?? '', /line 2: the binding has no ";"/);
		assert.match(checkNixSyntax("{\n  a = ''\n    x\n}\n") ?? '', /never closed/);
	});
});

describe('TOML edits keep everything else byte for byte', () => {
	it('removes a feature from the dependency with comments and odd spacing kept', () => {
		// Given a table-form pyo3 with a trailing comment and a comment line in features
		const text = '[dependencies.pyo3]\nversion = "0.22"   # pinned\nfeatures = [\n  # for wheels\n  "extension-module" ,\n  "macros",\n]\n';
		// When the feature is removed
		const result = after(apply('cargo-remove-dependency-feature', text, {dependency: 'pyo3', feature: 'extension-module'}, {}, 'Cargo.toml'));
		// Then only that item's line goes
		assert.equal(result, '[dependencies.pyo3]\nversion = "0.22"   # pinned\nfeatures = [\n  # for wheels\n  "macros",\n]\n');
	});

	it('explains a path dependency or a requirement it cannot raise', () => {
		const path = apply('cargo-raise-dependency', '[dependencies]\npyo3 = { path = "../pyo3" }\n', {dependencies: ['pyo3'], version: '0.22'}, {}, 'Cargo.toml');
		const complex = apply('cargo-raise-dependency', '[dependencies]\npyo3 = ">=0.20, <0.21"\n', {dependencies: ['pyo3'], version: '0.22'}, {}, 'Cargo.toml');
		assert.match(path.kind === 'manual' ? path.reason : '', /no version requirement/);
		assert.match(complex.kind === 'manual' ? complex.reason : '', /not a simple one/);
	});

	it('refuses to edit a file that is not valid TOML', () => {
		const result = apply('maturin-add-feature', '[tool.maturin\nfeatures = []\n', {feature: 'x'}, {}, 'pyproject.toml');
		assert.match(result.kind === 'manual' ? result.reason : '', /not valid TOML/);
	});
});

describe('nix-maturin-compatibility without a tag in the file', () => {
	const text = '{\n  buildPhase = \'\'\n    maturin build --release\n  \'\';\n  meta.description = "maturin build";\n}\n';

	it('adds the flag that fits the maturin version to maturin build in phase code', () => {
		// Given a phase running maturin build with no tag, and maturin versions before and after 0.11
		// When the edit runs
		const old = after(apply('nix-maturin-compatibility', text, {}, {maturin: {version: '0.10.6'}}));
		const current = apply('nix-maturin-compatibility', text, {}, {maturin: {version: '1.16.0'}});
		const unknown = apply('nix-maturin-compatibility', text, {}, {});
		// Then old maturin gets --manylinux off, newer --compatibility linux; the description is left alone
		assert.equal(old, text.replace('maturin build --release', 'maturin build --manylinux off --release'));
		assert.equal(after(current), text.replace('maturin build --release', 'maturin build --compatibility linux --release'));
		assert.deepEqual(current.kind === 'changed' && current.notes, undefined);
		// And with the version unknown the note says what older maturin needs
		assert.match((unknown as {notes?: string[]}).notes?.[0] ?? '', /0\.11 or newer \(older: --manylinux off\)/);
		assert.equal(apply('nix-maturin-compatibility', old, {}, {maturin: {version: '0.10.6'}}).kind, 'unchanged');
	});
});
