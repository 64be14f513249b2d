import {Box, Text} from 'ink';
import {useEffect} from 'react';
import type {Facts} from '../../core/knowledge/conditions.js';
import {KeyHints} from '../components/KeyHints.js';
import {Lines} from '../components/Lines.js';
import {useWizard} from '../context.js';
import {useFindingsKeys} from '../hooks/use-findings-keys.js';
import {commandStanding, planCommands, shellWords} from '../../core/patch/command-fix.js';
import {orderFixes} from '../../core/patch/fix-order.js';
import {fixOrderOf, patchKey, type Action, type BuildRun, type FindingsView} from '../state/app.js';
import {applicableFixes, confidenceLabel, findingBody} from '../state/finding-lines.js';
import {truncate, wrapLine, wrapStyled} from '../state/layout.js';

// Header (position, id, title), body, then the status line(s) and the key line.
const chromeHeight = 4;

function NoFindings({view}: {readonly view: FindingsView}) {
	const {theme} = useWizard();
	const read = view.lines === undefined ? '' : ` (${view.lines.toLocaleString('en-US')} lines read)`;
	if (view.origin === 'tree') {
		return (
			<Box flexDirection="column">
				<Text bold>These causes are not described in this version of pyo3-doctor yet.</Text>
				<Text wrap="wrap">pyo3-doctor list shows every diagnosis it knows.</Text>
				<Text> </Text>
				<KeyHints hints={[['Esc', 'back'], ['q', 'quit']]} />
			</Box>
		);
	}

	// Nothing silent: the lines read as the failure, and the classes that came closest, as `diagnose` says them.
	const failureLines = view.unmatched?.failureLines.slice(0, 8) ?? [];
	const closest = view.unmatched?.closest ?? [];
	return (
		<Box flexDirection="column">
			<Text bold>No known PyO3 / maturin / Nix failure found in {view.source}{read}.</Text>
			{failureLines.length > 0 && <Text>These lines read as the failure:</Text>}
			{failureLines.map(evidence => (
				<Text key={`line-${evidence.line}`} wrap="truncate-end">
					{'  '}
					<Text {...theme.tone('dim')}>line {evidence.line}:</Text> {evidence.text}
				</Text>
			))}
			{closest.length > 0 && <Text>The known classes that come closest (too little in the log to name them):</Text>}
			{closest.map(close => (
				<Text key={close.diagnosis.id} wrap="truncate-end">
					{'  '}
					{close.diagnosis.title} <Text {...theme.tone('dim')}>[{close.diagnosis.id}] {close.confidence.toFixed(2)}</Text>
				</Text>
			))}
			<Text> </Text>
			<Text wrap="wrap">If the build still fails: answer a few questions from the menu, or look at the environment report.</Text>
			<Text wrap="wrap" {...theme.tone('dim')}>
				The log should hold the whole output of the failed command, stdout and stderr (2&gt;&amp;1).
			</Text>
			<Text> </Text>
			<KeyHints hints={[['Esc', 'back'], ['q', 'quit']]} />
		</Box>
	);
}

/**
One diagnosis: its id and title, why (log lines and environment facts), the fix, the patch
preview, then the explanation. Long content scrolls. Actions: apply (after a yes), save the
patch, next finding, another fix, back.
*/
export function FindingsScreen({
	view,
	facts,
	dispatch,
	onBack,
	onQuit,
	onRebuild,
}: {
	readonly view: FindingsView;
	readonly facts: Facts;
	readonly dispatch: (action: Action) => void;
	readonly onBack: () => void;
	readonly onQuit: () => void;
	/** Runs the build these findings came from again, after a fix was written. */
	readonly onRebuild?: (build: BuildRun, backups: string[]) => void;
}) {
	const {deps, theme, size} = useWizard();
	const finding = view.findings[view.index];
	const order = fixOrderOf(view);
	// With a project to patch, the fix is shown once its patch standing has ranked it, as `fix` and `diagnose` rank it.
	const ordering = Boolean(deps.planFix) && order.fixIds === undefined;
	const fixes = finding ? applicableFixes(finding.diagnosis, facts, order.fixIds) : [];
	const fixNumber = (view.fixIndex % Math.max(fixes.length, 1)) + 1;
	const fix = ordering ? undefined : fixes[fixNumber - 1];
	const planFacts = finding ? {...facts, captures: finding.captures} : facts;
	const width = Math.max(size.columns - 1, 20);
	const body = finding ? wrapStyled(findingBody(finding, fix, fixNumber, fixes.length, view.patch), width) : [];
	const statusLines = view.message ? wrapLine(view.message.text, width).slice(0, 2) : [];
	const bodyHeight = Math.max(size.rows - 1 - chromeHeight - Math.max(statusLines.length, 1), 3);
	const key = patchKey(view);

	useEffect(() => {
		const {planFix} = deps;
		if (!finding || !planFix || order.current) {
			return;
		}

		let current = true;
		const entry = finding.diagnosis;
		const standings = entry.fixes.map(async fix =>
			fix.edits.length === 0
				? commandStanding(fix, planFacts)
				: planFix({entry, fix, facts: planFacts}).then(
						plan => plan.status,
						() => undefined,
					),
		);
		void Promise.all(standings).then(known => {
			if (current) {
				const fixIds = orderFixes(entry.fixes, facts, fix => known[entry.fixes.indexOf(fix)]).map(fix => fix.id);
				dispatch({type: 'fixes-ordered', diagnosisId: entry.id, revision: view.revision, fixIds});
			}
		});
		return () => {
			current = false;
		};
	}, [finding?.diagnosis.id, view.revision]);

	useEffect(() => {
		if (!finding || !fix || !deps.planFix || fix.edits.length === 0) {
			return;
		}

		let current = true;
		dispatch({type: 'patch-loading'});
		deps.planFix({entry: finding.diagnosis, fix, facts: planFacts}).then(
			plan => {
				if (current) {
					dispatch({type: 'patch-ready', key, plan});
				}
			},
			(error: unknown) => {
				if (current) {
					dispatch({type: 'patch-failed', key, message: (error as Error).message});
				}
			},
		);
		return () => {
			current = false;
		};
	}, [key, view.revision]);

	const plan = view.patch.state === 'ready' && view.patch.plan.status === 'patch' ? view.patch.plan : undefined;
	// A command fix (no edits, a `run`) runs here, after a yes, when every word of it is known.
	const commandPlan = fix && fix.edits.length === 0 && fix.run.length > 0 && deps.runFixCommands ? planCommands(fix, planFacts) : undefined;
	const commands = commandPlan?.status === 'command' ? commandPlan.argv : undefined;
	const commandWords = commands?.map(argv => shellWords(argv)).join(' && ');
	useFindingsKeys({
		view,
		dispatch,
		bodyHeight,
		contentHeight: body.length,
		fixCount: fixes.length,
		command: Boolean(commands),
		onBack,
		onQuit,
		onApply() {
			if (commands && deps.runFixCommands) {
				dispatch({type: 'action-started'});
				void deps
					.runFixCommands(commands, text => {
						dispatch({type: 'action-output', text});
					})
					.then(
						outcome => {
							// A command that ran changed the project, whatever it printed: the build can be tried again.
							dispatch({type: 'action-finished', ...outcome, wroteFiles: outcome.ok});
						},
						(error: unknown) => {
							dispatch({type: 'action-finished', ok: false, message: (error as Error).message});
						},
					);
				return;
			}

			if (!plan || !deps.applyPatch) {
				return;
			}

			dispatch({type: 'action-started'});
			void deps.applyPatch(plan).then(
				outcome => {
					dispatch({type: 'action-finished', ...outcome, wroteFiles: outcome.ok});
				},
				(error: unknown) => {
					dispatch({type: 'action-finished', ok: false, message: (error as Error).message});
				},
			);
		},
		onRebuild() {
			if (view.build && view.applied && onRebuild) {
				onRebuild(view.build, view.applied.backups);
			}
		},
		onSave() {
			if (!finding || !fix) {
				return;
			}

			if (!plan || !deps.savePatch) {
				dispatch({type: 'action-finished', ok: false, message: 'There is no patch to save for this fix.'});
				return;
			}

			dispatch({type: 'action-started'});
			void deps.savePatch({diagnosisId: finding.diagnosis.id, fixId: fix.id, diff: plan.diff}).then(
				outcome => {
					dispatch({type: 'action-finished', ...outcome});
				},
				(error: unknown) => {
					dispatch({type: 'action-finished', ok: false, message: (error as Error).message});
				},
			);
		},
	});

	if (!finding) {
		return <NoFindings view={view} />;
	}

	const shown = body.slice(view.scroll, view.scroll + bodyHeight);
	const more = body.length > bodyHeight ? `lines ${view.scroll + 1}–${view.scroll + shown.length} of ${body.length}${view.scroll + bodyHeight < body.length ? ', ↓ for more' : ''}` : '';
	const likelihood =
		view.origin === 'tree' && finding.factEvidence.length === 0 ? 'from your answers' : `${confidenceLabel(finding.confidence)} (${finding.confidence.toFixed(2)})`;
	const source = view.lines === undefined ? view.source : `${view.source}, ${view.lines.toLocaleString('en-US')} lines`;
	const noun = {log: 'Finding', tree: 'Cause', check: 'Problem'}[view.origin];
	const position = `${noun} ${view.index + 1} of ${view.findings.length} · ${likelihood} · ${source}`;
	const status = view.busy ? 'Working…' : more;
	const hints: Array<[string, string]> = view.confirmingApply
		? [['y', commandWords ? 'run it' : `apply to ${plan?.files.join(', ') ?? 'the project'}`], ['n', 'cancel']]
		: [
				['↑↓', 'scroll'],
				...(plan && deps.applyPatch ? [['a', 'apply'] as [string, string]] : []),
				...(commandWords ? [['a', 'run the command'] as [string, string]] : []),
				...(plan && deps.savePatch ? [['s', 'save patch'] as [string, string]] : []),
				...(view.build && view.applied && onRebuild ? [['r', 'rebuild'] as [string, string]] : []),
				...(view.findings.length > 1 ? [['n', 'next'] as [string, string]] : []),
				...(fixes.length > 1 ? [['f', 'other fix'] as [string, string]] : []),
				['Esc', 'back'],
				['q', 'quit'],
			];
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end" {...theme.tone('dim')}>
				{truncate(position, width)}
			</Text>
			<Text bold wrap="truncate-end" {...theme.tone('id')}>
				{truncate(finding.diagnosis.id, width)}
			</Text>
			<Text bold wrap="truncate-end">
				{truncate(finding.diagnosis.title.replaceAll('`', ''), width)}
			</Text>
			<Box flexDirection="column" height={bodyHeight}>
				<Lines lines={shown} />
			</Box>
			{view.confirmingApply ? (
				<Text bold wrap="truncate-end" {...theme.tone('warn')}>
					{truncate(commandWords ? `Run \`${commandWords}\` in the project? (y/n)` : `Apply this patch to ${plan?.files.join(', ') ?? 'your project'}? (y/n)`, width)}
				</Text>
			) : view.message ? (
				<Lines lines={statusLines.map(text => ({text, tone: view.message?.ok ? 'good' : 'bad'}))} />
			) : (
				<Text wrap="truncate-end" {...theme.tone('dim')}>
					{truncate(status || ' ', width)}
				</Text>
			)}
			<KeyHints hints={hints} />
		</Box>
	);
}
