import {Box, Text} from 'ink';
import {useState} from 'react';
import type {DecisionTree} from '../../core/trees/schema.js';
import {KeyHints} from '../components/KeyHints.js';
import {SelectList} from '../components/SelectList.js';
import {useWizard} from '../context.js';
import {useNavigationKeys} from '../hooks/use-navigation-keys.js';

/** Picks a decision tree: what the user is trying to do. */
export function TreeListScreen({onChoose, onBack}: {readonly onChoose: (tree: DecisionTree) => void; readonly onBack: () => void}) {
	const {trees, theme} = useWizard();
	const [highlighted, setHighlighted] = useState(trees[0]);
	useNavigationKeys({onBack});
	if (trees.length === 0) {
		return (
			<Box flexDirection="column">
				<Text>No question trees could be loaded.</Text>
				<KeyHints hints={[['Esc', 'back']]} />
			</Box>
		);
	}

	return (
		<Box flexDirection="column">
			<Text bold>What are you trying to do?</Text>
			<Text> </Text>
			<SelectList
				items={trees.map(tree => ({key: tree.id, label: tree.title, value: tree}))}
				onSelect={onChoose}
				onHighlight={setHighlighted}
			/>
			<Text> </Text>
			<Text wrap="wrap" {...theme.tone('dim')}>
				{highlighted?.description ?? ' '}
			</Text>
			<KeyHints hints={[['↑↓', 'choose'], ['Enter', 'start'], ['Esc', 'back']]} />
		</Box>
	);
}
