import {useInput} from 'ink';

/**
The keys every list-like screen shares: Esc, ← or b goes back; q quits (or goes back where
`onQuit` is not given); with `onScroll`, ↑↓ j k move one line, PgUp/PgDn/space one page.
*/
export function useNavigationKeys(options: {
	onBack?: () => void;
	onQuit?: () => void;
	onScroll?: (by: number) => void;
	pageSize?: number;
	/** Enter also goes back (result screens). */
	enterGoesBack?: boolean;
	/** Single-letter keys of the screen, such as `c` to correct an answer. */
	shortcuts?: Record<string, (() => void) | undefined>;
	isActive?: boolean;
}): void {
	const page = Math.max((options.pageSize ?? 10) - 1, 1);
	useInput(
		(input, key) => {
			if (options.onScroll) {
				const by = key.downArrow || input === 'j' ? 1 : key.upArrow || input === 'k' ? -1 : key.pageDown || input === ' ' ? page : key.pageUp ? -page : 0;
				if (by !== 0) {
					options.onScroll(by);
					return;
				}
			}

			const shortcut = options.shortcuts?.[input];
			if (shortcut && !key.ctrl && !key.meta) {
				shortcut();
				return;
			}

			if (key.escape || key.leftArrow || input === 'b' || (options.enterGoesBack && key.return)) {
				options.onBack?.();
			} else if (input === 'q') {
				(options.onQuit ?? options.onBack)?.();
			}
		},
		{isActive: options.isActive ?? true},
	);
}
