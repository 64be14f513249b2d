import {Box, Text} from 'ink';
import {KeyHints} from '../components/KeyHints.js';
import {Spinner} from '../components/Spinner.js';
import {useWizard} from '../context.js';
import {useNavigationKeys} from '../hooks/use-navigation-keys.js';
import type {ProbeLine, ProbeState} from '../state/app.js';
import {truncate} from '../state/layout.js';
import {statusMark, statusTone} from '../theme.js';

/** One finished probe: its mark, what it found, and a hint when something is wrong. */
export function FinishedLine({line}: {readonly line: ProbeLine}) {
	const {theme, size} = useWizard();
	const status = line.status === 'running' ? 'ok' : line.status;
	return (
		<Box flexDirection="column">
			<Text wrap="truncate-end">
				<Text {...theme.tone(statusTone[status])}>{statusMark[status]}</Text>
				{truncate(` ${line.label}${line.found ? `: ${line.found}` : ''}`, size.columns - 3)}
			</Text>
			{line.hint && line.status !== 'ok' ? (
				<Text wrap="truncate-end" {...theme.tone('dim')}>
					{truncate(`  → ${line.hint}`, size.columns - 1)}
				</Text>
			) : null}
		</Box>
	);
}

/**
The first screen: one line per probe, a spinner while it runs, then ✓ / ! / ✗ and what it found
(a line may still be refined). When all are done, <App>'s <Static> prints them once, for good.
*/
export function ProbingScreen({probes, onSkip, onQuit}: {readonly probes: ProbeState; readonly onSkip: () => void; readonly onQuit: () => void}) {
	const {size} = useWizard();
	useNavigationKeys({onBack: onSkip, onQuit, enterGoesBack: true});
	const visible = probes.lines.slice(0, Math.max(size.rows - 4, 1));
	return (
		<Box flexDirection="column">
			<Text bold>Looking at your environment…</Text>
			{visible.map(line =>
				line.status === 'running' ? (
					<Text key={line.key} wrap="truncate-end">
						<Spinner /> {truncate(line.label, size.columns - 3)}
					</Text>
				) : (
					<FinishedLine key={line.key} line={line} />
				),
			)}
			{probes.lines.length > visible.length ? <Text>  … and {probes.lines.length - visible.length} more</Text> : null}
			<KeyHints hints={[['Enter', 'skip to the menu'], ['q', 'quit']]} />
		</Box>
	);
}
