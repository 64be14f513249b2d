import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {redact, redactedMark} from '../../src/core/redact.js';

const home = '/home/alice';

describe('redaction for bug reports', () => {
	const secrets: Array<[string, string, string]> = [
		['a GitHub token', 'GH=ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
		['a fine-grained GitHub token', 'token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat_11ABCDEFG'],
		['a PyPI token', 'twine upload -p pypi-AgEIcHlwaS5vcmcCJGI2NmRmZjQ4LWE1', 'pypi-AgEIcHlwaS5vcmcCJGI2NmRmZjQ4LWE1'],
		['an AWS key id', 'aws_access_key_id AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
		['a Slack token', 'xoxb-123456789012-abcdefghijkl', 'xoxb-123456789012-abcdefghijkl'],
		['a JWT', 'cookie eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'eyJhbGciOiJIUzI1NiJ9'],
		['a password assignment', 'MATURIN_PASSWORD=hunter2', 'hunter2'],
		['a quoted JSON secret', '{"client_secret": "s3cr3t-value"}', 's3cr3t-value'],
		['a YAML api key', 'api_key: abcdef123456', 'abcdef123456'],
		['nix access tokens', 'access-tokens = github.com=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'ghp_aaaa'],
		['URL credentials', 'git clone https://bob:p4ssw0rd@gitlab.example.com/x.git', 'p4ssw0rd'],
		['a token as URL user', 'https://x-token-abc123@github.com/org/repo', 'x-token-abc123'],
		['a bearer header', 'curl -H "Authorization: Bearer abcdefghijklmnop1234" https://api', 'abcdefghijklmnop1234'],
		['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA'],
	];
	for (const [what, text, secret] of secrets) {
		it(`removes ${what}`, () => {
			// Given a line with a secret, When it is redacted, Then the secret is gone and the mark is there
			const result = redact(text, {home});
			assert.ok(!result.includes(secret), result);
			assert.ok(result.includes(redactedMark), result);
		});
	}

	it('writes the home folder as ~, only at a path boundary', () => {
		assert.equal(redact('/home/alice/.pyenv/versions/3.11.7/bin/python', {home}), '~/.pyenv/versions/3.11.7/bin/python');
		assert.equal(redact('HOME=/home/alice', {home}), 'HOME=~');
		assert.equal(redact('/home/alice2/x and /home/alicex', {home}), '/home/alice2/x and /home/alicex');
		assert.equal(redact('"/root/project", /rootfs', {home: '/root/'}), '"~/project", /rootfs');
	});

	it('leaves ordinary build output alone', () => {
		const text = [
			'error: linking with `cc` failed: exit status: 1',
			'pyo3 = { version = "0.22.0", features = ["extension-module"] }',
			'authors = ["Alice <alice@example.com>"]',
			'https://github.com/PyO3/pyo3/issues/340',
			'Compiling pyo3-ffi v0.22.0',
			'python.selected.sitePackagesWritable: true',
		].join('\n');
		assert.equal(redact(text, {home}), text);
	});

	it('is idempotent', () => {
		const once = redact('https://u:p@h.example/ MATURIN_PASSWORD=x ghp_16C7e42F292c6912E7710c838347Ae178B4a /home/alice/x', {home});
		assert.equal(redact(once, {home}), once);
	});
});
