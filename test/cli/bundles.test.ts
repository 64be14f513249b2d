import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {commands} from '../../src/cli/commands.js';
import {runCli} from '../helpers/cli.js';

// The built CLI loads each command from its esbuild bundle (src/build/bundle-commands.ts).
describe('the bundled commands', () => {
	it('has a bundle for every command in the table', () => {
		for (const command of commands) {
			assert.ok(existsSync(fileURLToPath(new URL(`../../dist/bundle/${command.name}.js`, import.meta.url))), command.name);
		}
	});

	it('still tells usage and input errors from bugs: exit 2 and 3 with their words, never "internal error"', () => {
		const usage = runCli(['check', '--project']);
		assert.equal(usage.status, 2, usage.stderr);
		const unknownId = runCli(['fix', 'no-such-id']);
		assert.equal(unknownId.status, 2, unknownId.stderr);
		assert.match(unknownId.stderr, /No diagnosis has the id "no-such-id"/);
		const unreadable = runCli(['diagnose', '/no/such/file.log']);
		assert.equal(unreadable.status, 3, unreadable.stderr);
		for (const result of [usage, unknownId, unreadable]) {
			assert.doesNotMatch(result.stderr, /internal error/);
		}
	});
});
