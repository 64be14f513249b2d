import assert from 'node:assert/strict';
import {test} from 'node:test';
import {appReducer, currentScreen, initialState, type AppState} from '../../src/ui/state/app.js';
import {findingsForIds} from '../../src/ui/state/diagnose-text.js';
import {clampScroll, wrapLine} from '../../src/ui/state/layout.js';
import {emptyPaste, feedPaste} from '../../src/ui/state/paste.js';
import {makeTheme} from '../../src/ui/theme.js';
import {knowledge} from '../helpers/knowledge.js';

const noFile = () => false;

test('a bracketed paste keeps Enter, colour and Esc as text; Ctrl-D then submits it', () => {
	// Given a paste of two coloured lines with an Enter inside the paste
	const events = ['\u001B[200~', '\u001B[31m', 'error: one\r', '\u001B', 'two', '\u001B[0m', '\u001B[201~'];
	// When the events are fed, then Ctrl-D
	const pasted = feedPaste(emptyPaste, events, noFile);
	const done = feedPaste(pasted.state, ['\u0004'], noFile);
	// Then nothing ended early and the text is submitted whole, with two lines
	assert.deepEqual(pasted.outcome, {kind: 'continue'});
	assert.deepEqual(done.outcome, {kind: 'submit', text: '\u001B[31merror: one\n\u001B' + 'two\u001B[0m', lines: 2});
});

test('thousands of lines arrive as one event and are counted', () => {
	// Given a 5,000-line log pasted without bracketed paste (terminals send CR for LF)
	const log = Array.from({length: 5000}, (_, index) => `   Compiling crate-${index} v0.1.0`).join('\r') + '\r';
	// When it is fed
	const {state} = feedPaste(emptyPaste, [log], noFile);
	// Then every line is there
	assert.equal(state.lines, 5000);
	assert.equal(state.text.split('\n').length, 5001);
});

test('Esc outside a paste goes back; arrows are ignored; Backspace deletes', () => {
	// Given typed text with a stray arrow key and a Backspace
	const typed = feedPaste(emptyPaste, ['ab', '\u001B[A', '\u007F'], noFile);
	// When Esc follows
	const escaped = feedPaste(typed.state, ['\u001B'], noFile);
	// Then the text is "a" and the outcome is back
	assert.equal(typed.state.text, 'a');
	assert.deepEqual(escaped.outcome, {kind: 'back'});
});

test('a typed line naming a file loads it on Enter; Ctrl-D on nothing only warns', () => {
	// Given a typed path that exists
	const isFile = (file: string) => file === '/tmp/build.log';
	// When Enter follows, and separately Ctrl-D on an empty buffer
	const entered = feedPaste(emptyPaste, ['/tmp/build.log', '\r'], isFile);
	const empty = feedPaste(emptyPaste, ['\u0004'], isFile);
	// Then the file is loaded, and the empty input gets a notice instead of a diagnosis
	assert.deepEqual(entered.outcome, {kind: 'load-file', path: '/tmp/build.log'});
	assert.deepEqual(empty.outcome, {kind: 'continue'});
	assert.match(empty.state.notice ?? '', /Nothing pasted yet/);
});

test('probe lines are updated in place, and printed for good once, when all probes are done', () => {
	// Given the probing state
	let state: AppState = initialState({probesAvailable: true});
	// When two probes start, the second finishes first, then the first, then the first is refined
	for (const event of [
		{area: 'a', label: 'A', status: 'running'},
		{area: 'b', label: 'B', status: 'running'},
		{area: 'b', label: 'B', status: 'ok', found: 'fine'},
		{area: 'a', label: 'A', status: 'warn', found: 'hm'},
		{area: 'a', label: 'A', status: 'warn', found: 'hm, refined'},
	] as const) {
		state = appReducer(state, {type: 'probe-event', event});
	}

	// Then both are listed in start order with their latest state, and none is printed yet
	assert.deepEqual(state.probes.lines.map(line => `${line.label}:${line.status}`), ['A:warn', 'B:ok']);
	assert.deepEqual(state.probes.finished, []);
	// And when the probes are done, the final checks are printed once, with the live lines' labels
	const checks = [
		{area: 'a', status: 'error', found: 'final word'},
		{area: 'b', status: 'ok', found: 'fine'},
	] as const;
	state = appReducer(state, {type: 'probes-finished', result: {facts: {}, checks: [...checks]}});
	assert.deepEqual(
		state.probes.finished.map(line => `${line.label}:${line.status}:${line.found}`),
		['A:error:final word', 'B:ok:fine'],
	);
});

test('back pops the screen stack and never leaves the menu', () => {
	// Given the menu with the paste screen open
	const atMenu = appReducer(initialState({probesAvailable: false}), {type: 'replace', screen: {kind: 'menu'}});
	let state = appReducer(atMenu, {type: 'open', screen: {kind: 'paste'}});
	// When going back twice
	state = appReducer(state, {type: 'back'});
	const again = appReducer(state, {type: 'back'});
	// Then the menu stays
	assert.equal(currentScreen(state).kind, 'menu');
	assert.equal(again, state);
});

test('apply asks first, and only for a real patch; a late patch for another fix is dropped', () => {
	// Given a diagnosis screen for a tree's two causes
	const findings = findingsForIds(knowledge, ['extension-module-in-binary'], {});
	let state = appReducer(initialState({probesAvailable: false}), {type: 'findings-ready', origin: 'tree', source: 'tree', findings});
	// When apply is asked before any patch exists
	state = appReducer(state, {type: 'ask-apply'});
	const view = () => {
		const screen = currentScreen(state);
		assert.equal(screen.kind, 'findings');
		return screen.kind === 'findings' ? screen.view : undefined!;
	};

	// Then it is refused in words
	assert.equal(view().confirmingApply, false);
	assert.match(view().message?.text ?? '', /no patch/);
	// And when a patch for another fix arrives, it is ignored; the right one is kept
	// (for another fix number, or for the same number in another order of the fixes)
	const order = 'feature-only-for-maturin,drop-feature-new-maturin';
	state = appReducer(state, {type: 'fixes-ordered', diagnosisId: 'extension-module-in-binary', revision: 0, fixIds: order.split(',')});
	state = appReducer(state, {type: 'patch-ready', key: `extension-module-in-binary#1#${order}`, plan: {status: 'already-applied'}});
	assert.deepEqual(view().patch, {state: 'unavailable'});
	state = appReducer(state, {type: 'patch-ready', key: 'extension-module-in-binary#0#drop-feature-new-maturin,feature-only-for-maturin', plan: {status: 'already-applied'}});
	assert.deepEqual(view().patch, {state: 'unavailable'});
	state = appReducer(state, {type: 'patch-ready', key: `extension-module-in-binary#0#${order}`, plan: {status: 'patch', files: ['Cargo.toml'], diff: '+x'}});
	state = appReducer(state, {type: 'ask-apply'});
	assert.equal(view().confirmingApply, true);
});

test('scrolling stays within the content', () => {
	// Given a report screen
	let state = appReducer(initialState({probesAvailable: false}), {type: 'open', screen: {kind: 'report', scroll: 0}});
	// When scrolling far down, then far up
	state = appReducer(state, {type: 'scroll', by: 100, contentHeight: 30, viewHeight: 20});
	const down = currentScreen(state);
	state = appReducer(state, {type: 'scroll', by: -100, contentHeight: 30, viewHeight: 20});
	// Then the offset stops at the last page and at the top
	assert.deepEqual(down, {kind: 'report', scroll: 10});
	assert.deepEqual(currentScreen(state), {kind: 'report', scroll: 0});
	assert.equal(clampScroll(-3, 5, 10), 0);
});

test('long lines wrap within the width, list items hanging under their text', () => {
	// Given a long list item
	const lines = wrapLine(`  - ${'word '.repeat(30).trim()}`, 40);
	// When wrapped to 40 columns
	// Then no line is longer and continuation lines start under the text
	assert.ok(lines.every(line => line.length <= 40));
	assert.ok(lines.slice(1).every(line => line.startsWith('    w')));
});

test('colour can be switched off as a whole (NO_COLOR)', () => {
	// Given the two themes
	// When a coloured tone is asked for
	// Then only the colour theme answers with a colour
	assert.deepEqual(makeTheme(false).tone('bad'), {});
	assert.deepEqual(makeTheme(true).tone('bad'), {color: 'red'});
});
