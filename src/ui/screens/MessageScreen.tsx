import {Box, Text, useInput} from 'ink';
import {KeyHints} from '../components/KeyHints.js';
import {useWizard} from '../context.js';

/** A result in a few sentences (set-up, a failed read), then back. */
export function MessageScreen({title, text, ok, onBack}: {readonly title: string; readonly text: string; readonly ok: boolean; readonly onBack: () => void}) {
	const {theme} = useWizard();
	useInput((input, key) => {
		if (key.escape || key.return || key.leftArrow || input === 'b' || input === 'q') {
			onBack();
		}
	});
	return (
		<Box flexDirection="column">
			<Text bold {...theme.tone(ok ? 'good' : 'bad')}>
				{title}
			</Text>
			<Text wrap="wrap">{text}</Text>
			<Text> </Text>
			<KeyHints hints={[['Enter', 'back to the menu']]} />
		</Box>
	);
}
