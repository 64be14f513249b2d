import assert from 'node:assert/strict';
import {test} from 'node:test';
import {renderTemplate, TemplateError} from '../../src/core/init/render.js';

test('inserts values and keeps or drops sections', () => {
	// Given a template with a value, a section and an inverted section
	const template = 'name = {{name}}\n{{#nix}}\nflake\n{{/nix}}\n{{^nix}}\nvenv\n{{/nix}}\nend\n';
	// When rendered with and without the flag
	const withNix = renderTemplate(template, {name: 'demo', nix: true});
	const withoutNix = renderTemplate(template, {name: 'demo', nix: false});
	// Then standalone tags leave no blank lines and only the matching branch stays
	assert.equal(withNix, 'name = demo\nflake\nend\n');
	assert.equal(withoutNix, 'name = demo\nvenv\nend\n');
});

test('inline sections work inside a line', () => {
	// Given a section in the middle of a line
	const text = renderTemplate('packages = [ python{{#extension}} maturin{{/extension}} ];', {extension: true});
	// Then it is kept in place
	assert.equal(text, 'packages = [ python maturin ];');
});

test('nested sections show only when every enclosing one does', () => {
	// Given a section inside a hidden one
	const text = renderTemplate('{{#a}}A{{#b}}B{{/b}}{{/a}}.', {a: false, b: true});
	// Then nothing of it shows
	assert.equal(text, '.');
});

test('unknown names, unclosed and mismatched sections are errors, not silent gaps', () => {
	// Given three broken templates
	// Then each names the problem
	assert.throws(() => renderTemplate('{{nmae}}', {name: 'x'}, 'Cargo.toml.tmpl'), (error: unknown) => error instanceof TemplateError && /Cargo.toml.tmpl: no value for \{\{nmae}}/.test(error.message));
	assert.throws(() => renderTemplate('{{#nix}}open', {nix: true}), /never closed/);
	assert.throws(() => renderTemplate('{{#nix}}x{{/both}}', {nix: true, both: false}), /closes/);
});

test('Nix interpolation ${…} passes through untouched', () => {
	// Given Nix code with its own ${} syntax
	const text = renderTemplate('PYO3_PYTHON = "${python}/bin/python3"; # {{name}}', {name: 'demo'});
	// Then only our tags are replaced
	assert.equal(text, 'PYO3_PYTHON = "${python}/bin/python3"; # demo');
});
