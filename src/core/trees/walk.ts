import {evaluate, fillTemplate, type Facts} from '../knowledge/conditions.js';
import type {DecisionTree, TreeNode} from './schema.js';

/** One answered question: by the user, or by the probe facts. */
export type WalkStep = {nodeId: string; optionIndex: number; auto: boolean; says?: string};

/** Where a walk stands: at a question, or at the diagnoses an answer led to. */
export type WalkPosition = {kind: 'question'; nodeId: string} | {kind: 'result'; diagnoses: string[]};

export type TreeWalk = {treeId: string; steps: WalkStep[]; position: WalkPosition};

/** The option the facts prove for a node (the first whose `when` holds), if any. */
export function autoAnswer(node: TreeNode, facts: Facts): {optionIndex: number; says: string} | undefined {
	for (const [optionIndex, option] of node.options.entries()) {
		if (option.when && option.says && evaluate(option.when, facts) === true) {
			return {optionIndex, says: fillTemplate(option.says, facts)};
		}
	}

	return undefined;
}

// Follows one option, then every question the facts answer, until a question needs the user.
function follow(tree: DecisionTree, walk: TreeWalk, step: WalkStep, facts: Facts): TreeWalk {
	const steps = [...walk.steps, step];
	let option = tree.nodes[step.nodeId]?.options[step.optionIndex];
	while (option?.next) {
		const nodeId = option.next;
		const node = tree.nodes[nodeId]!;
		const auto = autoAnswer(node, facts);
		if (!auto) {
			return {...walk, steps, position: {kind: 'question', nodeId}};
		}

		steps.push({nodeId, optionIndex: auto.optionIndex, auto: true, says: auto.says});
		option = node.options[auto.optionIndex];
	}

	return {...walk, steps, position: {kind: 'result', diagnoses: option?.diagnoses ?? []}};
}

/** Starts a walk at the tree's first question, answering what the facts already tell. */
export function startWalk(tree: DecisionTree, facts: Facts): TreeWalk {
	const start = tree.nodes[tree.start]!;
	const walk: TreeWalk = {treeId: tree.id, steps: [], position: {kind: 'question', nodeId: tree.start}};
	const auto = autoAnswer(start, facts);
	return auto ? follow(tree, walk, {nodeId: tree.start, optionIndex: auto.optionIndex, auto: true, says: auto.says}, facts) : walk;
}

/** Answers the current question with one of its options. */
export function answer(tree: DecisionTree, walk: TreeWalk, optionIndex: number, facts: Facts): TreeWalk {
	if (walk.position.kind !== 'question' || !tree.nodes[walk.position.nodeId]?.options[optionIndex]) {
		return walk;
	}

	return follow(tree, walk, {nodeId: walk.position.nodeId, optionIndex, auto: false}, facts);
}

/**
Reopens the most recent question the facts answered, for a user who knows better: the walk
returns to it, and it is asked. Returns undefined when no answer was automatic.
*/
export function reopenAutomatic(walk: TreeWalk): TreeWalk | undefined {
	const index = walk.steps.findLastIndex(step => step.auto);
	if (index === -1) {
		return undefined;
	}

	return {...walk, steps: walk.steps.slice(0, index), position: {kind: 'question', nodeId: walk.steps[index]!.nodeId}};
}

/**
Undoes the last answer the user gave (with the automatic answers that followed it), or returns
undefined when there is none left: the user leaves the tree.
*/
export function back(walk: TreeWalk): TreeWalk | undefined {
	const steps = [...walk.steps];
	while (steps.length > 0) {
		const step = steps.pop()!;
		if (!step.auto) {
			return {...walk, steps, position: {kind: 'question', nodeId: step.nodeId}};
		}
	}

	return undefined;
}
