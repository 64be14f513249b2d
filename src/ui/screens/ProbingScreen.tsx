import {Box, Text, useInput} from 'ink';
import {KeyHints} from '../components/KeyHints.js';
import {Spinner} from '../components/Spinner.js';
import {useWizard} from '../context.js';
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
The first screen: one line per running probe with a spinner. Finished lines (✓ / ! / ✗ and
what was found) are printed once above it by <App>'s <Static>, like a test runner's output.
*/
export function ProbingScreen({probes, onSkip}: {readonly probes: ProbeState; readonly onSkip: () => void}) {
	const {size} = useWizard();
	useInput((_input, key) => {
		if (key.return) {
			onSkip();
		}
	});
	const running = probes.lines.filter(line => line.status === 'running');
	const visibleRunning = running.slice(0, Math.max(size.rows - 4, 1));
	return (
		<Box flexDirection="column">
			<Text bold>Looking at your environment…</Text>
			{visibleRunning.map(line => (
				<Text key={line.key} wrap="truncate-end">
					<Spinner /> {truncate(line.label, size.columns - 3)}
				</Text>
			))}
			{running.length > visibleRunning.length ? <Text>  … and {running.length - visibleRunning.length} more</Text> : null}
			<KeyHints hints={[['Enter', 'skip to the menu'], ['Ctrl-C', 'quit']]} />
		</Box>
	);
}
