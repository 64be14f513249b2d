import type {Style} from './report/style.js';

/** A plain-words page in knowledge/topics: a question newcomers ask, answered with a recipe. */
export type Topic = {id: string; title: string; markdown: string};

/** The title is the page's first `# ` heading; a page without one is titled by its id. */
export function topicFromMarkdown(id: string, markdown: string): Topic {
	const heading = /^# (.+)$/m.exec(markdown);
	return {id, title: heading?.[1]?.trim() ?? id, markdown};
}

/**
Shows a topic page in a terminal: headings in bold, code blocks indented and coloured,
`inline code` left as it is (it reads well in plain text).
*/
export function formatTopic(topic: Topic, style: Style): string {
	const lines: string[] = [];
	let inCode = false;
	for (const line of topic.markdown.trimEnd().split('\n')) {
		if (line.startsWith('```')) {
			inCode = !inCode;
			continue;
		}

		if (inCode) {
			lines.push(style.cyan(`    ${line}`));
		} else if (line.startsWith('#')) {
			lines.push(style.bold(line.replace(/^#+\s*/, '')));
		} else {
			lines.push(line.replaceAll(/\*\*(.+?)\*\*/g, (_, text: string) => style.bold(text)));
		}
	}

	return lines.join('\n');
}
