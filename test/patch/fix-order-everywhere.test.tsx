/** @jsxRuntime automatic */
/** @jsxImportSource react */
import assert from 'node:assert/strict';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath} from 'node:url';
import {after, test} from 'node:test';
import {cleanup, render} from 'ink-testing-library';
import type {CommandContext} from '../../src/cli/context.js';
import {defaultKnowledgeDir} from '../../src/io/knowledge-dir.js';
import {collectFacts} from '../../src/probes/collect.js';
// The built commands (npm test builds first) load the knowledge base from the build's bundle, as
// the installed tool does: each command loads it anew, and parsing the YAML every time would be slow.
import {run as diagnose} from '../../dist/commands/diagnose.js';
import {run as fix} from '../../dist/commands/fix.js';
import {realDeps} from '../../dist/commands/wizard.js';
import {App} from '../../dist/ui/App.js';
import {press, waitForFrame} from '../helpers/ink.js';
import {knowledge} from '../helpers/knowledge.js';

// The first fix of a finding is the same wherever it is shown: `fix ID`, `diagnose --json`
// (fixes[0]) and the wizard's diagnosis screen, over every fixture project, each probed once
// with the real tools.

const scratch = mkdtempSync(path.join(tmpdir(), 'pyo3-doctor-fix-order-'));
after(() => {
	cleanup();
	rmSync(scratch, {recursive: true, force: true});
});

const projectsDir = fileURLToPath(new URL('../fixtures/projects', import.meta.url));
const projects = readdirSync(projectsDir).sort();

// Every entry with a choice of fixes, each through one of its own example logs, in one log.
const withChoice = knowledge.filter(entry => entry.fixes.length > 1);
function exampleLog(id: string): string {
	const dir = path.join(defaultKnowledgeDir, 'diagnoses', id, 'examples', 'match');
	return readFileSync(path.join(dir, readdirSync(dir).sort()[0]!), 'utf8');
}

const combinedLog = withChoice.map(entry => exampleLog(entry.id)).join('\n');
const combinedLogFile = path.join(scratch, 'build.log');
writeFileSync(combinedLogFile, combinedLog);

function output() {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', chunk => {
		text += String(chunk);
	});
	return {stream, text: () => text};
}

function contextFor(project: string, argv: string[], facts: Awaited<ReturnType<typeof collectFacts>>, stdin = ''): {context: CommandContext; stdout: () => string} {
	const stdout = output();
	const input = new PassThrough();
	input.end(stdin);
	const context: CommandContext = {
		argv,
		stdin: input,
		stdout: stdout.stream,
		stderr: new PassThrough(),
		env: {...process.env, NO_COLOR: '1'},
		cwd: project,
		collectFacts: async () => facts,
	};
	return {context, stdout: stdout.text};
}

/**
The wizard's first fix for each finding named in `wanted`, read off the screen by its title, for a
log made of those entries' example logs (the other findings it shows are passed over with `n`).
*/
async function wizardFirstFixes(project: string, facts: Awaited<ReturnType<typeof collectFacts>>, wanted: Set<string>): Promise<Map<string, string>> {
	const {context} = contextFor(project, [], facts);
	const log = [...wanted].map(id => exampleLog(id)).join('\n');
	const deps = {...realDeps(context, {pipedLog: {text: log, source: 'standard input'}}), colour: false};
	const app = render(<App deps={deps} size={{columns: 160, rows: 60}} />);
	const first = new Map<string, string>();
	try {
		const count = Number(/Finding 1 of (\d+)/.exec(await waitForFrame(app, /Finding 1 of \d+/, 10_000))![1]);
		for (let index = 1; index <= count; index++) {
			let frame = await waitForFrame(app, `Finding ${index} of ${count}`, 10_000);
			const lines = frame.split('\n');
			const id = lines[lines.findIndex(line => line.includes(`Finding ${index} of ${count}`)) + 1]!.trim();
			if (wanted.has(id)) {
				frame = await waitForFrame(app, screen => screen.includes(`Finding ${index} of ${count}`) && /^Fix: /m.test(screen), 10_000);
				const title = /^Fix: (.*?)(?: \(fix \d+ of \d+, f: another\))?$/m.exec(frame)![1]!;
				const entry = knowledge.find(candidate => candidate.id === id)!;
				first.set(id, entry.fixes.find(candidate => candidate.title.replaceAll('`', '') === title.replaceAll('`', ''))?.id ?? `(no fix titled ${title})`);
			}

			if (index < count) {
				await press(app, 'n');
			}
		}
	} finally {
		app.unmount();
	}

	return first;
}

test('fix, diagnose --json and the wizard choose the same first fix, on every fixture project', async () => {
	let reordered = 0;
	const probed = await Promise.all(projects.map(async name => collectFacts({cwd: path.join(projectsDir, name), env: process.env, projectDir: path.join(projectsDir, name)})));
	for (const [index, name] of projects.entries()) {
		const project = path.join(projectsDir, name);
		const facts = probed[index]!;

		// diagnose --json: fixes[0] of every finding
		const diagnosed = contextFor(project, ['-', '--json'], facts, combinedLog);
		assert.equal(await diagnose(diagnosed.context), 0);
		const findings = (JSON.parse(diagnosed.stdout()) as {diagnoses: Array<{id: string; fixes: Array<{id: string}>}>}).diagnoses;
		assert.ok(findings.length >= withChoice.length / 2, `${name}: only ${findings.length} findings in the combined log`);

		// fix ID --log LOG --json: the fix it would write, with what the log names
		const chosen = new Map<string, string>();
		for (const finding of findings) {
			const fixed = contextFor(project, [finding.id, '--log', combinedLogFile, '--json'], facts);
			assert.equal(await fix(fixed.context), 0);
			chosen.set(finding.id, (JSON.parse(fixed.stdout()) as {fix: {id: string}}).fix.id);
			assert.equal(finding.fixes[0]!.id, chosen.get(finding.id), `${name} ${finding.id}: diagnose --json fixes[0] against fix`);
		}

		// The wizard, on every finding whose first fix is not the entry's own first: there, showing
		// the fixes in the entry's order (or by condition alone) would show another one.
		const reorderedIds = findings.filter(finding => knowledge.find(entry => entry.id === finding.id)!.fixes[0]!.id !== chosen.get(finding.id)).map(finding => finding.id);
		const wizard = reorderedIds.length === 0 ? new Map<string, string>() : await wizardFirstFixes(project, facts, new Set(reorderedIds));
		for (const id of reorderedIds) {
			assert.equal(wizard.get(id), chosen.get(id), `${name} ${id}: the wizard against fix`);
		}

		reordered += reorderedIds.length;
	}

	// The order is not merely the entries' own: some projects' facts or files put another fix first.
	assert.ok(reordered > 0);
});

test("the issue's case: a binary crate on pyo3 0.30 with extension-module gets 'drop the feature' first everywhere", async () => {
	const project = path.join(projectsDir, 'extension-module-bin-pyo3-030');
	const facts = await collectFacts({cwd: project, env: process.env, projectDir: project});
	const log = readFileSync(path.join(defaultKnowledgeDir, 'diagnoses/extension-module-in-binary/examples/match/rust-lld-cargo-test.log'), 'utf8');
	const diagnosed = contextFor(project, ['-', '--json'], facts, log);
	await diagnose(diagnosed.context);
	const [finding] = (JSON.parse(diagnosed.stdout()) as {diagnoses: Array<{id: string; fixes: Array<{id: string}>}>}).diagnoses;
	assert.equal(finding?.id, 'extension-module-in-binary');
	assert.equal(finding.fixes[0]!.id, 'drop-feature-new-maturin');
	const text = contextFor(project, ['-'], facts, log);
	await diagnose(text.context);
	assert.match(text.stdout(), /Fix: Drop the feature/);
	const fixed = contextFor(project, ['extension-module-in-binary', '--json'], facts);
	await fix(fixed.context);
	assert.equal((JSON.parse(fixed.stdout()) as {fix: {id: string}}).fix.id, 'drop-feature-new-maturin');
	const {context} = contextFor(project, [], facts);
	const app = render(<App deps={{...realDeps(context, {pipedLog: {text: log, source: 'standard input'}}), colour: false}} size={{columns: 200, rows: 80}} />);
	await waitForFrame(app, /^Fix: Drop the feature/m, 10_000);
	app.unmount();
});
