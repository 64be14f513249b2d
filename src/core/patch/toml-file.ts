import {parse as parseToml} from 'smol-toml';
import {scanToml, type TomlLayout} from './toml-text.js';
import {manual, type EditOutcome} from './types.js';

/** A TOML file an edit may change: its text, its parsed value and where each key is. */
export type TomlFile = {text: string; value: Record<string, unknown>; layout: TomlLayout};

/**
The guard every TOML edit starts with: the file exists and parses. Returns the file, or the
outcome that says in words why it cannot be edited. `missing` is that outcome's reason when the
file does not exist; `'empty'` lets a kind that creates the file start from nothing.
*/
export function openToml(text: string | undefined, path: string, missing: string | 'empty' = `There is no ${path}.`): TomlFile | {outcome: EditOutcome} {
	if (text === undefined && missing !== 'empty') {
		return {outcome: manual(missing)};
	}

	const source = text ?? '';
	try {
		return {text: source, value: parseToml(source) as Record<string, unknown>, layout: scanToml(source)};
	} catch (error) {
		return {outcome: manual(`${path} is not valid TOML (${(error as Error).message.split('\n')[0]}); fix that first.`)};
	}
}
