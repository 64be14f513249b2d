import {useInput} from 'ink';
import type {Action, FindingsView} from '../state/app.js';

/** The diagnosis screen's keys: scrolling, the actions, and the apply confirmation. */
export function useFindingsKeys(options: {
	view: FindingsView;
	dispatch: (action: Action) => void;
	bodyHeight: number;
	contentHeight: number;
	fixCount: number;
	/** The fix is a command that can run here: `a` asks to run it. */
	command?: boolean;
	onBack: () => void;
	onQuit: () => void;
	onApply: () => void;
	onSave: () => void;
	onRebuild: () => void;
}): void {
	const {view, dispatch, bodyHeight, contentHeight} = options;
	const scroll = (by: number) => {
		dispatch({type: 'scroll', by, contentHeight, viewHeight: bodyHeight});
	};

	useInput((input, key) => {
		if (view.confirmingApply) {
			if (input === 'y' || input === 'Y') {
				options.onApply();
			} else if (input === 'n' || input === 'N' || key.escape) {
				dispatch({type: 'cancel-apply'});
			}

			return;
		}

		if (view.busy) {
			return;
		}

		if (key.downArrow || input === 'j') {
			scroll(1);
		} else if (key.upArrow || input === 'k') {
			scroll(-1);
		} else if (key.pageDown || input === ' ') {
			scroll(bodyHeight - 1);
		} else if (key.pageUp) {
			scroll(-(bodyHeight - 1));
		} else if (key.home || input === 'g') {
			scroll(-contentHeight);
		} else if (key.end || input === 'G') {
			scroll(contentHeight);
		} else if (input === 'a') {
			dispatch({type: 'ask-apply', command: options.command});
		} else if (input === 's') {
			options.onSave();
		} else if (input === 'r') {
			options.onRebuild();
		} else if (input === 'n') {
			dispatch({type: 'next-finding'});
		} else if (input === 'f') {
			dispatch({type: 'next-fix', fixCount: options.fixCount});
		} else if (key.escape || key.leftArrow || input === 'b') {
			options.onBack();
		} else if (input === 'q') {
			options.onQuit();
		}
	});
}
