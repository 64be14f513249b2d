import type {Facts} from '../core/knowledge/conditions.js';
import type {Fix, LoadedDiagnosis} from '../core/knowledge/schema.js';
import type {Finding} from '../core/match/rank.js';
import type {DecisionTree} from '../core/trees/schema.js';

/** One live line of the environment probes. */
export type ProbeEvent = {area: string; label: string; status: 'running' | 'ok' | 'warn' | 'error'; found?: string; hint?: string};

/** One finished check of the environment report. */
export type ProbeCheck = {area: string; status: 'ok' | 'warn' | 'error'; found: string; hint?: string};

export type ProbeResult = {facts: Facts; checks: ProbeCheck[]};

/** What the patch engine can do for one fix in this project. */
export type PatchPlan = {status: 'patch'; files: string[]; diff: string} | {status: 'already-applied'} | {status: 'manual'; reason: string};

/** What "Set up a new project" asks; the entry point picks the Python and the package name. */
export type ProjectAnswers = {kind: 'extension' | 'embedding' | 'both'; nix: boolean; directory: string};

/** The result of writing something for the user: said in one sentence either way. */
export type ActionOutcome = {ok: boolean; message: string; backups?: string[]};

/**
Everything the wizard reads or changes outside itself, handed in by the entry point (real
implementations) or by tests (fakes). An absent optional member hides what depends on it.
*/
/** The knowledge base and the decision trees. */
export type KnowledgeData = {knowledge: readonly LoadedDiagnosis[]; trees: readonly DecisionTree[]};

export type WizardDeps = {
	/** Loads the knowledge base and the trees; called once, while the first screen is already up. */
	loadKnowledge: () => Promise<KnowledgeData>;
	/** Colour on or off, decided once from NO_COLOR / FORCE_COLOR and the terminal. */
	colour: boolean;
	/** Runs the environment probes, reporting each line as it changes. */
	collectFacts?: (onEvent: (event: ProbeEvent) => void) => Promise<ProbeResult>;
	/** A log piped in before the wizard took the keyboard; it is diagnosed first. */
	pipedLog?: {text: string; source: string};
	/** Told when the user leaves with Ctrl-C, so the process can exit as interrupted (130). */
	onInterrupt?: () => void;
	/** Reads a whole log file; rejects with a message for the user. */
	readLogFile: (path: string) => Promise<string>;
	/** Says whether a path names a readable file (for "type a file path"). */
	isFile: (path: string) => boolean;
	/** Plans the patch of one fix for the user's project. */
	planFix?: (options: {entry: LoadedDiagnosis; fix: Fix; facts: Facts}) => Promise<PatchPlan>;
	/** Writes a planned patch into the project; called only after the user confirmed. Says where the backups are. */
	applyPatch?: (plan: Extract<PatchPlan, {status: 'patch'}>) => Promise<ActionOutcome>;
	/** Runs a command fix's commands in the project, one after the other, reporting their output as it comes; called only after the user confirmed. */
	runFixCommands?: (argvs: string[][], onOutput: (text: string) => void) => Promise<ActionOutcome>;
	/** Saves a patch as a file the user can review and `git apply`. */
	savePatch?: (options: {diagnosisId: string; fixId: string; diff: string}) => Promise<ActionOutcome>;
	/** Saves the environment report as Markdown (`check --format markdown`, secrets removed); says where. */
	saveReport?: (report: {facts: Facts; checks: ProbeCheck[]; findings: Finding[]}) => Promise<ActionOutcome>;
	/** Runs the user's build command, reporting its output as it comes, and returns all of it to diagnose. */
	runBuild?: (command: string, onOutput: (text: string) => void) => Promise<{text: string; exitCode: number}>;
	/** Turns the terminal's bracketed paste on or off, so a paste can be told from typed keys. */
	setBracketedPaste?: (on: boolean) => void;
	/** Writes a new project from the answers; returns what was done, in words. */
	setUpProject?: (answers: ProjectAnswers) => Promise<ActionOutcome>;
};
