import {
	arrayItems,
	findEntry,
	inlineTableEntries,
	removeArrayItem,
	samePath,
	scanToml,
	type Splice,
	type TomlEntry,
	type TomlLayout,
	type TomlTable,
} from './toml-text.js';

/**
Where one dependency is declared in a Cargo.toml, in any of its four shapes:
`pyo3 = "0.22"`, `pyo3 = { version = "0.22", features = [..] }`, a `[dependencies.pyo3]`
table, or dotted keys `pyo3.version = "0.22"`.
*/
export type DependencyDeclaration = {
	name: string;
	/** The dependency section: `['dependencies']`, `['target', 'cfg(..)', 'dependencies']`, `['workspace', 'dependencies']`… */
	section: string[];
	shape: 'string' | 'inline' | 'table' | 'dotted';
	/** The `pyo3 = …` entry for the string and inline shapes. */
	entry?: TomlEntry;
	/** The `[dependencies.pyo3]` table for the table shape. */
	table?: TomlTable;
	/** The dependency's own keys (`version`, `features`, `workspace`…), with the dependency name stripped from dotted keys. */
	keys: TomlEntry[];
};

const sectionNames = new Set(['dependencies', 'dev-dependencies', 'build-dependencies']);

/** Is `path` a dependency section (`[dependencies]`, `[target.'cfg(unix)'.build-dependencies]`, `[workspace.dependencies]`)? */
export function isDependencySection(path: string[]): boolean {
	if (path.length === 1) {
		return sectionNames.has(path[0]!);
	}

	if (path.length === 2 && path[0] === 'workspace') {
		return path[1] === 'dependencies';
	}

	return path.length === 3 && path[0] === 'target' && sectionNames.has(path[2]!);
}

export function findDependencies(text: string, name: string, layout: TomlLayout = scanToml(text)): DependencyDeclaration[] {
	const found: DependencyDeclaration[] = [];
	const dotted = new Map<string, DependencyDeclaration>();
	for (const entry of layout.entries) {
		if (!isDependencySection(entry.table) || entry.key[0] !== name) {
			continue;
		}

		if (entry.key.length === 1) {
			const inline = text[entry.valueStart] === '{';
			found.push({
				name,
				section: entry.table,
				shape: inline ? 'inline' : 'string',
				entry,
				keys: inline ? inlineTableEntries(text, entry.valueStart, entry.valueEnd, entry.table) : [],
			});
			continue;
		}

		const id = entry.table.join('\u0000');
		let declaration = dotted.get(id);
		if (!declaration) {
			declaration = {name, section: entry.table, shape: 'dotted', keys: []};
			dotted.set(id, declaration);
			found.push(declaration);
		}

		declaration.keys.push({...entry, key: entry.key.slice(1)});
	}

	for (const table of layout.tables) {
		if (table.path.length >= 2 && table.path.at(-1) === name && isDependencySection(table.path.slice(0, -1))) {
			const keys = layout.entries.filter(entry => samePath(entry.table, table.path));
			found.push({name, section: table.path.slice(0, -1), shape: 'table', table, keys});
		}
	}

	return found;
}

export function dependencyKey(declaration: DependencyDeclaration, key: string): TomlEntry | undefined {
	return declaration.keys.find(entry => entry.key.length === 1 && entry.key[0] === key);
}

/** The version requirement's string entry; for the string shape, the dependency's own value. */
export function versionEntry(declaration: DependencyDeclaration): TomlEntry | undefined {
	return declaration.shape === 'string' ? declaration.entry : dependencyKey(declaration, 'version');
}

export function usesWorkspace(text: string, declaration: DependencyDeclaration): boolean {
	const workspace = dependencyKey(declaration, 'workspace');
	return workspace !== undefined && text.slice(workspace.valueStart, workspace.valueEnd) === 'true';
}

/** The string items of the dependency's `features` array. */
export function featureNames(text: string, declaration: DependencyDeclaration): string[] {
	const features = dependencyKey(declaration, 'features');
	if (!features) {
		return [];
	}

	return arrayItems(text, features.valueStart, features.valueEnd).flatMap(item => (item.value === undefined ? [] : [item.value]));
}

/**
Splices that remove one feature from the dependency; when it was the only one, the whole
`features` key goes (an empty list says nothing).
*/
export function removeFeatureSplices(text: string, declaration: DependencyDeclaration, feature: string): Splice[] {
	const features = dependencyKey(declaration, 'features');
	if (!features) {
		return [];
	}

	const items = arrayItems(text, features.valueStart, features.valueEnd);
	const index = items.findIndex(item => item.value === feature);
	if (index === -1) {
		return [];
	}

	if (items.length > 1) {
		return [removeArrayItem(text, items, index)];
	}

	return [removeKeySplice(text, declaration, features)];
}

/** Splice that removes one key of a dependency, in a way that fits the shape. */
function removeKeySplice(text: string, declaration: DependencyDeclaration, key: TomlEntry): Splice {
	if (declaration.shape === 'inline') {
		const index = declaration.keys.indexOf(key);
		if (index > 0) {
			return {start: declaration.keys[index - 1]!.valueEnd, end: key.valueEnd, text: ''};
		}

		const next = declaration.keys[index + 1];
		return {start: key.keyStart, end: next ? next.keyStart : key.valueEnd, text: ''};
	}

	// Its own line: remove the line (the dotted/table shapes).
	return {start: key.lineStart, end: key.lineEnd, text: ''};
}

/** Is there a `[table]` header with exactly this path? */
export function hasTable(layout: TomlLayout, path: string[]): TomlTable | undefined {
	return layout.tables.find(table => samePath(table.path, path));
}

export {findEntry};
