import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {parse as parseYaml} from 'yaml';
import type {KnowledgeProblem} from '../core/knowledge/validate-entry.js';
import type {DecisionTree} from '../core/trees/schema.js';
import {validateTree} from '../core/trees/validate.js';
import {defaultKnowledgeDir} from './knowledge-dir.js';

export type TreeBase = {trees: DecisionTree[]; problems: KnowledgeProblem[]};

/**
Loads every decision tree under `<dir>/trees/*.yaml`. A broken tree is reported in `problems`
(file and field) and left out; the others still load.
*/
export function loadTrees(dir: string = defaultKnowledgeDir): TreeBase {
	const treesDir = path.join(dir, 'trees');
	const trees: DecisionTree[] = [];
	const problems: KnowledgeProblem[] = [];
	let files: string[];
	try {
		files = readdirSync(treesDir).filter(name => name.endsWith('.yaml')).sort();
	} catch (error) {
		return {trees, problems: [{file: treesDir, field: '(folder)', message: `cannot be read: ${(error as Error).message}`}]};
	}

	for (const name of files) {
		const file = path.join(treesDir, name);
		let raw: unknown;
		try {
			raw = parseYaml(readFileSync(file, 'utf8'), {prettyErrors: true});
		} catch (error) {
			problems.push({file, field: '(file)', message: `is not valid YAML: ${(error as Error).message.split('\n')[0] ?? 'unreadable'}`});
			continue;
		}

		const result = validateTree(raw, file, name.slice(0, -'.yaml'.length));
		if (result.ok) {
			trees.push(result.tree);
		} else {
			problems.push(...result.problems);
		}
	}

	return {trees, problems};
}
