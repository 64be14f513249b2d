import {Box, Text} from 'ink';
import type {StyledLine} from '../state/layout.js';
import {useWizard} from '../context.js';

/** Renders already laid-out lines, one <Text> each, so the height is exactly their count. */
export function Lines({lines}: {readonly lines: readonly StyledLine[]}) {
	const {theme} = useWizard();
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				// Lines are positional: the same index is the same row on screen.
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} bold={line.bold} wrap="truncate-end" {...theme.tone(line.tone)}>
					{line.text === '' ? ' ' : line.text}
				</Text>
			))}
		</Box>
	);
}
