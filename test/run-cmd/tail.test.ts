import assert from 'node:assert/strict';
import {test} from 'node:test';
import {TailBuffer} from '../../src/core/tail.js';

test('keeps only the last maxLines lines', () => {
	// Given a buffer of three lines
	const tail = new TailBuffer({maxLines: 3});
	// When ten lines go through it
	for (let index = 1; index <= 10; index++) {
		tail.push(`line ${index}\n`);
	}

	// Then the last three remain, and the count of what went through is kept
	assert.deepEqual(tail.lines(), ['line 8', 'line 9', 'line 10']);
	assert.equal(tail.linesSeen, 10);
	assert.equal(tail.linesDropped, 7);
});

test('joins lines split across pushes and keeps an unfinished last line', () => {
	// Given output arriving in arbitrary pieces
	const tail = new TailBuffer();
	for (const piece of ['err', 'or: undefined sym', 'bol\nwarn', 'ing: x\npartial']) {
		tail.push(piece);
	}

	// Then the lines are whole again, and the unfinished one is shown last
	assert.deepEqual(tail.lines(), ['error: undefined symbol', 'warning: x', 'partial']);
	assert.equal(tail.text(), 'error: undefined symbol\nwarning: x\npartial');
});

test('stays within maxChars whatever the line count', () => {
	// Given a budget of 100 characters and many short lines
	const tail = new TailBuffer({maxLines: 10_000, maxChars: 100});
	for (let index = 0; index < 1000; index++) {
		tail.push(`${String(index).padStart(9, '0')}\n`);
	}

	// Then the kept text is within budget and ends with the newest line
	assert.ok(tail.text().length <= 100, `kept ${tail.text().length} chars`);
	assert.equal(tail.lines().at(-1), '000000999');
});

test('a single huge line keeps only its end', () => {
	// Given a line ten times longer than the budget, pushed in pieces with no newline
	const tail = new TailBuffer({maxChars: 50});
	for (let index = 0; index < 50; index++) {
		tail.push('x'.repeat(9) + String(index % 10));
	}

	// Then memory stays bounded and the end of the line is what is kept
	const [line] = tail.lines();
	assert.ok(line!.length <= 50);
	assert.ok(line!.startsWith('…'));
	assert.ok(line!.endsWith('xxxxxxxxx9'));
});

test('memory stays bounded over a very long stream', () => {
	// Given a budget of 1000 lines
	const tail = new TailBuffer({maxLines: 1000, maxChars: 1_000_000});
	// When a million lines stream through
	for (let index = 0; index < 1_000_000; index++) {
		tail.push(`Compiling crate-${index} v0.1.0\n`);
	}

	// Then exactly the last 1000 are kept
	const lines = tail.lines();
	assert.equal(lines.length, 1000);
	assert.equal(lines[0], 'Compiling crate-999000 v0.1.0');
	assert.equal(tail.linesSeen, 1_000_000);
});
