import {Text} from 'ink';
import SelectInput from 'ink-select-input';
import {truncate} from '../state/layout.js';
import {useWizard} from '../context.js';

export type ListItem<V> = {key: string; label: string; value: V};

/**
ink-select-input with labels cut to the terminal width and colour from the theme (the highlighted
item is also marked with ❯, so it reads the same without colour).
*/
export function SelectList<V>({
	items,
	onSelect,
	onHighlight,
	limit,
	initialIndex = 0,
	isFocused = true,
}: {
	readonly items: ReadonlyArray<ListItem<V>>;
	readonly onSelect: (value: V) => void;
	readonly onHighlight?: (value: V) => void;
	readonly limit?: number;
	readonly initialIndex?: number;
	readonly isFocused?: boolean;
}) {
	const {theme, size} = useWizard();
	const width = size.columns - 3;
	return (
		<SelectInput
			items={items.map(item => ({...item, label: truncate(item.label, width)}))}
			limit={limit}
			initialIndex={initialIndex}
			isFocused={isFocused}
			indicatorComponent={({isSelected}) => <Text {...theme.tone(isSelected ? 'accent' : undefined)}>{isSelected ? '❯ ' : '  '}</Text>}
			itemComponent={({isSelected, label}) => (
				<Text bold={isSelected} wrap="truncate-end" {...theme.tone(isSelected ? 'accent' : undefined)}>
					{label}
				</Text>
			)}
			onSelect={item => {
				onSelect(item.value);
			}}
			onHighlight={item => {
				onHighlight?.(item.value);
			}}
		/>
	);
}
