// Build step: validates every knowledge entry and writes dist/knowledge-bundle.json.
// A broken entry fails the build, so a broken knowledge base never ships.
import {writeFileSync} from 'node:fs';
import {buildBundle, defaultBundleFile, formatProblems} from '../io/knowledge-dir.js';

const {bundle, problems} = await buildBundle();
if (problems.length > 0) {
	process.stderr.write(`${formatProblems(problems)}\n`);
	process.exitCode = 1;
} else {
	writeFileSync(defaultBundleFile, `${JSON.stringify(bundle)}\n`);
	process.stdout.write(`knowledge bundle: ${Object.keys(bundle.entries).length} entries → ${defaultBundleFile}\n`);
}
