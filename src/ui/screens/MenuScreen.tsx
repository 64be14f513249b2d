import {Box, Text} from 'ink';
import {KeyHints} from '../components/KeyHints.js';
import {SelectList, type ListItem} from '../components/SelectList.js';
import {useWizard} from '../context.js';
import {useNavigationKeys} from '../hooks/use-navigation-keys.js';
import type {ProbeState} from '../state/app.js';

export type MenuChoice = 'paste' | 'run' | 'questions' | 'set-up' | 'report' | 'quit';

/** The menu's items; run and set-up appear only when the entry point provides them. */
export function menuItems(options: {canRun: boolean; canSetUp: boolean}): Array<ListItem<MenuChoice>> {
	const items: Array<ListItem<MenuChoice> | false> = [
		{key: 'paste', label: 'Paste or load a build error', value: 'paste'},
		options.canRun && {key: 'run', label: 'Run my build command and diagnose it', value: 'run'},
		{key: 'questions', label: 'Answer a few questions', value: 'questions'},
		options.canSetUp && {key: 'set-up', label: 'Set up a new project', value: 'set-up'},
		{key: 'report', label: 'Show the environment report', value: 'report'},
		{key: 'quit', label: 'Quit', value: 'quit'},
	];
	return items.filter(item => item !== false);
}

function environmentSummary(probes: ProbeState): string {
	if (!probes.available) {
		return 'Environment: not examined here.';
	}

	if (probes.error) {
		return `Environment: the probes failed (${probes.error}).`;
	}

	if (!probes.done) {
		return 'Environment: still being examined…';
	}

	const count = (status: string) => probes.checks.filter(check => check.status === status).length;
	const warnings = count('warn');
	const errors = count('error');
	if (warnings === 0 && errors === 0) {
		return `Environment: ${count('ok')} checks passed.`;
	}

	return `Environment: ${count('ok')} ok, ${warnings} warning${warnings === 1 ? '' : 's'}, ${errors} problem${errors === 1 ? '' : 's'} (see the report).`;
}

export function MenuScreen({probes, lastChoice, onChoose}: {readonly probes: ProbeState; readonly lastChoice?: MenuChoice; readonly onChoose: (choice: MenuChoice) => void}) {
	const {deps, theme} = useWizard();
	useNavigationKeys({
		onQuit() {
			onChoose('quit');
		},
	});
	const items = menuItems({canRun: Boolean(deps.runBuild), canSetUp: Boolean(deps.setUpProject)});
	const summary = environmentSummary(probes);
	const tone = probes.checks.some(check => check.status === 'error') ? 'bad' : probes.checks.some(check => check.status === 'warn') ? 'warn' : 'dim';
	return (
		<Box flexDirection="column">
			<Text bold>pyo3-doctor: what went wrong?</Text>
			<Text wrap="truncate-end" {...theme.tone(tone)}>
				{summary}
			</Text>
			<Text> </Text>
			<SelectList items={items} initialIndex={Math.max(items.findIndex(item => item.value === lastChoice), 0)} onSelect={onChoose} />
			<Text> </Text>
			<KeyHints hints={[['↑↓', 'choose'], ['Enter', 'open'], ['q', 'quit']]} />
		</Box>
	);
}
