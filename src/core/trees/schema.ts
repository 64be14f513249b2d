import {z} from 'zod';
import {conditionSchema} from '../knowledge/schema.js';

// The shape of a decision tree (knowledge/trees/<id>.yaml): questions whose options lead to
// another question or to diagnosis ids. Validated when the wizard loads the trees.

const kebabId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case, like "link-error"');

export const treeOptionSchema = z
	.object({
		label: z.string().min(1),
		/** The next question's node id. */
		next: kebabId.optional(),
		/** The diagnoses this answer points to, most likely first. */
		diagnoses: z.array(kebabId).min(1).optional(),
		/** When the probe facts prove this answer, the question is answered without asking. */
		when: conditionSchema.optional(),
		/** What the facts showed, shown as "Answered from your environment: …"; may use `{{fact.path}}`. */
		says: z.string().min(1).optional(),
	})
	.strict()
	.refine(option => (option.next === undefined) !== (option.diagnoses === undefined), 'needs exactly one of next or diagnoses')
	.refine(option => (option.when === undefined) === (option.says === undefined), 'when and says go together');

export const treeNodeSchema = z
	.object({
		question: z.string().min(1),
		/** A line of help under the question. */
		help: z.string().min(1).optional(),
		options: z.array(treeOptionSchema).min(2),
	})
	.strict();

export const treeSchema = z
	.object({
		id: kebabId,
		title: z.string().min(1),
		/** One sentence: who this tree is for. */
		description: z.string().min(1),
		start: kebabId,
		nodes: z.record(kebabId, treeNodeSchema),
	})
	.strict();

export type TreeOption = z.infer<typeof treeOptionSchema>;
export type TreeNode = z.infer<typeof treeNodeSchema>;
export type DecisionTree = z.infer<typeof treeSchema>;
