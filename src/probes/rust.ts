import {findOnPath, type ProbeContext} from './context.js';
import {cachedToolRun} from './probe-cache.js';
import {parseRustcVerbose, parseToolVersion} from './parsers/tools.js';

export type RustFacts = {cargoVersion?: string; rustcVersion?: string; hostTriple?: string; linkerFound?: boolean; linker?: string; problem?: string};

/** The linker cargo will call for a target: CARGO_TARGET_<TRIPLE>_LINKER, then .cargo/config.toml, then cc. */
export function linkerFor(host: string | undefined, env: Record<string, string | undefined>, configLinkers: Record<string, string>): string {
	if (host) {
		const variable = `CARGO_TARGET_${host.toUpperCase().replaceAll('-', '_')}_LINKER`;
		const fromEnv = env[variable];
		if (fromEnv) {
			return fromEnv;
		}

		const fromConfig = configLinkers[host];
		if (fromConfig) {
			return fromConfig;
		}
	}

	return 'cc';
}

/** cargo and rustc versions, the host triple and whether the linker driver is there. */
export async function probeRust(context: ProbeContext, configLinkers: Record<string, string> = {}): Promise<RustFacts> {
	const [cargo, rustc] = await Promise.all([cachedToolRun(context, 'rust', 'cargo', ['--version']), cachedToolRun(context, 'rust', 'rustc', ['-vV'])]);
	const cargoVersion = parseToolVersion(cargo.stdout, 'cargo');
	const verbose = parseRustcVerbose(rustc.stdout);
	const linker = linkerFor(verbose.host, context.env, configLinkers);
	const failed = [cargo, rustc].find(result => result.status !== 'ok');
	const unreadable = !cargoVersion && cargo.status === 'ok' ? cargo : !verbose.release && rustc.status === 'ok' ? rustc : undefined;
	const problem = failed ?? (unreadable ? {shortMessage: `${unreadable === cargo ? 'cargo --version' : 'rustc -vV'}: printed no version`} : undefined);
	return {
		...(cargoVersion ? {cargoVersion} : {}),
		...(verbose.release ? {rustcVersion: verbose.release} : {}),
		...(verbose.host ? {hostTriple: verbose.host} : {}),
		linker,
		linkerFound: findOnPath(linker, context.env, context.cwd) !== undefined,
		...(problem ? {problem: problem.shortMessage} : {}),
	};
}
