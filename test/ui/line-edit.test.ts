import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {typeInto} from '../../src/ui/state/line-edit.js';

describe('typing into a one-line field', () => {
	it('deletes one character for each Backspace in a run that came as one event', () => {
		// Given a field holding "cargo build", and four Backspaces (DEL and BS) read at once
		// When they are applied
		// Then four characters are gone and no control character is kept
		assert.equal(typeInto('cargo build', '\u007F\u007F\b\u007F'), 'cargo b');
	});

	it('applies text and Backspaces in the order they came', () => {
		assert.equal(typeInto('', 'maturim\u007Fn develop'), 'maturin develop');
	});

	it('keeps printable text, drops line breaks and other control characters', () => {
		assert.equal(typeInto('cargo', ' te\u0007st\n'), 'cargo test');
	});

	it('does not go below empty, and removes a whole non-BMP character', () => {
		assert.equal(typeInto('a', '\u007F\u007F'), '');
		assert.equal(typeInto('x🐍', '\u007F'), 'x');
	});
});
