/**
A small logic-less template language (a subset of Mustache), enough for project templates:
- `{{name}}` inserts a value;
- `{{#flag}}…{{/flag}}` keeps its content when the flag is true, `{{^flag}}…{{/flag}}` when false.
A section tag alone on its line takes the whole line with it, so templates stay readable.
Unknown names are errors rather than empty text: a typo must not produce a broken file.
*/
export type TemplateValues = Record<string, string | boolean>;

export class TemplateError extends Error {
	override name = 'TemplateError';
}

const standaloneTag = /^[ \t]*\{\{([#^/])\s*([\w.]+)\s*\}\}[ \t]*\r?\n/gm;
const inlineTag = /\{\{([#^/]?)\s*([\w.]+)\s*\}\}/g;

export function renderTemplate(template: string, values: TemplateValues, templateName = 'template'): string {
	// Standalone section tags become inline tags without their line.
	const text = template.replaceAll(standaloneTag, (_, kind: string, name: string) => `{{${kind}${name}}}`);
	const output: string[] = [];
	// Each open section: its name and whether its content is shown.
	const stack: Array<{name: string; show: boolean}> = [];
	let cursor = 0;
	for (const match of text.matchAll(inlineTag)) {
		const visible = stack.every(section => section.show);
		if (visible) {
			output.push(text.slice(cursor, match.index));
		}

		cursor = match.index + match[0].length;
		const [, kind, name] = match as unknown as [string, string, string];
		if (kind === '/') {
			const open = stack.pop();
			if (open?.name !== name) {
				throw new TemplateError(`${templateName}: {{/${name}}} closes ${open ? `{{#${open.name}}}` : 'nothing'}`);
			}

			continue;
		}

		if (!(name in values)) {
			throw new TemplateError(`${templateName}: no value for {{${kind}${name}}}`);
		}

		const value = values[name]!;
		if (kind === '#' || kind === '^') {
			if (typeof value !== 'boolean') {
				throw new TemplateError(`${templateName}: {{${kind}${name}}} needs a true/false value`);
			}

			stack.push({name, show: kind === '#' ? value : !value});
		} else if (visible) {
			if (typeof value !== 'string') {
				throw new TemplateError(`${templateName}: {{${name}}} is a flag, not text`);
			}

			output.push(value);
		}
	}

	if (stack.length > 0) {
		throw new TemplateError(`${templateName}: {{#${stack.at(-1)!.name}}} is never closed`);
	}

	output.push(text.slice(cursor));
	return output.join('');
}
