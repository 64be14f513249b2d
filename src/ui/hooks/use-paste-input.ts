import {useStdin} from 'ink';
import {useEffect, useRef} from 'react';

/**
Hands the raw input events (runs of text and single escape sequences, as Ink splits them) to
`onEvents`, batched per tick: a paste of thousands of lines becomes a few calls, not one
render per line. Ink 6.8 has no paste hook, so this listens to its input stream directly.
*/
export function usePasteInput(onEvents: (events: string[]) => void, options: {isActive: boolean}): void {
	const {internal_eventEmitter: emitter, setRawMode, isRawModeSupported} = useStdin();
	const handler = useRef(onEvents);
	handler.current = onEvents;
	useEffect(() => {
		if (!options.isActive || !isRawModeSupported) {
			return;
		}

		setRawMode(true);
		let pending: string[] = [];
		let scheduled: NodeJS.Immediate | undefined;
		const flush = () => {
			scheduled = undefined;
			const events = pending;
			pending = [];
			handler.current(events);
		};

		const onInput = (input: string) => {
			pending.push(input);
			scheduled ??= setImmediate(flush);
		};

		emitter.on('input', onInput);
		return () => {
			emitter.off('input', onInput);
			if (scheduled) {
				clearImmediate(scheduled);
			}

			setRawMode(false);
		};
	}, [options.isActive, isRawModeSupported, emitter, setRawMode]);
}
