import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {readPyo3Sources} from '../core/facts/pyo3-sources.js';

/** The folders cargo unpacks crates into: `$CARGO_HOME/registry/src/<index>/`. */
function registrySourceDirs(env: Record<string, string | undefined>): string[] {
	const cargoHome = env.CARGO_HOME || path.join(env.HOME || homedir(), '.cargo');
	const root = path.join(cargoHome, 'registry', 'src');
	try {
		return readdirSync(root).map(name => path.join(root, name)).sort();
	} catch {
		return [];
	}
}

function readOrNote(file: string, notes: string[]): string | undefined {
	try {
		return readFileSync(file, 'utf8');
	} catch (error) {
		notes.push(`${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
		return undefined;
	}
}

/**
The `project.pyo3.*` support facts read from the locked pyo3's own sources when cargo has already
downloaded them (`pyo3-ffi-<version>/build.rs`, `pyo3-<version>/Cargo.toml`), so a release newer
than the bundled table is known on the day. Returns only the notes when the files are absent,
unreadable or do not say what is needed; the bundled table is then used (deriveFacts).
*/
export function pyo3SupportFromRegistry(version: string | undefined, env: Record<string, string | undefined>): Record<string, unknown> {
	if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
		return {};
	}

	const index = registrySourceDirs(env).find(dir => existsSync(path.join(dir, `pyo3-ffi-${version}`)));
	if (!index) {
		return {};
	}

	const notes: string[] = [];
	const ffiDir = path.join(index, `pyo3-ffi-${version}`);
	const ffiBuildRs = readOrNote(path.join(ffiDir, 'build.rs'), notes);
	const manifest = [path.join(index, `pyo3-${version}`, 'Cargo.toml'), path.join(ffiDir, 'Cargo.toml')].find(file => existsSync(file));
	const cargoToml = manifest ? readOrNote(manifest, notes) : undefined;
	if (ffiBuildRs === undefined) {
		return {supportNotes: [...notes, 'used the bundled table']};
	}

	const reading = readPyo3Sources({version, ffiBuildRs, cargoToml});
	const allNotes = [...notes, ...reading.notes.map(note => `${ffiDir}: ${note}`)];
	if (!reading.support) {
		return {supportNotes: [...allNotes, 'used the bundled table']};
	}

	const {series: _series, nextIsExperimental, ...ranges} = reading.support;
	return {
		supportSource: 'registry',
		supportSourceDir: ffiDir,
		...ranges,
		nextPythonExperimental: nextIsExperimental,
		...(allNotes.length > 0 ? {supportNotes: allNotes} : {}),
	};
}
