import {Box, Text} from 'ink';
import {KeyHints} from '../components/KeyHints.js';
import {Lines} from '../components/Lines.js';
import {useWizard} from '../context.js';
import {useNavigationKeys} from '../hooks/use-navigation-keys.js';
import type {Action, ProbeState} from '../state/app.js';
import {wrapStyled, type StyledLine} from '../state/layout.js';
import {statusMark, statusTone} from '../theme.js';

export function reportLines(probes: ProbeState): StyledLine[] {
	if (!probes.available) {
		return [{text: 'The environment probes are not available here.'}];
	}

	if (probes.error) {
		return [{text: `The probes failed: ${probes.error}`, tone: 'bad'}];
	}

	if (!probes.done) {
		return [{text: 'The probes are still running…', tone: 'dim'}];
	}

	const lines: StyledLine[] = [];
	for (const status of ['error', 'warn', 'ok'] as const) {
		for (const check of probes.checks.filter(candidate => candidate.status === status)) {
			lines.push({text: `${statusMark[status]} ${check.area}: ${check.found}`, tone: statusTone[status]});
			if (check.hint) {
				lines.push({text: `    → ${check.hint}`, tone: 'dim'});
			}
		}
	}

	return lines.length > 0 ? lines : [{text: 'The probes reported nothing.'}];
}

/** Every check of the environment, problems first; scrolls when longer than the terminal. */
export function ReportScreen({probes, scroll, dispatch, onBack}: {readonly probes: ProbeState; readonly scroll: number; readonly dispatch: (action: Action) => void; readonly onBack: () => void}) {
	const {size} = useWizard();
	const lines = wrapStyled(reportLines(probes), Math.max(size.columns - 1, 20));
	const height = Math.max(size.rows - 4, 3);
	useNavigationKeys({
		onBack,
		pageSize: height,
		onScroll(by) {
			dispatch({type: 'scroll', by, contentHeight: lines.length, viewHeight: height});
		},
	});
	const shown = lines.slice(scroll, scroll + height);
	return (
		<Box flexDirection="column">
			<Text bold>Environment report</Text>
			<Box flexDirection="column" height={height}>
				<Lines lines={shown} />
			</Box>
			<Text> </Text>
			<KeyHints hints={[...(lines.length > height ? [['↑↓', `scroll (${scroll + 1}–${scroll + shown.length} of ${lines.length})`] as [string, string]] : []), ['Esc', 'back']]} />
		</Box>
	);
}
