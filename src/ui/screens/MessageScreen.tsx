import {Box, Text} from 'ink';
import {KeyHints} from '../components/KeyHints.js';
import {useWizard} from '../context.js';
import {useNavigationKeys} from '../hooks/use-navigation-keys.js';

/** A result in a few sentences (set-up, a failed read), then back. */
export function MessageScreen({title, text, ok, onBack}: {readonly title: string; readonly text: string; readonly ok: boolean; readonly onBack: () => void}) {
	const {theme} = useWizard();
	useNavigationKeys({onBack, enterGoesBack: true});
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
