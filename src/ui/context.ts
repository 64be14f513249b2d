import {createContext, useContext} from 'react';
import type {KnowledgeData, WizardDeps} from './deps.js';
import type {Theme} from './theme.js';

export type TerminalSize = {columns: number; rows: number};

export type WizardContextValue = KnowledgeData & {deps: WizardDeps; theme: Theme; size: TerminalSize};

export const WizardContext = createContext<WizardContextValue | undefined>(undefined);

/** The injected dependencies, the theme and the terminal size, for any screen. */
export function useWizard(): WizardContextValue {
	const value = useContext(WizardContext);
	if (!value) {
		throw new Error('useWizard() needs <App> (WizardContext) above it.');
	}

	return value;
}
