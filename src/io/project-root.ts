import {lstatSync} from 'node:fs';
import path from 'node:path';

/** The folder holding Cargo.toml: the start folder or the nearest one above it. */
export function findProjectRoot(start: string): string | undefined {
	let dir = path.resolve(start);
	for (;;) {
		if (isEntry(path.join(dir, 'Cargo.toml'))) {
			return dir;
		}

		const parent = path.dirname(dir);
		if (parent === dir) {
			return undefined;
		}

		dir = parent;
	}
}

/** Whether a directory entry is there, even one that cannot be followed (a broken or looping link). */
export function isEntry(file: string): boolean {
	try {
		lstatSync(file);
		return true;
	} catch {
		return false;
	}
}
