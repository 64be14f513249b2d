import type {Facts} from '../../core/knowledge/conditions.js';
import type {Finding} from '../../core/match/rank.js';
import type {Unmatched} from '../../core/match/near.js';
import type {DecisionTree} from '../../core/trees/schema.js';
import {answer, back as walkBack, reopenAutomatic, type TreeWalk} from '../../core/trees/walk.js';
import type {PatchPlan, ProbeCheck, ProbeEvent, ProbeResult} from '../deps.js';
import type {PatchStatus} from './finding-lines.js';

// The whole wizard as one pure reducer: which screen is on top of the stack, what the probes
// found, and the diagnosis screen's position. Side effects (probes, file reads, patches) are
// carried out by the components, which report their results here as actions.

export type ProbeLine = ProbeEvent & {key: string};

export type ProbeState = {
	/** The latest state of every probe line, in the order they started. */
	lines: ProbeLine[];
	/**
	Lines printed once above the screen when the probes are done (a line can still be refined
	until then). Only ever appended to.
	*/
	finished: ProbeLine[];
	done: boolean;
	facts: Facts;
	/** Each area's line, marked by the problems the facts prove (the same as `pyo3-doctor check`). */
	checks: ProbeCheck[];
	/** The problems the facts prove before any build (`pyo3-doctor check`'s findings). */
	findings: Finding[];
	error?: string;
	/** false when this environment offers no probes at all. */
	available: boolean;
};

/** Where findings came from: a build log, a decision tree, or the facts alone (before any build). */
export type FindingsOrigin = 'log' | 'tree' | 'check';

/** A build the wizard ran: the command, to run again after a fix, and how it ended. */
export type BuildRun = {command: string; exitCode: number};

export type FindingsView = {
	origin: FindingsOrigin;
	/** Where the log came from ("pasted text", a path, "standard input"), the tree's title, or "before any build". */
	source: string;
	lines?: number;
	findings: Finding[];
	/** With no finding in a log: the lines read as the failure and the classes that came closest. */
	unmatched?: Unmatched;
	index: number;
	fixIndex: number;
	scroll: number;
	patch: PatchStatus;
	confirmingApply: boolean;
	busy: boolean;
	message?: {ok: boolean; text: string};
	/** Bumped when files were written, so the patch is planned again against them. */
	revision: number;
	/** The build these findings came from, when the wizard ran it. */
	build?: BuildRun;
	/** Set once a patch was written or a command fix ran here: the build can then be run again (`r`). */
	applied?: {backups: string[]};
	/** Each finding's fix ids in the order every command offers them (orderFixes), by diagnosis id, with the revision they were ranked at. */
	fixOrders: Record<string, {revision: number; fixIds: string[]}>;
};

export type Screen =
	| {kind: 'probing'}
	| {kind: 'menu'}
	| {kind: 'paste'}
	| {kind: 'diagnosing'; source: string; text: string; build?: BuildRun; note?: string}
	/** With `rerun`, the command runs again at once, after a fix; `note` is shown with what it finds. */
	| {kind: 'run'; rerun?: {command: string; note: string}}
	| {kind: 'set-up'}
	| {kind: 'tree-list'}
	| {kind: 'tree'; walk: TreeWalk}
	| {kind: 'findings'; view: FindingsView}
	| {kind: 'report'; scroll: number; message?: {ok: boolean; text: string}}
	| {kind: 'message'; title: string; text: string; ok: boolean};

export type AppState = {stack: Screen[]; probes: ProbeState; quitting: boolean};

export type Action =
	| {type: 'probe-event'; event: ProbeEvent}
	| {type: 'probes-finished'; result: ProbeResult & {findings?: Finding[]}}
	| {type: 'probes-failed'; message: string}
	| {type: 'open'; screen: Screen}
	| {type: 'replace'; screen: Screen}
	| {type: 'back'}
	| {type: 'quit'}
	| {type: 'log-read'; source: string; text: string; build?: BuildRun; note?: string}
	| {type: 'findings-ready'; source: string; lines?: number; findings: Finding[]; unmatched?: Unmatched; origin: FindingsOrigin; build?: BuildRun; note?: string}
	| {type: 'report-saved'; ok: boolean; message: string}
	| {type: 'tree-answer'; tree: DecisionTree; optionIndex: number; facts: Facts}
	| {type: 'tree-back'}
	| {type: 'tree-reopen-automatic'}
	| {type: 'scroll'; by: number; contentHeight: number; viewHeight: number}
	| {type: 'next-finding'}
	| {type: 'show-finding'; index: number}
	| {type: 'next-fix'; fixCount: number}
	| {type: 'fixes-ordered'; diagnosisId: string; revision: number; fixIds: string[]}
	| {type: 'patch-loading'}
	| {type: 'patch-ready'; key: string; plan: PatchPlan}
	| {type: 'patch-failed'; key: string; message: string}
	/** `command`: the fix is a command that can run here, so there is something to confirm without a patch. */
	| {type: 'ask-apply'; command?: boolean}
	/** A line of a running command fix's output, shown as it comes. */
	| {type: 'action-output'; text: string}
	| {type: 'cancel-apply'}
	| {type: 'action-started'}
	| {type: 'action-finished'; ok: boolean; message: string; wroteFiles?: boolean; backups?: string[]};

export function initialState(options: {probesAvailable: boolean}): AppState {
	const probes: ProbeState = {lines: [], finished: [], done: !options.probesAvailable, facts: {}, checks: [], findings: [], available: options.probesAvailable};
	// The first screen is always the probing one: it also waits for the knowledge base.
	return {stack: [{kind: 'probing'}], probes, quitting: false};
}

export function currentScreen(state: AppState): Screen {
	return state.stack.at(-1) ?? {kind: 'menu'};
}

/** The shown finding's fix order: `current` is false until it is ranked against the files as they are now (a patch written changes them). */
export function fixOrderOf(view: FindingsView): {fixIds?: string[]; current: boolean} {
	const order = view.fixOrders[view.findings[view.index]?.diagnosis.id ?? ''];
	return {fixIds: order?.fixIds, current: order?.revision === view.revision};
}

/** Identifies the patch being shown, so that a late answer for another fix is dropped. */
export function patchKey(view: FindingsView): string {
	return `${view.findings[view.index]?.diagnosis.id ?? ''}#${view.fixIndex}#${fixOrderOf(view).fixIds?.join(',') ?? '?'}`;
}

function withTop(state: AppState, change: (screen: Screen) => Screen): AppState {
	const top = currentScreen(state);
	const changed = change(top);
	return changed === top ? state : {...state, stack: [...state.stack.slice(0, -1), changed]};
}

function withView(state: AppState, change: (view: FindingsView) => FindingsView): AppState {
	return withTop(state, screen => (screen.kind === 'findings' ? {kind: 'findings', view: change(screen.view)} : screen));
}

function clamp(value: number, low: number, high: number): number {
	return Math.max(low, Math.min(value, high));
}

function freshView(view: FindingsView, index: number, fixIndex: number): FindingsView {
	return {...view, index, fixIndex, scroll: 0, patch: {state: 'unavailable'}, confirmingApply: false, message: undefined};
}

export function appReducer(state: AppState, action: Action): AppState {
	switch (action.type) {
		case 'probe-event': {
			const key = `${action.event.area}\u0000${action.event.label}`;
			const existing = state.probes.lines.findIndex(line => line.key === key);
			const line = {...action.event, key};
			const lines = existing === -1 ? [...state.probes.lines, line] : state.probes.lines.with(existing, line);
			return {...state, probes: {...state.probes, lines}};
		}

		case 'probes-finished': {
			const lines = state.probes.lines.map(line => {
				const check = action.result.checks.find(candidate => candidate.area === line.area);
				return check ? {...line, status: check.status, found: check.found, hint: check.hint} : line;
			});
			// The result's checks are the last word on each area (they weigh every fact); the live lines lend their labels.
			const unannounced: ProbeLine[] = action.result.checks
				.filter(check => !lines.some(line => line.area === check.area))
				.map(check => ({...check, label: check.area, key: check.area}));
			const finished = [...state.probes.finished, ...[...lines, ...unannounced].filter(line => line.status !== 'running')];
			const probes = {...state.probes, done: true, lines, finished, facts: action.result.facts, checks: action.result.checks, findings: action.result.findings ?? []};
			return {...state, probes};
		}

		case 'probes-failed': {
			return {...state, probes: {...state.probes, done: true, error: action.message}};
		}

		case 'open': {
			return {...state, stack: [...state.stack, action.screen]};
		}

		case 'replace': {
			return {...state, stack: [...state.stack.slice(0, -1), action.screen]};
		}

		case 'back': {
			if (state.stack.length <= 1) {
				return currentScreen(state).kind === 'menu' ? state : {...state, stack: [{kind: 'menu'}]};
			}

			return {...state, stack: state.stack.slice(0, -1)};
		}

		case 'quit': {
			return {...state, quitting: true};
		}

		case 'log-read': {
			return withTop(state, () => ({kind: 'diagnosing', source: action.source, text: action.text, build: action.build, note: action.note}));
		}

		case 'findings-ready': {
			const view: FindingsView = {
				origin: action.origin,
				source: action.source,
				lines: action.lines,
				findings: action.findings,
				...(action.unmatched ? {unmatched: action.unmatched} : {}),
				index: 0,
				fixIndex: 0,
				scroll: 0,
				patch: {state: 'unavailable'},
				confirmingApply: false,
				busy: false,
				revision: 0,
				build: action.build,
				// After a rebuild, what became of the previous fix is said at once.
				message: action.note ? {ok: true, text: action.note} : undefined,
				fixOrders: {},
			};
			// A log's findings replace the screen that produced them; a tree's (or the menu's) open above it.
			const screen: Screen = {kind: 'findings', view};
			return action.origin === 'log' ? {...state, stack: [...state.stack.slice(0, -1), screen]} : {...state, stack: [...state.stack, screen]};
		}

		// Worked out from the current walk here, not in the screen, so that fast keys never act on a stale one.
		case 'tree-answer': {
			return withTop(state, screen => (screen.kind === 'tree' ? {kind: 'tree', walk: answer(action.tree, screen.walk, action.optionIndex, action.facts)} : screen));
		}

		case 'tree-reopen-automatic': {
			return withTop(state, screen => {
				const reopened = screen.kind === 'tree' ? reopenAutomatic(screen.walk) : undefined;
				return reopened ? {kind: 'tree', walk: reopened} : screen;
			});
		}

		case 'tree-back': {
			const screen = currentScreen(state);
			if (screen.kind !== 'tree') {
				return state;
			}

			const previous = walkBack(screen.walk);
			return previous ? withTop(state, () => ({kind: 'tree', walk: previous})) : appReducer(state, {type: 'back'});
		}

		case 'scroll': {
			const limit = Math.max(action.contentHeight - action.viewHeight, 0);
			return withTop(state, screen => {
				if (screen.kind === 'findings') {
					return {kind: 'findings', view: {...screen.view, scroll: clamp(screen.view.scroll + action.by, 0, limit)}};
				}

				return screen.kind === 'report' ? {...screen, scroll: clamp(screen.scroll + action.by, 0, limit)} : screen;
			});
		}

		case 'next-finding': {
			return withView(state, view => (view.findings.length < 2 || view.busy ? view : freshView(view, (view.index + 1) % view.findings.length, 0)));
		}

		case 'show-finding': {
			return withView(state, view => freshView(view, clamp(action.index, 0, Math.max(view.findings.length - 1, 0)), 0));
		}

		case 'next-fix': {
			return withView(state, view => (action.fixCount < 2 || view.busy ? view : freshView(view, view.index, (view.fixIndex + 1) % action.fixCount)));
		}

		case 'fixes-ordered': {
			return withView(state, view => ({...view, fixOrders: {...view.fixOrders, [action.diagnosisId]: {revision: action.revision, fixIds: action.fixIds}}}));
		}

		case 'patch-loading': {
			return withView(state, view => ({...view, patch: {state: 'loading'}}));
		}

		case 'patch-ready': {
			return withView(state, view => (patchKey(view) === action.key ? {...view, patch: {state: 'ready', plan: action.plan}} : view));
		}

		case 'patch-failed': {
			return withView(state, view => (patchKey(view) === action.key ? {...view, patch: {state: 'failed', message: action.message}} : view));
		}

		case 'ask-apply': {
			return withView(state, view => {
				if (!action.command && (view.patch.state !== 'ready' || view.patch.plan.status !== 'patch')) {
					return {...view, message: {ok: false, text: 'There is no patch to apply for this fix.'}};
				}

				return {...view, confirmingApply: true, message: undefined};
			});
		}

		case 'cancel-apply': {
			return withView(state, view => ({...view, confirmingApply: false, message: {ok: true, text: 'Nothing was changed.'}}));
		}

		case 'action-output': {
			const last = action.text.split('\n').filter(line => line.trim() !== '').at(-1);
			return last === undefined ? state : withView(state, view => ({...view, message: {ok: true, text: last}}));
		}

		case 'action-started': {
			return withView(state, view => ({...view, confirmingApply: false, busy: true, message: undefined}));
		}

		case 'report-saved': {
			return withTop(state, screen => (screen.kind === 'report' ? {...screen, message: {ok: action.ok, text: action.message}} : screen));
		}

		case 'action-finished': {
			return withView(state, view => ({
				...view,
				busy: false,
				message: {ok: action.ok, text: action.message},
				revision: view.revision + (action.wroteFiles ? 1 : 0),
				applied: action.wroteFiles ? {backups: [...(view.applied?.backups ?? []), ...(action.backups ?? [])]} : view.applied,
			}));
		}
	}
}
