import {parse as parseToml} from 'smol-toml';
import {checkNixSyntax} from './nix-text.js';

/** The checks a patched file must pass before it is written; which one depends on the file name. */
export type FileSyntax = 'toml' | 'nix' | 'other';

export function syntaxOf(path: string): FileSyntax {
	if (/\.toml$/.test(path) || /(^|\/)\.cargo\/config$/.test(path)) {
		return 'toml';
	}

	return /\.nix$/.test(path) ? 'nix' : 'other';
}

/**
Checks a file's new text without running anything: TOML must parse, Nix must pass the
built-in syntax check. Returns what is wrong, or `undefined`.
*/
export function validateText(path: string, text: string): string | undefined {
	const syntax = syntaxOf(path);
	if (syntax === 'toml') {
		try {
			parseToml(text);
		} catch (error) {
			return `${path} would not be valid TOML: ${(error as Error).message.split('\n')[0]}`;
		}
	}

	if (syntax === 'nix') {
		const problem = checkNixSyntax(text);
		if (problem) {
			return `${path} would not be valid Nix: ${problem}`;
		}
	}

	return undefined;
}
