import type {Readable, Writable} from 'node:stream';
import type {collectFacts} from '../probes/collect.js';

/** Everything a command may touch, handed in by the entry point so commands stay testable. */
export type CommandContext = {
	argv: string[];
	stdin: Readable & {isTTY?: boolean};
	stdout: Writable & {isTTY?: boolean; columns?: number};
	stderr: Writable & {isTTY?: boolean};
	env: Record<string, string | undefined>;
	cwd: string;
	/** Replaces the environment probes (tests hand in facts probed once); default: the real probes. */
	collectFacts?: typeof collectFacts;
	/** Process signals (`process` in the CLI); `run` passes them on to the build it runs. */
	signals?: {
		on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
		off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
	};
};

export type CommandModule = {run: (context: CommandContext) => Promise<number>};

export type CommandInfo = {
	name: string;
	summary: string;
	/** Loaded on demand, so that `--version` and `diagnose` never load Ink or React. */
	load: () => Promise<CommandModule>;
};
