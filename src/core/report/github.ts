import type {Fix} from '../knowledge/schema.js';
import type {Finding} from '../match/rank.js';
import type {PatchLookup} from './findings-json.js';

// GitHub Actions output: workflow-command annotations (`::error file=…,line=…,title=…::message`) and
// a Markdown job summary. The escaping is that of the runner's command parser, as in
// actions/toolkit packages/core/src/command.ts: `%`, CR and LF in the message; also `:` and `,` in
// the properties, which the parser splits on.

/** A message (the part after the second `::`). */
export function escapeData(text: string): string {
	return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A property value (`file=`, `title=`…). */
export function escapeProperty(text: string): string {
	return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

export type Annotation = {title: string; message: string; file?: string; line?: number};

/** One `::error` workflow command; properties in GitHub's documented order. */
export function formatAnnotation(annotation: Annotation): string {
	const properties = [
		...(annotation.file ? [`file=${escapeProperty(annotation.file)}`] : []),
		...(annotation.file && annotation.line ? [`line=${annotation.line}`] : []),
		`title=${escapeProperty(annotation.title)}`,
	];
	return `::error ${properties.join(',')}::${escapeData(annotation.message)}`;
}

/** Where a unified diff first changes a file: that file, and the line in it as it is now. */
export function firstChange(diff: string): {file: string; line: number} | undefined {
	let file: string | undefined;
	let line = 0;
	for (const text of diff.split('\n')) {
		const target = /^\+\+\+ (?:b\/)?(.+)$/.exec(text);
		if (target) {
			file = target[1]!.trim();
			continue;
		}

		const hunk = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(text);
		if (hunk) {
			line = Number(hunk[1]);
			continue;
		}

		if (!file || line === 0 || text.startsWith('---')) {
			continue;
		}

		if (text.startsWith('-')) {
			return {file, line};
		}

		if (text.startsWith('+')) {
			// An insertion is shown on the line above it.
			return {file, line: Math.max(line - 1, 1)};
		}

		line++;
	}

	return file ? {file, line: 1} : undefined;
}

/** A project file the log names with a line (`--> src/lib.rs:12:5`, `Cargo.toml:9`), if it exists. */
export function fileInEvidence(finding: Finding, exists: (file: string) => boolean): {file: string; line: number} | undefined {
	for (const evidence of finding.evidence) {
		for (const match of evidence.text.matchAll(/(?:^|[\s(`'"])((?:\.\/)?(?:[\w.-]+\/)*[\w.-]+\.(?:rs|toml|nix|py|pyi|cfg)):(\d+)/g)) {
			const file = match[1]!.replace(/^\.\//, '');
			if (exists(file)) {
				return {file, line: Number(match[2])};
			}
		}
	}

	return undefined;
}

/** The fix shown for a finding in CI: the first with a patch for this project, else the first. */
export function fixToShow(finding: Finding, patchFor?: PatchLookup): {fix: Fix; diff?: string} | undefined {
	const {fixes, id} = finding.diagnosis;
	for (const fix of fixes) {
		const diff = patchFor?.(id, fix.id)?.diff;
		if (diff) {
			return {fix, diff};
		}
	}

	return fixes[0] ? {fix: fixes[0]} : undefined;
}

export type GithubOptions = {
	patchFor?: PatchLookup;
	/** Turns a path relative to the project into one relative to the repository; undefined when outside it. */
	repoPath: (projectFile: string) => string | undefined;
	/** Whether a path relative to the project names a file. */
	exists: (projectFile: string) => boolean;
};

/** One annotation per finding, on the line its patch changes or the project file its log lines name. */
export function findingAnnotations(findings: readonly Finding[], options: GithubOptions): string[] {
	return findings.map(finding => {
		const shown = fixToShow(finding, options.patchFor);
		const place = (shown?.diff ? firstChange(shown.diff) : undefined) ?? fileInEvidence(finding, options.exists);
		const file = place ? options.repoPath(place.file) : undefined;
		const fix = shown ? ` Fix: ${shown.fix.title.replaceAll('`', '')}.${shown.diff ? ' The job summary has the patch.' : ''}` : '';
		return formatAnnotation({
			title: `pyo3-doctor: ${finding.diagnosis.id}`,
			message: `${finding.diagnosis.title.replaceAll('`', '')}: ${finding.summary.trim()}${fix}`,
			...(file ? {file, line: place!.line} : {}),
		});
	});
}

/** The findings as Markdown for `$GITHUB_STEP_SUMMARY` (or a bug report), each with its patch; the caller redacts it. */
export function findingsMarkdown(findings: readonly Finding[], options: {heading: string; patchFor?: PatchLookup}): string {
	const lines = [`### ${options.heading}`, ''];
	if (findings.length === 0) {
		lines.push('No known PyO3 / maturin / Nix failure was found in the output.');
		return lines.join('\n');
	}

	for (const finding of findings) {
		lines.push(`- **${finding.diagnosis.title}** (\`${finding.diagnosis.id}\`, confidence ${finding.confidence.toFixed(2)}): ${finding.summary.trim()}`);
		for (const evidence of finding.evidence.slice(0, 3)) {
			lines.push(`  - log line ${evidence.line}: \`${evidence.text.trim().replaceAll('`', "'")}\``);
		}

		const shown = fixToShow(finding, options.patchFor);
		if (shown) {
			lines.push(`  - Fix: ${shown.fix.title}`);
			if (shown.diff) {
				lines.push('', '    ```diff', ...shown.diff.trimEnd().split('\n').map(line => `    ${line}`), '    ```', '');
			}
		}
	}

	return lines.join('\n');
}
