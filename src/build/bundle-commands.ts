// Bundles each command (the compiled `dist/commands/<name>.js`, the wizard with Ink, React and the
// rest) into `dist/bundle/<name>.js`: Node then loads a few modules instead of several hundred,
// which is most of the wizard's start-up time and a third of a warm `check`'s. What they share,
// and what they import dynamically (probes, patches, the YAML parser and zod), goes into chunks
// beside them, loaded when used. Run by `npm run build` after tsc.
import {readdirSync, rmSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const dist = fileURLToPath(new URL('..', import.meta.url));

const bundle = async (entryPoints: string[]) => build({
	entryPoints,
	outdir: `${dist}/bundle`,
	splitting: true,
	chunkNames: 'chunk-[hash]',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	logLevel: 'warning',
	// Less to parse at start-up; names are kept so that a stack trace still reads.
	minifyWhitespace: true,
	minifySyntax: true,
	// React's production build: smaller, and without development-only checks.
	define: {'process.env.NODE_ENV': '"production"'},
	// Some CommonJS dependencies call require() for Node built-ins.
	banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
	plugins: [
		{
			// The CLI's entry tells usage and input errors by their class: a bundle must throw the
			// very classes it imports, so these two small modules are imported, not copied.
			name: 'errors-shared-with-the-entry',
			setup(builder) {
				const shared = new Set(['cli/exit-codes.js', 'io/read-log.js'].map(file => path.join(dist, file)));
				builder.onResolve({filter: /\/(?:exit-codes|read-log)\.js$/}, args => {
					const resolved = path.resolve(args.resolveDir, args.path);
					return shared.has(resolved) ? {path: `../${path.relative(dist, resolved)}`, external: true} : undefined;
				});
			},
		},
		{
			// Ink loads React DevTools only when DEV=true; the wizard never does.
			name: 'no-devtools',
			setup(builder) {
				builder.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'no-devtools'}));
				builder.onLoad({filter: /.*/, namespace: 'no-devtools'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
			},
		},
	],
});

// Chunk names change with their content: old ones are removed, not left to pile up.
rmSync(`${dist}/bundle`, {recursive: true, force: true});
// The wizard on its own, so that its first frame loads only the chunks it needs; then the other
// commands, which share theirs (chunks are named by content, so equal ones coincide).
const commands = readdirSync(`${dist}/commands`).filter(name => name.endsWith('.js'));
await bundle([`${dist}/commands/wizard.js`]);
await bundle(commands.filter(name => name !== 'wizard.js').map(name => `${dist}/commands/${name}`));
