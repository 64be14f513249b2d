import {useInput} from 'ink';
import {useState} from 'react';
import {typeInto} from '../state/line-edit.js';

/** A one-line text field: typing, Backspace, Enter submits (when not empty), Esc cancels. */
export function useLineInput(options: {initial: string; onSubmit: (value: string) => void; onCancel: () => void; isActive: boolean}): string {
	const [value, setValue] = useState(options.initial);
	useInput(
		(input, key) => {
			if (key.escape) {
				options.onCancel();
			} else if (key.return) {
				if (value.trim() !== '') {
					options.onSubmit(value.trim());
				}
			} else if (key.backspace || key.delete) {
				setValue(current => typeInto(current, '\u007F'));
			} else if (!key.ctrl && !key.meta && input) {
				setValue(current => typeInto(current, input));
			}
		},
		{isActive: options.isActive},
	);
	return value;
}
