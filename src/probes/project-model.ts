import {existsSync} from 'node:fs';
import path from 'node:path';
import type {ProbeContext} from './context.js';
import {cachedCargoMetadata} from './probe-cache.js';
import {parseCargoManifest, parseCargoMetadata, type MetadataMember} from './parsers/project.js';
import {findWorkspace, readText} from './workspace.js';

/** How the workspace was learnt: from cargo itself, or from the files when cargo could not answer. */
export type ModelSource = 'cargo metadata' | 'cargo metadata --no-deps' | 'files';

/** The workspace a crate belongs to: its root, its member crates, and how that was found out. */
export type ProjectModel = {
	source: ModelSource;
	/** Why cargo could not be asked (missing, failed, timed out), when the files were read instead. */
	problem?: string;
	workspaceRoot: string;
	members: MetadataMember[];
	resolvedPyo3Features?: string[];
};

function modelFromFiles(crateDir: string, problem: string | undefined): ProjectModel {
	const workspace = findWorkspace(crateDir);
	const members = workspace.members.flatMap(dir => {
		const text = readText(path.join(dir, 'Cargo.toml'));
		const manifest = text === undefined ? undefined : parseCargoManifest(text, workspace.rootManifestText);
		return manifest?.crateName ? [{dir, manifest}] : [];
	});
	return {source: 'files', ...(problem ? {problem} : {}), workspaceRoot: workspace.root, members};
}

/**
Asks cargo for the workspace of `crateDir`, run in that folder so that its rust-toolchain file
applies. With a Cargo.lock, a full offline resolve (`--locked`: never rewrite the lock); else, or
when that fails (a dependency not in the local registry), `--no-deps`, which needs no registry.
When cargo is missing or fails, the manifests are read instead.
*/
export async function loadProjectModel(context: ProbeContext, crateDir: string): Promise<ProjectModel> {
	const base = ['metadata', '--format-version', '1', '--offline'];
	const lockAt = findWorkspace(crateDir).root;
	const attempts: Array<[ModelSource, string[]]> = [
		...(existsSync(path.join(lockAt, 'Cargo.lock')) ? [['cargo metadata', [...base, '--locked']] as [ModelSource, string[]]] : []),
		['cargo metadata --no-deps', [...base, '--no-deps']],
	];
	let problem: string | undefined;
	for (const [source, args] of attempts) {
		const result = await cachedCargoMetadata(context, crateDir, args);
		const metadata = result.status === 'ok' ? parseCargoMetadata(result.stdout) : undefined;
		if (metadata) {
			return {
				source,
				workspaceRoot: metadata.workspaceRoot,
				members: metadata.members,
				...(metadata.resolvedPyo3Features ? {resolvedPyo3Features: metadata.resolvedPyo3Features} : {}),
			};
		}

		problem = result.status === 'ok' ? 'cargo metadata printed no workspace description' : result.shortMessage;
		// A missing cargo will not appear, and one that hangs would only hang again.
		if (result.status === 'missing' || result.status === 'timed-out') {
			break;
		}
	}

	return modelFromFiles(crateDir, problem);
}

/** Member crates that depend on pyo3 or pyo3-ffi. */
export function pyo3Members(model: ProjectModel): MetadataMember[] {
	return model.members.filter(member => member.manifest.pyo3Declared);
}
