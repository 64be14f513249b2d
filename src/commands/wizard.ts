import {existsSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough, Writable} from 'node:stream';
import type {ReadStream} from 'node:tty';
import {render} from 'ink';
import {createElement} from 'react';
import type {CommandContext} from '../cli/context.js';
import {ExitCode} from '../cli/exit-codes.js';
import type {PatchPlan as EnginePlan} from '../core/patch/plan.js';
import {wantsColour} from '../core/report/style.js';
import {readLog} from '../io/read-log.js';
import {App} from '../ui/App.js';
import type {WizardDeps} from '../ui/deps.js';

const bracketedPasteOn = '\u001B[?2004h';
const bracketedPasteOff = '\u001B[?2004l';
/** Piped logs larger than this are cut at the start: the cause of a failure is at the end. */
const maxPipedBytes = 64 * 1024 * 1024;

async function readWholeLog(source: string | NodeJS.ReadableStream): Promise<string> {
	const parts: string[] = [];
	let size = 0;
	await readLog(source as never, {
		onText(text) {
			parts.push(text);
			size += text.length;
			while (size > maxPipedBytes && parts.length > 1) {
				size -= parts.shift()!.length;
			}
		},
	});
	return parts.join('');
}

// Picks a file name next to the user that does not overwrite anything.
function freeName(dir: string, base: string, extension = 'patch'): string {
	for (let index = 0; ; index++) {
		const name = index === 0 ? `${base}.${extension}` : `${base}-${index}.${extension}`;
		if (!existsSync(path.join(dir, name))) {
			return name;
		}
	}
}

/**
The real side effects of the wizard, for the current directory and environment. Each loads its
modules when first used (the build splits them into chunks), so the first frame needs only Ink.
*/
export function realDeps(context: CommandContext, base: Pick<WizardDeps, 'pipedLog'>): WizardDeps {
	const projectRoot = async () => (await import('../io/patch-files.js')).findProjectRoot(context.cwd);
	const enginePlans = new Map<string, Extract<EnginePlan, {status: 'patch'}>>();
	return {
		...base,
		colour: wantsColour(context.env, Boolean(context.stdout.isTTY)),
		async loadKnowledge() {
			// Problems are not printed here: stderr would tear the screen. `pyo3-doctor list` names them.
			const knowledgeDir = context.env.PYO3_DOCTOR_KNOWLEDGE_DIR || undefined;
			const [{loadKnowledge}, {loadTrees}] = await Promise.all([import('../io/knowledge-dir.js'), import('../io/trees-dir.js')]);
			const {entries} = await loadKnowledge(knowledgeDir);
			if (entries.length === 0) {
				throw new Error('No knowledge entry could be loaded, so nothing can be diagnosed.');
			}

			return {knowledge: entries, trees: loadTrees(knowledgeDir).trees};
		},
		async collectFacts(onEvent) {
			const {collectFacts} = await import('../probes/collect.js');
			return (context.collectFacts ?? collectFacts)({cwd: context.cwd, env: context.env}, onEvent);
		},
		readLogFile: async file => readWholeLog(path.resolve(context.cwd, file)),
		isFile(file) {
			try {
				return statSync(path.resolve(context.cwd, file)).isFile();
			} catch {
				return false;
			}
		},
		async planFix({entry, fix, facts}) {
			const root = await projectRoot();
			if (!root) {
				return {status: 'manual', reason: 'no Cargo.toml in this folder or above it; run pyo3-doctor inside the project'};
			}

			const [{planFix}, {projectReader}] = await Promise.all([import('../core/patch/plan.js'), import('../io/patch-files.js')]);
			const plan = planFix({entry, fix, readFile: projectReader(root), facts});
			if (plan.status !== 'patch') {
				return plan;
			}

			enginePlans.set(plan.diff, plan);
			return {status: 'patch', files: plan.files.map(file => file.path), diff: plan.diff};
		},
		async applyPatch(plan) {
			const enginePlan = enginePlans.get(plan.diff);
			const root = await projectRoot();
			if (!root || !enginePlan) {
				return {ok: false, message: 'This patch is no longer current; nothing was changed.'};
			}

			const {applyPlan} = await import('../io/patch-files.js');
			const result = await applyPlan(root, enginePlan);
			if (!result.ok) {
				return {ok: false, message: `Nothing was changed: ${result.reason}`};
			}

			const written = result.written.map(file => (file.backup ? `${file.path} (backup ${path.basename(file.backup)})` : file.path));
			const backups = result.written.flatMap(file => (file.backup ? [path.relative(context.cwd, path.resolve(root, file.backup)) || file.backup] : []));
			return {ok: true, message: `Written: ${written.join(', ')}.`, backups};
		},
		async runFixCommands(argvs, onOutput) {
			const root = await projectRoot();
			if (!root) {
				return {ok: false, message: 'No project (Cargo.toml) was found to run the command in; nothing was run.'};
			}

			const quiet = new Writable({
				write(_chunk, _encoding, done) {
					done();
				},
			});
			const [{runBuild}, {shellWords}] = await Promise.all([import('../io/run-build.js'), import('../core/patch/command-fix.js')]);
			for (const argv of argvs) {
				const words = shellWords(argv);
				onOutput(`$ ${words}\n`);
				// One command after the other, as a shell would: the next runs only when this one succeeded.
				const outcome = await runBuild({command: argv[0]!, args: argv.slice(1), cwd: root, env: context.env, stdin: new PassThrough().end(), stdout: quiet, stderr: quiet, onOutput});
				if (outcome.exitCode !== 0) {
					return {ok: false, message: `\`${words}\` ${outcome.startError ? `could not start (${outcome.startError.message})` : `ended with exit code ${outcome.exitCode}`}.`};
				}
			}

			return {ok: true, message: `Ran ${argvs.map(argv => `\`${shellWords(argv)}\``).join(', ')}: exit code 0.`};
		},
		async savePatch({diagnosisId, fixId, diff}) {
			const dir = (await projectRoot()) ?? context.cwd;
			const name = freeName(dir, `pyo3-doctor-${diagnosisId}-${fixId}`);
			writeFileSync(path.join(dir, name), diff.endsWith('\n') ? diff : `${diff}\n`, {flag: 'wx'});
			return {ok: true, message: `Saved ${path.relative(context.cwd, path.join(dir, name)) || name}; review it, then: git apply ${name}`};
		},
		async saveReport({facts, checks, findings}) {
			const [{formatCheckMarkdown}, {redact}] = await Promise.all([import('../core/report/check-report.js'), import('../core/redact.js')]);
			const dir = (await projectRoot()) ?? context.cwd;
			const name = freeName(dir, 'pyo3-doctor-report', 'md');
			const file = path.join(dir, name);
			writeFileSync(file, `${redact(formatCheckMarkdown({checks, findings}, facts), {home: context.env.HOME})}\n`, {flag: 'wx'});
			return {ok: true, message: `Saved ${path.relative(context.cwd, file) || name} (Markdown, tokens, passwords and your home folder removed): paste it into a bug report.`};
		},
		async runBuild(command, onOutput) {
			const output: string[] = [];
			const quiet = new Writable({
				write(_chunk, _encoding, done) {
					done();
				},
			});
			const {runBuild} = await import('../io/run-build.js');
			const outcome = await runBuild({
				command: 'sh',
				args: ['-c', command],
				cwd: context.cwd,
				env: context.env,
				stdin: new PassThrough().end(),
				stdout: quiet,
				stderr: quiet,
				onOutput(text) {
					output.push(text);
					onOutput(text);
				},
			});
			return {text: output.join(''), exitCode: outcome.exitCode};
		},
		async setUpProject({kind, nix, directory}) {
			const [{setUpProject, resolvePython}, {packageNameFor, defaultNixPythonVersion}] = await Promise.all([import('./init.js'), import('../core/init/plan.js')]);
			const target = path.resolve(context.cwd, directory);
			// The same defaults as `pyo3-doctor init`: the flake brings its own Python; otherwise python3 on PATH.
			const python = nix ? {version: defaultNixPythonVersion} : await resolvePython('python3', context.env);
			return setUpProject(target, {name: packageNameFor(path.basename(target)), kind, nix, python});
		},
		setBracketedPaste(on) {
			context.stdout.write(on ? bracketedPasteOn : bracketedPasteOff);
		},
	};
}

/**
Opens the wizard. `keyboard` is the terminal to read keys from when standard input carries a
piped log (that log is read first and diagnosed as the wizard opens).
*/
export async function runWizard(context: CommandContext, options: {keyboard?: ReadStream} = {}): Promise<number> {
	let pipedLog: WizardDeps['pipedLog'];
	if (options.keyboard) {
		// A build still running upstream can take minutes: say what is being waited for.
		const notice = setTimeout(() => {
			context.stderr.write('pyo3-doctor: reading the log from standard input; the wizard opens when it ends (Ctrl-C stops).\n');
		}, 1000);
		try {
			const text = await readWholeLog(context.stdin);
			pipedLog = text.trim() === '' ? undefined : {text, source: 'standard input'};
		} finally {
			clearTimeout(notice);
		}
	}

	let interrupted = false;
	const deps: WizardDeps = {
		...realDeps(context, {pipedLog}),
		onInterrupt() {
			interrupted = true;
		},
	};
	const stdin = (options.keyboard ?? context.stdin) as NodeJS.ReadStream;
	const instance = render(createElement(App, {deps}), {
		stdin,
		stdout: context.stdout as NodeJS.WriteStream,
		stderr: context.stderr as NodeJS.WriteStream,
		// App handles Ctrl-C itself, to report the interruption.
		exitOnCtrlC: false,
		patchConsole: false,
	});
	try {
		await instance.waitUntilExit();
	} finally {
		// Whatever ended the wizard, the terminal is left as it was found.
		context.stdout.write(bracketedPasteOff);
		options.keyboard?.destroy();
	}

	// 128 + SIGINT, as shells expect from a program the user interrupted.
	return interrupted ? 130 : ExitCode.ok;
}

export async function run(context: CommandContext): Promise<number> {
	return runWizard(context);
}
