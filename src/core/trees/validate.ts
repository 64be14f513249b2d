import type {z} from 'zod';
import type {KnowledgeProblem} from '../knowledge/validate-entry.js';
import {treeSchema, type DecisionTree} from './schema.js';

export type TreeResult = {ok: true; tree: DecisionTree} | {ok: false; problems: KnowledgeProblem[]};

function fieldName(path: ReadonlyArray<PropertyKey>): string {
	return path.map(part => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replaceAll('.[', '[') || '(top level)';
}

/** Node ids reachable from the start, in the order a walk first meets them. */
export function reachableNodes(tree: DecisionTree): string[] {
	const seen: string[] = [];
	const queue = [tree.start];
	while (queue.length > 0) {
		const id = queue.shift()!;
		if (seen.includes(id) || !tree.nodes[id]) {
			continue;
		}

		seen.push(id);
		for (const option of tree.nodes[id].options) {
			if (option.next) {
				queue.push(option.next);
			}
		}
	}

	return seen;
}

// Finds a node that can lead back to itself; a cycle would make "back" and auto-answers loop.
function findCycle(tree: DecisionTree): string | undefined {
	const state = new Map<string, 'open' | 'done'>();
	const visit = (id: string): string | undefined => {
		if (state.get(id) === 'open') {
			return id;
		}

		if (state.get(id) === 'done' || !tree.nodes[id]) {
			return undefined;
		}

		state.set(id, 'open');
		for (const option of tree.nodes[id].options) {
			const found = option.next ? visit(option.next) : undefined;
			if (found) {
				return found;
			}
		}

		state.set(id, 'done');
		return undefined;
	};

	for (const id of Object.keys(tree.nodes)) {
		const found = visit(id);
		if (found) {
			return found;
		}
	}

	return undefined;
}

/**
Validates one parsed tree: the schema, then the structure (the start and every `next` exist,
every node is reachable, no cycles). `expectedId` is the file's base name.
*/
export function validateTree(raw: unknown, file: string, expectedId: string): TreeResult {
	const parsed = treeSchema.safeParse(raw);
	if (!parsed.success) {
		return {
			ok: false,
			problems: parsed.error.issues.map((issue: z.core.$ZodIssue) => ({file, field: fieldName(issue.path), message: issue.message})),
		};
	}

	const tree = parsed.data;
	const problems: KnowledgeProblem[] = [];
	if (tree.id !== expectedId) {
		problems.push({file, field: 'id', message: `is "${tree.id}" but the file is "${expectedId}.yaml"; they must be equal`});
	}

	if (!tree.nodes[tree.start]) {
		problems.push({file, field: 'start', message: `names "${tree.start}", which is not a node`});
	}

	for (const [nodeId, node] of Object.entries(tree.nodes)) {
		for (const [index, option] of node.options.entries()) {
			if (option.next && !tree.nodes[option.next]) {
				problems.push({file, field: `nodes.${nodeId}.options[${index}].next`, message: `names "${option.next}", which is not a node`});
			}
		}
	}

	const reachable = new Set(reachableNodes(tree));
	for (const nodeId of Object.keys(tree.nodes)) {
		if (!reachable.has(nodeId)) {
			problems.push({file, field: `nodes.${nodeId}`, message: `cannot be reached from "${tree.start}"; link it from an option or remove it`});
		}
	}

	const cycle = findCycle(tree);
	if (cycle) {
		problems.push({file, field: `nodes.${cycle}`, message: 'can lead back to itself; a tree must not loop'});
	}

	return problems.length > 0 ? {ok: false, problems} : {ok: true, tree};
}

/** Every diagnosis id the tree's answers point to. */
export function leafDiagnosisIds(tree: DecisionTree): string[] {
	const ids = new Set<string>();
	for (const node of Object.values(tree.nodes)) {
		for (const option of node.options) {
			for (const id of option.diagnoses ?? []) {
				ids.add(id);
			}
		}
	}

	return [...ids].sort();
}
