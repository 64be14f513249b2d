import {Text} from 'ink';
import {truncate} from '../state/layout.js';
import {useWizard} from '../context.js';

/** The bottom line: the keys this screen understands. */
export function KeyHints({hints}: {readonly hints: ReadonlyArray<readonly [string, string]>}) {
	const {theme, size} = useWizard();
	const text = hints.map(([key, meaning]) => `${key} ${meaning}`).join('  ');
	return (
		<Text wrap="truncate-end" {...theme.tone('dim')}>
			{truncate(text, size.columns - 1)}
		</Text>
	);
}
