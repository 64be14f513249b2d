import {Box, Text} from 'ink';
import type {DecisionTree} from '../../core/trees/schema.js';
import type {TreeWalk} from '../../core/trees/walk.js';
import {KeyHints} from '../components/KeyHints.js';
import {SelectList} from '../components/SelectList.js';
import {useWizard} from '../context.js';
import {useNavigationKeys} from '../hooks/use-navigation-keys.js';
import {truncate, wrapLine, type StyledLine} from '../state/layout.js';
import {Lines} from '../components/Lines.js';

/** The answers so far: the user's, and those the environment gave ("Answered from your environment"). */
function trailLines(tree: DecisionTree, walk: TreeWalk, width: number): StyledLine[] {
	return walk.steps.flatMap((step): StyledLine[] => {
		const node = tree.nodes[step.nodeId];
		const option = node?.options[step.optionIndex];
		if (step.auto) {
			return wrapLine(`✓ Answered from your environment: ${step.says ?? option?.label ?? ''}`, width).map(text => ({text, tone: 'good' as const}));
		}

		return [{text: truncate(`  ${node?.question ?? ''} ${option?.label ?? ''}`, width), tone: 'dim' as const}];
	});
}

/**
One question of a decision tree, or the diagnoses it led to. Questions the probe facts answer
are skipped and listed as answered from the environment; Esc undoes the last answer.
*/
export function TreeScreen({
	tree,
	walk,
	onAnswer,
	onBack,
	onReopenAutomatic,
	onOpenDiagnosis,
}: {
	readonly tree: DecisionTree;
	readonly walk: TreeWalk;
	readonly onAnswer: (optionIndex: number) => void;
	readonly onBack: () => void;
	readonly onReopenAutomatic: () => void;
	readonly onOpenDiagnosis: (index: number) => void;
}) {
	const {knowledge, size} = useWizard();
	const hasAutomatic = walk.steps.some(step => step.auto);
	useNavigationKeys({onBack, shortcuts: {c: hasAutomatic ? onReopenAutomatic : undefined}});
	const width = size.columns - 1;
	const position = walk.position;
	const node = position.kind === 'question' ? tree.nodes[position.nodeId] : undefined;
	const choices =
		position.kind === 'question'
			? (node?.options ?? []).map((option, index) => ({key: String(index), label: option.label, value: index}))
			: position.diagnoses.map((id, index) => {
					const entry = knowledge.find(candidate => candidate.id === id);
					return {key: id, label: entry ? `${id}: ${entry.title}` : `${id} (not described yet)`, value: index};
				});
	const questionLines: StyledLine[] = node
		? [...wrapLine(node.question, width).map(text => ({text, bold: true})), ...(node.help ? wrapLine(node.help, width).map(text => ({text, tone: 'dim' as const})) : [])]
		: [{text: 'Likely causes, most likely first:', bold: true}];
	// Title, blank, question, blank, choices, blank, hints: the trail gets what is left.
	const listHeight = Math.min(choices.length, Math.max(size.rows - 8 - questionLines.length, 3));
	const trailRoom = Math.max(size.rows - 1 - 5 - questionLines.length - listHeight, 0);
	const trail = trailLines(tree, walk, width);
	const shownTrail = trail.length > trailRoom ? trail.slice(trail.length - trailRoom) : trail;
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{truncate(tree.title, width)}
			</Text>
			<Lines lines={shownTrail} />
			<Text> </Text>
			<Lines lines={questionLines} />
			<SelectList
				key={position.kind === 'question' ? position.nodeId : 'result'}
				items={choices}
				limit={listHeight}
				onSelect={index => {
					if (position.kind === 'question') {
						onAnswer(index);
					} else {
						onOpenDiagnosis(index);
					}
				}}
			/>
			<Text> </Text>
			<KeyHints
				hints={[
					['↑↓', 'choose'],
					['Enter', position.kind === 'question' ? 'answer' : 'show'],
					...(hasAutomatic ? [['c', 'correct an automatic answer'] as [string, string]] : []),
					['Esc', 'back'],
				]}
			/>
		</Box>
	);
}
