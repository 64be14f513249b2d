import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {
	formatFileProblem,
	nixInstantiateProblem,
	nixScanProblem,
	pyo3ConfigProblem,
	tomlProblem,
	withoutFactsFromBrokenFiles,
} from '../../src/core/files/parse-problems.js';
import {reportLines} from '../../src/ui/screens/ReportScreen.js';
import {checkForArea} from '../../src/core/facts/checks.js';

// What nix-instantiate 2.8.0 (Debian's nix-bin) printed for `{ a = 1;\n  b = [ 1 2 ;\n}`.
const nixStderr = `warning: the group 'nixbld' specified in 'build-users-group' does not exist
error: syntax error, unexpected ';'

       at /tmp/p/flake.nix:2:13:

            1| { a = 1;
            2|   b = [ 1 2 ;
             |             ^
            3| }
`;

describe('project files that do not parse', () => {
	it('names a TOML error with the parser\'s line and column', () => {
		const problem = tomlProblem('Cargo.toml', '[package\nname = "x"\n');
		assert.deepEqual({line: problem?.line, column: problem?.column}, {line: 1, column: 9});
		assert.equal(formatFileProblem(problem!), 'Cargo.toml, line 1, column 9: not valid TOML: illegal character in key');
		assert.equal(tomlProblem('Cargo.toml', '[package]\nname = "x"\n'), undefined);
	});

	it('reads nix-instantiate\'s message and position', () => {
		assert.equal(formatFileProblem(nixInstantiateProblem('flake.nix', nixStderr)), 'flake.nix, line 2, column 13: not valid Nix: syntax error, unexpected \';\'');
	});

	it('falls back to a bracket and string scan without nix', () => {
		const problem = nixScanProblem('shell.nix', '{ pkgs }:\npkgs.mkShell {\n  shellHook = "echo;\n}\n');
		assert.match(problem!.message, /^not valid Nix: /);
		assert.match(problem!.parser, /scan/);
		assert.equal(nixScanProblem('shell.nix', '{ pkgs }: pkgs.mkShell { }\n'), undefined);
	});

	it('reads PYO3_CONFIG_FILE as pyo3-build-config does', () => {
		assert.equal(pyo3ConfigProblem('c', 'implementation=CPython\nversion=3.12\nshared=true\n'), undefined);
		assert.equal(pyo3ConfigProblem('c', 'version=3.12\nshared\n')?.message, 'expected key=value pair on line 2');
		assert.equal(pyo3ConfigProblem('c', 'shared=true\n')?.message, 'missing value for version');
		assert.equal(pyo3ConfigProblem('c', 'version=3.12\nshared=yes\n')?.message, "failed to parse shared from config value 'yes'");
	});

	it('drops every fact read from a file that did not parse, and no other', () => {
		const project = {found: true, crateName: 'x', hasBins: false, pyo3: {declared: false, versions: []}, pyproject: {present: true, buildBackend: 'maturin'}, nix: {files: ['flake.nix'], usesMaturinBuildHook: false}};
		const kept = withoutFactsFromBrokenFiles(project, [{file: 'Cargo.toml', message: 'x', parser: 'TOML'}, {file: 'flake.nix', message: 'x', parser: 'TOML'}]);
		assert.deepEqual(kept, {found: true, pyproject: {present: true, buildBackend: 'maturin'}, nix: {files: ['flake.nix']}});
	});

	it('is an error of the project area, shown on the wizard\'s environment screen', () => {
		const facts = {project: {found: true}, files: {unparsable: [tomlProblem('Cargo.toml', '[package\n')]}};
		const check = checkForArea('project', facts);
		assert.equal(check.status, 'error');
		const lines = reportLines({available: true, done: true, lines: [], finished: [], facts, checks: [check], findings: []} as never).map(line => line.text);
		assert.ok(lines.some(text => text.includes('Cargo.toml, line 1, column 9: not valid TOML')), lines.join('\n'));
	});
});
