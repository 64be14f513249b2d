import {useStdout} from 'ink';
import {useEffect, useState} from 'react';
import type {TerminalSize} from '../context.js';

const fallback: TerminalSize = {columns: 80, rows: 24};

/** The terminal's size, following resizes; `fixed` (tests) wins. */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
	const {stdout} = useStdout();
	const read = (): TerminalSize => ({columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows});
	const [size, setSize] = useState<TerminalSize>(fixed ?? read());
	useEffect(() => {
		if (fixed) {
			return;
		}

		const onResize = () => {
			setSize(read());
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, fixed]);
	return fixed ?? size;
}
