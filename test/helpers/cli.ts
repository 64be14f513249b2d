import {spawnSync, type SpawnSyncOptions} from 'node:child_process';
import {fileURLToPath} from 'node:url';

/** The built CLI; `npm test` builds it before running the suite. */
export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export type CliResult = {status: number | null; stdout: string; stderr: string};

/** Runs the built CLI as a user would, outside any terminal, with CI unset unless given. */
export function runCli(args: string[], options: SpawnSyncOptions & {input?: string | Buffer} = {}): CliResult {
	const result = spawnSync(process.execPath, [cliPath, ...args], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
		timeout: 60_000,
		...options,
		// Outside GitHub Actions unless a test says so: its annotations would join the output.
		env: {...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', ...options.env},
	});
	return {status: result.status, stdout: String(result.stdout), stderr: String(result.stderr)};
}
