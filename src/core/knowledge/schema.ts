import {z} from 'zod';
import {checkAreas} from '../facts/checks.js';

// The shape of a knowledge entry (knowledge/diagnoses/<id>/diagnosis.yaml) and of the
// conditions it states over probe facts. This file is the single source of truth for
// both the TypeScript types and the load-time validation.

const kebabId = z
	.string()
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case, like "libpython-not-found-at-link"');

/** A dotted path into the facts object, e.g. `python.selected.sharedLibpython`. */
const factPath = z.string().regex(/^[A-Za-z][\w]*(?:\.[A-Za-z_][\w]*)*$/, 'must be a dotted fact path');

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export type Condition =
	| {all: Condition[]}
	| {any: Condition[]}
	| {not: Condition}
	| FactTest;

export type FactTest = {
	fact: string;
	equals?: string | number | boolean | null;
	in?: Array<string | number | boolean | null>;
	includes?: string | number | boolean;
	exists?: boolean;
	matches?: string;
	versionAtLeast?: string;
	versionBelow?: string;
};

const factTest = z
	.object({
		fact: factPath,
		equals: scalar.optional(),
		in: z.array(scalar).optional(),
		includes: z.union([z.string(), z.number(), z.boolean()]).optional(),
		exists: z.boolean().optional(),
		matches: z.string().optional(),
		versionAtLeast: z.string().optional(),
		versionBelow: z.string().optional(),
	})
	.strict()
	.refine(
		test => ['equals', 'in', 'includes', 'exists', 'matches', 'versionAtLeast', 'versionBelow'].filter(key => key in test).length === 1,
		'a fact test needs exactly one of equals, in, includes, exists, matches, versionAtLeast, versionBelow',
	);

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
	z.union([
		z.object({all: z.array(conditionSchema).min(1)}).strict(),
		z.object({any: z.array(conditionSchema).min(1)}).strict(),
		z.object({not: conditionSchema}).strict(),
		factTest,
	]),
);

/**
Where a signature's wording comes from, so that every claim can be checked again:
- `source`: a file of the project that prints it, at a release tag, as `owner/repo:path@tag`
  (`PyO3/pyo3:pyo3-build-config/src/impl_.rs@v0.30.1`);
- `log`: a real log beside the entry that shows it (`examples/match/gnu-ld-binary.log`);
- `thread`: the public report that log was taken from.
A source alone is not enough: the suite also needs a log the signature matches.
*/
export const provenanceSchema = z
	.object({
		source: z
			.string()
			.regex(/^[\w.-]+\/[\w.-]+:[^@\s]+@[\w.+-]+$/, 'must be owner/repo:path@tag, like "PyO3/pyo3:pyo3-build-config/src/impl_.rs@v0.30.1"')
			.optional(),
		log: z
			.string()
			.regex(/^examples\/(?:match|no-match)\/[^/]+$/, 'must be a file under the entry\'s examples/match/ or examples/no-match/')
			.optional(),
		thread: z.string().url().optional(),
	})
	.strict()
	.refine(provenance => provenance.source !== undefined || provenance.log !== undefined, 'needs a source (owner/repo:path@tag) or a log (examples/…)');

/**
A pattern over single normalised log lines. `literals` is the cheap prefilter: the pattern
only runs on lines that contain at least one of them (case-sensitive substrings).
*/
export const signatureSchema = z
	.object({
		id: kebabId,
		/** `anchor` signatures alone can raise a finding; `context` ones only add to a finding an anchor raised. */
		role: z.enum(['anchor', 'context']).default('anchor'),
		literals: z.array(z.string().min(3, 'a literal shorter than 3 characters filters nothing')).min(1),
		/** A JavaScript regular expression; named groups become captures. */
		pattern: z.string().min(1),
		flags: z.string().regex(/^[imsu]*$/, 'only i, m, s, u flags are allowed').default(''),
		/** How much this signature alone says for the class, 0..1. */
		weight: z.number().gt(0).max(1),
		/** Short words for the evidence, e.g. "the linker cannot find libpython". */
		means: z.string().optional(),
		/** Where the wording comes from. */
		provenance: provenanceSchema,
	})
	.strict();

/** Patterns whose presence speaks against the class (near misses). */
export const counterSignatureSchema = z
	.object({
		id: kebabId,
		literals: z.array(z.string().min(3)).min(1),
		pattern: z.string().min(1),
		flags: z.string().regex(/^[imsu]*$/).default(''),
		/** Multiplies the confidence by (1 - penalty). */
		penalty: z.number().gt(0).max(1),
		means: z.string().optional(),
	})
	.strict();

export const factRuleSchema = z
	.object({
		when: conditionSchema,
		effect: z.enum(['confirm', 'refute']),
		weight: z.number().gt(0).max(1).default(0.25),
		/** What the fact shows, in words; `{{fact.path}}` is replaced by the fact's value. */
		says: z.string().min(1),
	})
	.strict();

/** A structured file edit, carried out by the patch engine (src/core/patch). */
export const editSchema = z
	.object({
		kind: kebabId,
		file: z.string().min(1),
	})
	.passthrough();

export const fixSchema = z
	.object({
		id: kebabId,
		title: z.string().min(1),
		/** When the facts say whether this fix fits; absent means it always may. */
		appliesWhen: conditionSchema.optional(),
		steps: z.array(z.string().min(1)).min(1),
		commands: z.array(z.string().min(1)).default([]),
		edits: z.array(editSchema).default([]),
		/**
		A command fix: commands `fix --apply` runs in the project (after consent), each an argv
		whose words may name facts as `{{python.selected.executable}}`.
		*/
		run: z.array(z.array(z.string().min(1)).min(1)).default([]),
	})
	.strict();

export const diagnosisSchema = z
	.object({
		id: kebabId,
		title: z.string().min(1),
		summary: z.string().min(1),
		domain: z.enum(['link', 'runtime', 'interpreter', 'version', 'cargo', 'toolchain', 'import', 'wheel', 'nix']),
		/** Lower ranks first when two findings are equally confident. */
		priority: z.number().int().min(0).max(1000).default(500),
		explanation: z.string().min(1),
		signatures: z.array(signatureSchema).min(1),
		counterSignatures: z.array(counterSignatureSchema).default([]),
		/** Classes this one can cause: when both are found, this one ranks first and the other is shown under it. */
		leadsTo: z.array(kebabId).default([]),
		facts: z.array(factRuleSchema).default([]),
		/** Conditions the facts alone can prove, before any build runs (`pyo3-doctor check`). */
		provenBy: z
			.object({
				when: conditionSchema,
				confidence: z.number().gt(0).max(1),
				says: z.string().min(1),
				/** The report area the problem is shown under; default: that of the first fact `when` reads. */
				area: z.enum(checkAreas).optional(),
			})
			.strict()
			.optional(),
		fixes: z.array(fixSchema).min(1),
		references: z.array(z.string().url()).min(1),
		/** The releases this entry's claims were last read against, e.g. `pyo3@v0.30.1`, `maturin@v1.16.0`. */
		checkedAgainst: z
			.array(z.string().regex(/^[\w.-]+@v?\d[\w.+-]*$/, 'must be name@version, like "pyo3@v0.30.1" or "nixpkgs@25.05"'))
			.min(1)
			.optional(),
	})
	.strict()
	.superRefine((entry, ctx) => {
		if (!entry.signatures.some(signature => signature.role === 'anchor')) {
			ctx.addIssue({code: 'custom', path: ['signatures'], message: 'needs at least one signature with role "anchor"'});
		}

		const ids = [...entry.signatures, ...entry.counterSignatures].map(signature => signature.id);
		const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
		if (duplicate) {
			ctx.addIssue({code: 'custom', path: ['signatures'], message: `signature id "${duplicate}" is used twice`});
		}
	});

export type Provenance = z.infer<typeof provenanceSchema>;
export type Signature = z.infer<typeof signatureSchema>;
export type CounterSignature = z.infer<typeof counterSignatureSchema>;
export type FactRule = z.infer<typeof factRuleSchema>;
export type Fix = z.infer<typeof fixSchema>;
export type Edit = z.infer<typeof editSchema>;
export type Diagnosis = z.infer<typeof diagnosisSchema>;

/** An example log that ships beside an entry. */
export type Example = {file: string; text: string; expect: 'match' | 'no-match'};

/** A validated entry with its regular expressions compiled. */
export type LoadedDiagnosis = Diagnosis & {
	dir: string;
	compiled: {
		/** `closeness`: fitted share of labelled logs with this line that were this class (fitted.json). */
		signatures: Array<Signature & {regex: RegExp; closeness?: number}>;
		counterSignatures: Array<CounterSignature & {regex: RegExp}>;
	};
};
