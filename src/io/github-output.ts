import {appendFileSync, existsSync, statSync} from 'node:fs';
import path from 'node:path';
import type {Finding} from '../core/match/rank.js';
import {redact} from '../core/redact.js';
import type {PatchLookup} from '../core/report/findings-json.js';
import {findingAnnotations, findingsMarkdown} from '../core/report/github.js';

type Env = Record<string, string | undefined>;

/** GitHub output is on with `--format github`, or inside a GitHub Actions job. */
export function wantsGithubOutput(env: Env, format: string | undefined): boolean {
	return format === 'github' || (format === undefined && env.GITHUB_ACTIONS === 'true');
}

/**
Writes the findings the GitHub way: one `::error` annotation per finding on `stdout` (unless
`annotations` is false, as when stdout carries JSON), and the Markdown summary, with each patch,
appended to `$GITHUB_STEP_SUMMARY` when it is set. Returns a warning for stderr when the summary
could not be written; the caller's exit code does not change.
*/
export function writeGithubOutput(options: {
	findings: readonly Finding[];
	patchFor?: PatchLookup;
	/** The project the patches are against; paths in annotations are made relative to the repository. */
	projectRoot?: string;
	cwd: string;
	env: Env;
	heading: string;
	stdout: {write: (text: string) => unknown};
	annotations: boolean;
}): string | undefined {
	const {env, projectRoot} = options;
	const repository = env.GITHUB_WORKSPACE || options.cwd;
	const inProject = (file: string) => path.resolve(projectRoot ?? options.cwd, file);
	if (options.annotations && options.findings.length > 0) {
		const lines = findingAnnotations(options.findings, {
			patchFor: options.patchFor,
			repoPath(file) {
				const relative = path.relative(repository, inProject(file));
				return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative.split(path.sep).join('/');
			},
			exists(file) {
				try {
					return statSync(inProject(file)).isFile();
				} catch {
					return false;
				}
			},
		});
		options.stdout.write(`${lines.join('\n')}\n`);
	}

	const summary = env.GITHUB_STEP_SUMMARY;
	if (!summary) {
		return undefined;
	}

	try {
		if (!existsSync(path.dirname(summary))) {
			return `pyo3-doctor: GITHUB_STEP_SUMMARY names ${summary}, whose folder does not exist; no summary written.`;
		}

		const markdown = findingsMarkdown(options.findings, {heading: options.heading, patchFor: options.patchFor});
		appendFileSync(summary, `${redact(markdown, {home: env.HOME})}\n\n`);
		return undefined;
	} catch (error) {
		return `pyo3-doctor: could not write the job summary to ${summary}: ${(error as Error).message}`;
	}
}
