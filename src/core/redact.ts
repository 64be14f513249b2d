/** Removes secrets and personal paths from text meant to be pasted into a public bug report. */

export const redactedMark = '[REDACTED]';

export type RedactOptions = {
	/** The user's home directory; every path under it is written with `~`. */
	home?: string;
};

const escapeRegExp = (text: string) => text.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Tokens recognisable by their own shape, wherever they appear. */
const tokenShapes: readonly RegExp[] = [
	// GitHub personal, OAuth, app and refresh tokens; fine-grained tokens.
	/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
	/\bgithub_pat_\w{20,}\b/g,
	// GitLab, npm, PyPI (macaroons), Slack, OpenAI-style, Hugging Face, Anthropic-style keys.
	/\bglpat-[\w-]{20,}\b/g,
	/\bnpm_[A-Za-z0-9]{30,}\b/g,
	/\bpypi-[\w-]{16,}/g,
	/\bxox[abprs]-[\w-]{10,}\b/g,
	/\bsk-[\w-]{20,}\b/g,
	/\bhf_[A-Za-z0-9]{20,}\b/g,
	// AWS access key ids.
	/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
	// JSON Web Tokens.
	/\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/g,
];

/** `NAME=value`, `name: value`, `"name": "value"` where the name says it holds a secret. */
const secretAssignment =
	/(\b[\w.-]*(?:passw(?:or)?d|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|authorization)[\w.-]*)(["']?\s*[:=]\s*)(["']?)([^\s"',;]+)/gi;

/** `Authorization: Bearer abc`, `Basic abc`, `token abc` in headers and curl commands. */
const authorizationValue = /\b(Bearer|Basic|Token)\s+[\w.~+/=-]{8,}/g;

/** `scheme://user:password@host` and `scheme://token@host`. */
const urlCredentials = /\b([a-z][\w+.-]*:\/\/)([^\s/@:'"]+)(?::([^\s/@'"]*))?@(?=[\w.-])/gi;

const privateKeyBlock = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/**
Redacts tokens, keys, passwords, credentials in URLs and the home directory. Pure and
idempotent: redacting twice gives the same text.
*/
export function redact(text: string, options: RedactOptions = {}): string {
	let result = text.replaceAll(privateKeyBlock, `-----BEGIN PRIVATE KEY----- ${redactedMark} -----END PRIVATE KEY-----`);
	result = result.replaceAll(urlCredentials, (_match, scheme: string, user: string, password: string | undefined) =>
		password === undefined ? `${scheme}${redactedMark}@` : `${scheme}${user === redactedMark ? user : redactedMark}:${redactedMark}@`,
	);
	result = result.replaceAll(authorizationValue, (_match, scheme: string) => `${scheme} ${redactedMark}`);
	result = result.replaceAll(secretAssignment, (match, name: string, separator: string, quote: string, value: string) =>
		value === redactedMark || value.startsWith('[') ? match : `${name}${separator}${quote}${redactedMark}`,
	);
	for (const shape of tokenShapes) {
		result = result.replaceAll(shape, redactedMark);
	}

	const home = options.home?.replace(/\/+$/, '');
	if (home && home.length > 1) {
		result = result.replaceAll(new RegExp(`${escapeRegExp(home)}(?=$|[/\\s"'\`:;,)\\]])`, 'gm'), '~');
	}

	return result;
}
