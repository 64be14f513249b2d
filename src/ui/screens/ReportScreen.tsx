import {Box, Text} from 'ink';
import {useState} from 'react';
import {formatCheckText} from '../../core/report/check-report.js';
import {plainStyle} from '../../core/report/style.js';
import {KeyHints} from '../components/KeyHints.js';
import {Lines} from '../components/Lines.js';
import {useWizard} from '../context.js';
import {useNavigationKeys} from '../hooks/use-navigation-keys.js';
import type {Action, ProbeState} from '../state/app.js';
import {wrapLine, wrapStyled, type StyledLine, type Tone} from '../state/layout.js';

const toneByMark: Record<string, Tone> = {'[✓]': 'good', '[!]': 'warn', '[✗]': 'bad'};

/** `pyo3-doctor check`'s whole report: the areas, then the problems proven with their evidence. */
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

	return formatCheckText(probes, plainStyle)
		.split('\n')
		.map(text => {
			const tone = toneByMark[text.slice(0, 3)] ?? (text.startsWith('    → ') ? 'dim' : undefined);
			return tone ? {text, tone} : {text};
		});
}

/** The environment report; scrolls when longer than the terminal; `s` saves it as Markdown. */
export function ReportScreen({
	probes,
	scroll,
	message,
	dispatch,
	onBack,
}: {
	readonly probes: ProbeState;
	readonly scroll: number;
	readonly message?: {ok: boolean; text: string};
	readonly dispatch: (action: Action) => void;
	readonly onBack: () => void;
}) {
	const {deps, size} = useWizard();
	const [saving, setSaving] = useState(false);
	const width = Math.max(size.columns - 1, 20);
	const lines = wrapStyled(reportLines(probes), width);
	const statusLines = message ? wrapLine(message.text, width).slice(0, 2) : [];
	const height = Math.max(size.rows - 4 - Math.max(statusLines.length - 1, 0), 3);
	const canSave = Boolean(deps.saveReport) && probes.done && !probes.error && probes.available;
	const save = () => {
		if (!canSave || saving) {
			return;
		}

		setSaving(true);
		void deps.saveReport!({facts: probes.facts, checks: probes.checks, findings: probes.findings})
			.then(
				outcome => {
					dispatch({type: 'report-saved', ...outcome});
				},
				(error: unknown) => {
					dispatch({type: 'report-saved', ok: false, message: (error as Error).message});
				},
			)
			.finally(() => {
				setSaving(false);
			});
	};

	useNavigationKeys({
		onBack,
		pageSize: height,
		onScroll(by) {
			dispatch({type: 'scroll', by, contentHeight: lines.length, viewHeight: height});
		},
		shortcuts: {s: save},
	});
	const shown = lines.slice(scroll, scroll + height);
	const hints: Array<[string, string]> = [
		...(lines.length > height ? [['↑↓', `scroll (${scroll + 1}–${scroll + shown.length} of ${lines.length})`] as [string, string]] : []),
		...(canSave ? [['s', 'save as Markdown'] as [string, string]] : []),
		['Esc', 'back'],
	];
	return (
		<Box flexDirection="column">
			<Text bold>Environment report</Text>
			<Box flexDirection="column" height={height}>
				<Lines lines={shown} />
			</Box>
			{message ? <Lines lines={statusLines.map(text => ({text, tone: message.ok ? 'good' : 'bad'}))} /> : <Text> </Text>}
			<KeyHints hints={hints} />
		</Box>
	);
}
