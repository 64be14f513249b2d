import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {resolvedNixText} from './evaluate.js';

/**
The text of a project's Nix file with its strings evaluated (let/rec bindings, inherit,
interpolations, Cargo.toml read through fromTOML or crane), for the project probe to read
wheel names, maturin flags and Python attributes from. `.envrc` is shell, kept as it is.
*/
export function nixTextForCues(root: string, name: string, text: string): string {
	if (!name.endsWith('.nix')) {
		return text;
	}

	const readFile = (relative: string) => {
		const file = path.resolve(root, relative);
		if (!file.startsWith(path.resolve(root) + path.sep)) {
			return undefined;
		}

		try {
			// Only a regular file: a named pipe would block the read.
			return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
		} catch {
			return undefined;
		}
	};

	return resolvedNixText(text, {readFile});
}
