import type {CommandInfo} from './context.js';

/**
The build bundles each command into one file (src/build/bundle-commands.ts), which starts faster;
running from the sources (tests) there is no bundle, and the modules are loaded one by one.
*/
export async function loadBundled<Module>(name: string, fromSources: () => Promise<Module>): Promise<Module> {
	try {
		return (await import(new URL(`../bundle/${name}.js`, import.meta.url).href)) as Module;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') {
			throw error;
		}

		return fromSources();
	}
}

/** Every command, in the order `--help` lists them. Adding a command is one row here and one module. */
export const commands: CommandInfo[] = [
	{name: 'diagnose', summary: 'name the cause of a failed build from its log', load: async () => loadBundled('diagnose', async () => import('../commands/diagnose.js'))},
	{name: 'check', summary: 'look at this machine and project for known problems, before any build', load: async () => loadBundled('check', async () => import('../commands/check.js'))},
	{name: 'fix', summary: "show (and with --apply, write) the patch for a diagnosis to the project's files", load: async () => loadBundled('fix', async () => import('../commands/fix.js'))},
	{name: 'explain', summary: 'print one diagnosis in full', load: async () => loadBundled('explain', async () => import('../commands/explain.js'))},
	{name: 'list', summary: 'list every diagnosis id', load: async () => loadBundled('list', async () => import('../commands/list.js'))},
	{name: 'run', summary: 'run a build command; on failure, name the cause', load: async () => loadBundled('run', async () => import('../commands/run.js'))},
	{name: 'init', summary: 'write a new PyO3 project that builds (extension, embedding, Nix or not)', load: async () => loadBundled('init', async () => import('../commands/init.js'))},
];
