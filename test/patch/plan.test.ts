import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import type {Fix} from '../../src/core/knowledge/schema.js';
import {planFix} from '../../src/core/patch/plan.js';

const entry = {id: 'test-entry'};

function fix(edits: Fix['edits']): Fix {
	return {id: 'f', title: 'f', steps: ['do it by hand'], commands: [], edits};
}

const envrcEdit = {kind: 'add-line', file: '.envrc', line: 'layout python3', after: '^use flake', fallback: true, optional: true};
const hookEdit = {kind: 'nix-shell-lines', file: 'shell.nix', attr: 'shellHook', lines: ['source .venv/bin/activate'], builders: ['mkShell'], ifMissing: 'skip', optional: true};

describe('planFix', () => {
	it('makes a fallback edit only when the edits before it made nothing', () => {
		// Given a project with both a mkShell and an .envrc
		const files: Record<string, string> = {'shell.nix': 'pkgs.mkShell {\n  packages = [ ];\n}\n', '.envrc': 'use flake\n'};
		// When the fix plans the shellHook edit first and the .envrc edit as its fallback
		const plan = planFix({entry, fix: fix([hookEdit, envrcEdit]), readFile: file => files[file], facts: {}});
		// Then only shell.nix changes
		assert.equal(plan.status, 'patch');
		assert.deepEqual(plan.status === 'patch' && plan.files.map(file => file.path), ['shell.nix']);
	});

	it('drops the words of a failed edit when its fallback does the job', () => {
		// Given a shell.nix of a shape the edit does not know, and an .envrc
		const files: Record<string, string> = {'shell.nix': 'import ./devshell.nix\n', '.envrc': 'use flake\n'};
		// When the fix is planned
		const plan = planFix({entry, fix: fix([hookEdit, envrcEdit]), readFile: file => files[file], facts: {}});
		// Then the .envrc changes and no note asks for the shellHook as well
		assert.equal(plan.status, 'patch');
		assert.deepEqual(plan.status === 'patch' && [plan.files.map(file => file.path), plan.notes], [['.envrc'], []]);
	});

	it('keeps a CRLF file CRLF and leaves a file with mixed line ends as it is', () => {
		// Given the same .envrc with CRLF line ends, and with mixed ones
		const edit = {kind: 'add-line', file: '.envrc', line: 'layout python3', after: '^use flake'};
		const crlf = planFix({entry, fix: fix([edit]), readFile: () => 'use flake\r\nexport A=1\r\n', facts: {}});
		const mixed = planFix({entry, fix: fix([edit]), readFile: () => 'use flake\nexport A=1\r\n', facts: {}});
		// Then the CRLF file gets a CRLF line, and the mixed one keeps its bytes around an LF line
		assert.equal(crlf.status === 'patch' && crlf.files[0]!.after, 'use flake\r\nlayout python3\r\nexport A=1\r\n');
		assert.equal(mixed.status === 'patch' && mixed.files[0]!.after, 'use flake\nlayout python3\nexport A=1\r\n');
	});

	it("warns that Nix keeps the \\r of a CRLF file's '' strings", () => {
		// Given a CRLF shell.nix whose shellHook gets a line
		const text = "pkgs.mkShell {\r\n  shellHook = ''\r\n    echo hi\r\n  '';\r\n}\r\n";
		// When the fix is planned
		const plan = planFix({entry, fix: fix([hookEdit]), readFile: file => (file === 'shell.nix' ? text : undefined), facts: {}});
		// Then the new line ends in CRLF too, and a note says to convert the file
		assert.equal(plan.status === 'patch' && plan.files[0]!.after, text.replace("''\r\n", "''\r\n    source .venv/bin/activate\r\n"));
		assert.match(plan.status === 'patch' ? plan.notes.join(' ') : '', /CRLF.*stray \\r.*sed -i/);
	});
});
