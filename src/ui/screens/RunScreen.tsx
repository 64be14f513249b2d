import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {KeyHints} from '../components/KeyHints.js';
import {Spinner} from '../components/Spinner.js';
import {useWizard} from '../context.js';
import {useLineInput} from '../hooks/use-line-input.js';
import type {BuildRun} from '../state/app.js';
import {displayText, truncate} from '../state/layout.js';

/**
Asks for the build command, runs it through the injected runner, then hands its output on.
With `rerun` (after a fix), the same command runs again at once.
*/
export function RunScreen({
	rerun,
	onBack,
	onLog,
}: {
	readonly rerun?: {command: string};
	readonly onBack: () => void;
	readonly onLog: (source: string, text: string, build: BuildRun) => void;
}) {
	const {deps, theme, size} = useWizard();
	const [running, setRunning] = useState(false);
	const [error, setError] = useState<string | undefined>();
	const [tail, setTail] = useState<string[]>([]);
	const start = (command: string) => {
		if (!deps.runBuild) {
			return;
		}

		setRunning(true);
		deps.runBuild(command, text => {
			setTail(current => [...current, ...text.split('\n').filter(line => line.trim() !== '')].slice(-Math.max(size.rows - 6, 1)));
		}).then(
			result => {
				onLog(`${command} (exit code ${result.exitCode})`, result.text, {command, exitCode: result.exitCode});
			},
			(failure: unknown) => {
				setRunning(false);
				setError((failure as Error).message);
			},
		);
	};

	const command = useLineInput({
		initial: rerun?.command ?? 'cargo build',
		isActive: !running,
		onCancel: onBack,
		onSubmit: start,
	});
	useEffect(() => {
		if (rerun) {
			start(rerun.command);
		}
	}, []);
	return (
		<Box flexDirection="column">
			<Text bold>{rerun ? 'Building again after the fix:' : 'Which command builds your project?'}</Text>
			<Text wrap="truncate-end">
				{'> '}
				{truncate(command, size.columns - 4)}
				{running ? '' : '▏'}
			</Text>
			{running ? (
				<>
					<Text>
						<Spinner /> Running {truncate(command, size.columns - 12)}…
					</Text>
					{tail.map((line, index) => (
						// eslint-disable-next-line react/no-array-index-key
						<Text key={index} wrap="truncate-end" {...theme.tone('dim')}>
							{truncate(displayText(line), size.columns - 1)}
						</Text>
					))}
				</>
			) : (
				<Text {...theme.tone('bad')}>{error ?? ' '}</Text>
			)}
			<KeyHints hints={running ? [['Ctrl-C', 'quit']] : [['Enter', 'run and diagnose'], ['Esc', 'back']]} />
		</Box>
	);
}
