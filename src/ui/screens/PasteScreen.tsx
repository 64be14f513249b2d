import {Box, Text} from 'ink';
import {useEffect, useRef, useState} from 'react';
import {KeyHints} from '../components/KeyHints.js';
import {Spinner} from '../components/Spinner.js';
import {useWizard} from '../context.js';
import {usePasteInput} from '../hooks/use-paste-input.js';
import {displayText, truncate} from '../state/layout.js';
import {emptyPaste, feedPaste, type PasteState} from '../state/paste.js';

function tail(text: string, count: number): string[] {
	const lines = text.slice(-count * 400).split('\n');
	return lines.slice(-count);
}

/**
Takes a build log by paste (any size, colour included) in raw mode: Ctrl-D ends it, Esc goes
back. A single typed line that names a file loads that file instead.
*/
export function PasteScreen({onBack, onLog}: {readonly onBack: () => void; readonly onLog: (source: string, text: string) => void}) {
	const {deps, theme, size} = useWizard();
	const [paste, setPaste] = useState<PasteState>(emptyPaste);
	const [loading, setLoading] = useState<string | undefined>();
	const pasteRef = useRef(paste);
	pasteRef.current = paste;

	useEffect(() => {
		deps.setBracketedPaste?.(true);
		return () => {
			deps.setBracketedPaste?.(false);
		};
	}, [deps]);

	usePasteInput(
		events => {
			const {state, outcome} = feedPaste(pasteRef.current, events, deps.isFile);
			pasteRef.current = state;
			setPaste(state);
			if (outcome.kind === 'back') {
				onBack();
			} else if (outcome.kind === 'submit') {
				onLog(`pasted text`, outcome.text);
			} else if (outcome.kind === 'load-file') {
				setLoading(outcome.path);
				deps.readLogFile(outcome.path).then(
					text => {
						onLog(outcome.path, text);
					},
					(error: unknown) => {
						setLoading(undefined);
						const next = {...emptyPaste, notice: (error as Error).message};
						pasteRef.current = next;
						setPaste(next);
					},
				);
			}
		},
		{isActive: loading === undefined},
	);

	const previewHeight = Math.max(size.rows - 9, 3);
	const preview = tail(paste.text, previewHeight).map(line => truncate(displayText(line), size.columns - 3));
	const lineCount = paste.text === '' ? 0 : paste.lines + (paste.text.endsWith('\n') ? 0 : 1);
	return (
		<Box flexDirection="column">
			<Text bold>Paste the build output, then press Ctrl-D.</Text>
			<Text wrap="truncate-end">Any length, colours included. Or type the path of a log file and press Enter.</Text>
			<Box flexDirection="column" borderStyle="single" borderDimColor height={previewHeight + 2} paddingX={0}>
				{paste.text === '' ? (
					<Text {...theme.tone('dim')}>(waiting for the paste)</Text>
				) : (
					preview.map((line, index) => (
						// eslint-disable-next-line react/no-array-index-key
						<Text key={index} wrap="truncate-end" {...theme.tone('dim')}>
							{line === '' ? ' ' : line}
						</Text>
					))
				)}
			</Box>
			{loading ? (
				<Text>
					<Spinner /> Reading {truncate(loading, size.columns - 12)}…
				</Text>
			) : (
				<Text {...theme.tone(paste.notice ? 'warn' : undefined)} wrap="truncate-end">
					{paste.notice ?? `${lineCount.toLocaleString('en-US')} line${lineCount === 1 ? '' : 's'} received`}
				</Text>
			)}
			<KeyHints hints={[['Ctrl-D', 'diagnose'], ['Enter', 'load the typed path'], ['Esc', 'back'], ['Ctrl-C', 'quit']]} />
		</Box>
	);
}
