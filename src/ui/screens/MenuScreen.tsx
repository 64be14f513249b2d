import {Box, Text} from 'ink';
import {beforeBuildSummary} from '../../core/facts/before-build.js';
import type {Finding} from '../../core/match/rank.js';
import {KeyHints} from '../components/KeyHints.js';
import {SelectList, type ListItem} from '../components/SelectList.js';
import {useWizard} from '../context.js';
import {useNavigationKeys} from '../hooks/use-navigation-keys.js';
import type {ProbeState} from '../state/app.js';

export type MenuChoice = 'proven' | 'paste' | 'run' | 'questions' | 'set-up' | 'report' | 'quit';

/**
The menu's items: first the problems proven before any build, when there are any; run and set-up
appear only when the entry point provides them.
*/
export function menuItems(options: {canRun: boolean; canSetUp: boolean; proven?: number}): Array<ListItem<MenuChoice>> {
	const proven = options.proven ?? 0;
	const items: Array<ListItem<MenuChoice> | false> = [
		proven > 0 && {key: 'proven', label: proven === 1 ? 'See the problem found before the build' : `See the ${proven} problems found before the build`, value: 'proven'},
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

	const summary = beforeBuildSummary(probes);
	return `Environment: ${summary}.`;
}

/** "1 problem found before any build: `id` — what it breaks (Enter to see it and its fix)". */
export function provenHeadline(findings: readonly Finding[]): string {
	if (findings.length === 1) {
		const [finding] = findings;
		return `1 problem found before any build: \`${finding!.diagnosis.id}\` — ${finding!.summary.trim()} (Enter to see it and its fix)`;
	}

	const ids = findings.map(finding => `\`${finding.diagnosis.id}\``).join(', ');
	return `${findings.length} problems found before any build: ${ids} (Enter to see them and their fixes)`;
}

export function MenuScreen({probes, lastChoice, onChoose}: {readonly probes: ProbeState; readonly lastChoice?: MenuChoice; readonly onChoose: (choice: MenuChoice) => void}) {
	const {deps, theme} = useWizard();
	useNavigationKeys({
		onQuit() {
			onChoose('quit');
		},
	});
	const items = menuItems({canRun: Boolean(deps.runBuild), canSetUp: Boolean(deps.setUpProject), proven: probes.findings.length});
	const summary = environmentSummary(probes);
	const tone = probes.checks.some(check => check.status === 'error') ? 'bad' : probes.checks.some(check => check.status === 'warn') ? 'warn' : 'dim';
	return (
		<Box flexDirection="column">
			<Text bold>pyo3-doctor: what went wrong?</Text>
			<Text wrap="truncate-end" {...theme.tone(tone)}>
				{summary}
			</Text>
			{probes.findings.length > 0 ? (
				<Text bold wrap="wrap" {...theme.tone('bad')}>
					{provenHeadline(probes.findings)}
				</Text>
			) : null}
			<Text> </Text>
			{/* Keyed by the item count: the list starts over, on its first item, when proven problems arrive late. */}
			<SelectList key={items.length} items={items} initialIndex={Math.max(items.findIndex(item => item.value === lastChoice), 0)} onSelect={onChoose} />
			<Text> </Text>
			<KeyHints hints={[['↑↓', 'choose'], ['Enter', 'open'], ['q', 'quit']]} />
		</Box>
	);
}
