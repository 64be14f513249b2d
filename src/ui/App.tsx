import {Box, Static, useApp, useStdin} from 'ink';
import {useEffect, useMemo, useReducer, useRef, useState} from 'react';
import {proveBeforeBuild} from '../core/facts/before-build.js';
import {readFact} from '../core/knowledge/conditions.js';
import {startWalk} from '../core/trees/walk.js';
import {WizardContext, type TerminalSize} from './context.js';
import type {KnowledgeData, ProbeResult, WizardDeps} from './deps.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {DiagnosingScreen} from './screens/DiagnosingScreen.js';
import {FindingsScreen} from './screens/FindingsScreen.js';
import {MenuScreen, type MenuChoice} from './screens/MenuScreen.js';
import {MessageScreen} from './screens/MessageScreen.js';
import {PasteScreen} from './screens/PasteScreen.js';
import {FinishedLine, ProbingScreen} from './screens/ProbingScreen.js';
import {ReportScreen} from './screens/ReportScreen.js';
import {RunScreen} from './screens/RunScreen.js';
import {SetUpScreen} from './screens/SetUpScreen.js';
import {TreeListScreen} from './screens/TreeListScreen.js';
import {TreeScreen} from './screens/TreeScreen.js';
import {appReducer, currentScreen, initialState, type BuildRun} from './state/app.js';
import {findingsForIds} from './state/diagnose-text.js';
import {makeTheme} from './theme.js';

export type AppProps = {
	readonly deps: WizardDeps;
	/** A fixed terminal size (tests); otherwise the real one, following resizes. */
	readonly size?: TerminalSize;
};

/** The wizard: probes, then the menu and its screens, over one reducer. */
export function App({deps, size: fixedSize}: AppProps) {
	const {exit} = useApp();
	const size = useTerminalSize(fixedSize);
	const [state, dispatch] = useReducer(appReducer, {probesAvailable: Boolean(deps.collectFacts)}, initialState);
	const [loaded, setLoaded] = useState<KnowledgeData & {error?: string}>();
	const [skipRequested, setSkipRequested] = useState(false);
	const [probed, setProbed] = useState<ProbeResult>();
	const context = useMemo(() => ({deps, theme: makeTheme(deps.colour), size, knowledge: loaded?.knowledge ?? [], trees: loaded?.trees ?? []}), [deps, size, loaded]);
	const pipedLogShown = useRef(false);
	// Back at the menu, the item last opened is highlighted again.
	const lastChoice = useRef<MenuChoice | undefined>(undefined);
	const screen = currentScreen(state);
	const {facts} = state.probes;

	useEffect(() => {
		deps.loadKnowledge().then(setLoaded, (error: unknown) => {
			setLoaded({knowledge: [], trees: [], error: (error as Error).message});
		});
	}, [deps]);

	useEffect(() => {
		if (!deps.collectFacts) {
			return;
		}

		deps
			.collectFacts(event => {
				dispatch({type: 'probe-event', event});
			})
			.then(
				result => {
					setProbed(result);
				},
				(error: unknown) => {
					dispatch({type: 'probes-failed', message: (error as Error).message});
				},
			);
	}, [deps]);

	// The probes' facts go through the same proof step as `pyo3-doctor check` once the knowledge
	// base is there: the area lines are printed for good only then, marked by what is proven.
	useEffect(() => {
		if (!probed || !loaded) {
			return;
		}

		const proven = proveBeforeBuild(loaded.knowledge, probed.facts, probed.checks);
		dispatch({type: 'probes-finished', result: {facts: probed.facts, ...proven}});
	}, [probed, loaded]);

	const leaveProbing = () => {
		dispatch({type: 'replace', screen: {kind: 'menu'}});
		if (loaded?.error) {
			dispatch({type: 'open', screen: {kind: 'message', title: 'The knowledge base could not be loaded', text: `${loaded.error} Reinstall pyo3-doctor.`, ok: false}});
			return;
		}

		if (deps.pipedLog && !pipedLogShown.current) {
			pipedLogShown.current = true;
			dispatch({type: 'open', screen: {kind: 'diagnosing', source: deps.pipedLog.source, text: deps.pipedLog.text}});
		}
	};

	// The menu waits for the probes (or Enter) and for the knowledge base.
	useEffect(() => {
		if (screen.kind === 'probing' && (state.probes.done || skipRequested) && loaded) {
			leaveProbing();
		}
	}, [screen.kind, state.probes.done, skipRequested, loaded]);

	useEffect(() => {
		if (state.quitting) {
			exit();
		}
	}, [state.quitting]);

	// Ctrl-C leaves from any screen, as an interruption (the entry point turns it into exit 130).
	// It listens to Ink's raw input events, as the paste screen does, so that a paste of
	// thousands of lines goes through no key parsing here.
	const {internal_eventEmitter: inputEvents} = useStdin();
	useEffect(() => {
		const onInput = (input: string) => {
			if (input === '\u0003') {
				deps.onInterrupt?.();
				exit();
			}
		};

		inputEvents.on('input', onInput);
		return () => {
			inputEvents.off('input', onInput);
		};
	}, [inputEvents, deps, exit]);

	const goBack = () => {
		dispatch({type: 'back'});
	};

	const quit = () => {
		dispatch({type: 'quit'});
	};

	const openLog = (source: string, text: string) => {
		dispatch({type: 'log-read', source, text});
	};

	// A build run again after a fix either passes now, or its output is diagnosed like the first one.
	const openBuild = (source: string, text: string, build: BuildRun, note?: string) => {
		if (note !== undefined && build.exitCode === 0) {
			dispatch({type: 'replace', screen: {kind: 'message', title: 'Fixed: the build passes now.', text: `\`${build.command}\` ended with exit code 0. ${note}`, ok: true}});
			return;
		}

		dispatch({type: 'log-read', source, text, build, note});
	};

	const choose = (choice: MenuChoice) => {
		lastChoice.current = choice;
		switch (choice) {
			case 'proven': {
				dispatch({type: 'findings-ready', origin: 'check', source: 'before any build', findings: state.probes.findings});
				break;
			}

			case 'paste': {
				dispatch({type: 'open', screen: {kind: 'paste'}});
				break;
			}

			case 'run': {
				dispatch({type: 'open', screen: {kind: 'run'}});
				break;
			}

			case 'questions': {
				dispatch({type: 'open', screen: {kind: 'tree-list'}});
				break;
			}

			case 'set-up': {
				dispatch({type: 'open', screen: {kind: 'set-up'}});
				break;
			}

			case 'report': {
				dispatch({type: 'open', screen: {kind: 'report', scroll: 0}});
				break;
			}

			case 'quit': {
				quit();
				break;
			}
		}
	};

	let body;
	switch (screen.kind) {
		case 'probing': {
			body = <ProbingScreen
					probes={state.probes}
					onSkip={() => {
						setSkipRequested(true);
					}}
					onQuit={quit}
				/>;
			break;
		}

		case 'menu': {
			body = <MenuScreen probes={state.probes} lastChoice={lastChoice.current} onChoose={choose} />;
			break;
		}

		case 'paste': {
			body = <PasteScreen onBack={goBack} onLog={openLog} />;
			break;
		}

		case 'run': {
			body = (
				<RunScreen
					// A new screen, not an update of the old one, when a rebuild replaces it.
					key={screen.rerun ? `rerun-${state.stack.length}-${screen.rerun.note}` : 'run'}
					rerun={screen.rerun}
					onBack={goBack}
					onLog={(source, text, build) => {
						openBuild(source, text, build, screen.rerun?.note);
					}}
				/>
			);
			break;
		}

		case 'diagnosing': {
			body = (
				<DiagnosingScreen
					source={screen.source}
					text={screen.text}
					facts={facts}
					onDone={result => {
						dispatch({type: 'findings-ready', origin: 'log', source: screen.source, lines: result.lines, findings: result.findings, unmatched: result.unmatched, build: screen.build, note: screen.note});
					}}
				/>
			);
			break;
		}

		case 'set-up': {
			body = (
				<SetUpScreen
					nixInstalled={readFact(facts, 'nix.installed') === true}
					onBack={goBack}
					onDone={outcome => {
						dispatch({type: 'replace', screen: {kind: 'message', title: outcome.ok ? 'Project set up' : 'Nothing was set up', text: outcome.message, ok: outcome.ok}});
					}}
				/>
			);
			break;
		}

		case 'tree-list': {
			body = (
				<TreeListScreen
					onBack={goBack}
					onChoose={tree => {
						dispatch({type: 'open', screen: {kind: 'tree', walk: startWalk(tree, facts)}});
					}}
				/>
			);
			break;
		}

		case 'tree': {
			const tree = context.trees.find(candidate => candidate.id === screen.walk.treeId)!;
			body = (
				<TreeScreen
					tree={tree}
					walk={screen.walk}
					onAnswer={optionIndex => {
						dispatch({type: 'tree-answer', tree, optionIndex, facts});
					}}
					onBack={() => {
						dispatch({type: 'tree-back'});
					}}
					onReopenAutomatic={() => {
						dispatch({type: 'tree-reopen-automatic'});
					}}
					onOpenDiagnosis={index => {
						if (screen.walk.position.kind !== 'result') {
							return;
						}

						const ids = screen.walk.position.diagnoses;
						const findings = findingsForIds(context.knowledge, ids, facts);
						dispatch({type: 'findings-ready', origin: 'tree', source: tree.title, findings});
						const chosen = findings.findIndex(finding => finding.diagnosis.id === ids[index]);
						dispatch({type: 'show-finding', index: Math.max(chosen, 0)});
					}}
				/>
			);
			break;
		}

		case 'findings': {
			body = (
				<FindingsScreen
					view={screen.view}
					facts={facts}
					dispatch={dispatch}
					onBack={goBack}
					onQuit={quit}
					onRebuild={(build, backups) => {
						const kept = backups.length > 0 ? `The previous patch is kept; backup at ${backups.join(', ')}.` : 'What the previous fix changed is kept.';
						dispatch({type: 'replace', screen: {kind: 'run', rerun: {command: build.command, note: kept}}});
					}}
				/>
			);
			break;
		}

		case 'report': {
			body = <ReportScreen probes={state.probes} scroll={screen.scroll} message={screen.message} dispatch={dispatch} onBack={goBack} />;
			break;
		}

		case 'message': {
			body = <MessageScreen title={screen.title} text={screen.text} ok={screen.ok} onBack={goBack} />;
			break;
		}
	}

	return (
		<WizardContext.Provider value={context}>
			{/* Mounted for the app's whole life: Ink keeps a reference to it after it unmounts. */}
			<Static items={state.probes.finished}>{line => <FinishedLine key={line.key} line={line} />}</Static>
			<Box flexDirection="column" width={size.columns}>
				{body}
			</Box>
		</WizardContext.Provider>
	);
}
