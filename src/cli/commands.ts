import type {CommandInfo} from './context.js';

/** Every command, in the order `--help` lists them. Adding a command is one row here and one module. */
export const commands: CommandInfo[] = [
	{name: 'diagnose', summary: 'name the cause of a failed build from its log', load: async () => import('../commands/diagnose.js')},
	{name: 'check', summary: 'look at this machine and project for known problems, before any build', load: async () => import('../commands/check.js')},
	{name: 'fix', summary: "show (and with --apply, write) the patch for a diagnosis to the project's files", load: async () => import('../commands/fix.js')},
	{name: 'explain', summary: 'print one diagnosis in full', load: async () => import('../commands/explain.js')},
	{name: 'list', summary: 'list every diagnosis id', load: async () => import('../commands/list.js')},
	{name: 'run', summary: 'run a build command; on failure, name the cause', load: async () => import('../commands/run.js')},
	{name: 'init', summary: 'write a new PyO3 project that builds (extension, embedding, Nix or not)', load: async () => import('../commands/init.js')},
];
