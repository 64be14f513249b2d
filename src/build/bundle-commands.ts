// Bundles the wizard (the compiled `dist/commands/wizard.js` with Ink, React and the rest) into
// `dist/bundle/wizard.js`: Node then loads a few modules instead of several hundred, which is most
// of the wizard's start-up time. What the wizard imports dynamically (probes, patches, the YAML
// parser and zod) goes into chunks beside it, loaded when used. Run by `npm run build` after tsc.
import {rmSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const dist = fileURLToPath(new URL('..', import.meta.url));

// Chunk names change with their content: old ones are removed, not left to pile up.
rmSync(`${dist}/bundle`, {recursive: true, force: true});
await build({
	entryPoints: [`${dist}/commands/wizard.js`],
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
			// Ink loads React DevTools only when DEV=true; the wizard never does.
			name: 'no-devtools',
			setup(builder) {
				builder.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'react-devtools-core', namespace: 'no-devtools'}));
				builder.onLoad({filter: /.*/, namespace: 'no-devtools'}, () => ({contents: 'export default {connectToDevTools() {}};', loader: 'js'}));
			},
		},
	],
});
