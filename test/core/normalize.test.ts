import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {lineSegments, normalizeLog, stripAnsi, stripLinePrefixes} from '../../src/core/match/normalize.js';

describe('normalising a log', () => {
	it('removes colour, cursor and hyperlink escapes', () => {
		assert.equal(stripAnsi('\u001B[1m\u001B[31merror\u001B[0m: linking with `cc` failed'), 'error: linking with `cc` failed');
		assert.equal(stripAnsi('\u001B]8;;https://pyo3.rs\u0007pyo3\u001B]8;;\u0007 guide'), 'pyo3 guide');
		assert.equal(stripAnsi('\u001B[2K\u001B[1Gdone'), 'done');
	});

	it('keeps text without escapes as it is', () => {
		const text = 'error: linker `cc` not found';
		assert.equal(stripAnsi(text), text);
	});

	it('strips GitHub Actions timestamps, Docker BuildKit steps and Nix prefixes, one layer each', () => {
		assert.equal(stripLinePrefixes('#12 41.37   error: linker `cc` not found'), '  error: linker `cc` not found');
		assert.equal(stripLinePrefixes('#8 [builder 3/5] RUN pip install .'), '[builder 3/5] RUN pip install .');
		assert.equal(stripLinePrefixes('#!/bin/sh'), '#!/bin/sh');
		assert.equal(stripLinePrefixes('2024-05-01T10:20:30.1234567Z error: could not compile'), 'error: could not compile');
		assert.equal(stripLinePrefixes('       > error: failed to run custom build command'), 'error: failed to run custom build command');
		assert.equal(stripLinePrefixes('python3.12-polars> error: linker `cc` not found'), 'error: linker `cc` not found');
		assert.equal(stripLinePrefixes('          >>> referenced by err_state.rs:102'), '          >>> referenced by err_state.rs:102');
	});

	it('turns CR progress redraws into the segments that were on screen, and drops Windows line ends', () => {
		assert.deepEqual(lineSegments('Building [==>  ] 1/3\rBuilding [====>] 2/3\rerror: oops\r'), ['Building [==>  ] 1/3', 'Building [====>] 2/3', 'error: oops']);
		assert.deepEqual(lineSegments('error: oops\r'), ['error: oops']);
	});

	it('keeps one output line per input line, so line numbers stay the user’s', () => {
		const lines = normalizeLog('a\r\nb\rc\n\u001B[31md\u001B[0m\n');
		assert.deepEqual(lines, ['a', 'b c', 'd', '']);
	});
});
