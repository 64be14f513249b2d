import {Text} from 'ink';
import {useEffect, useState} from 'react';
import {useWizard} from '../context.js';

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A small spinner for work in progress. */
export function Spinner() {
	const {theme} = useWizard();
	const [frame, setFrame] = useState(0);
	useEffect(() => {
		const timer = setInterval(() => {
			setFrame(current => (current + 1) % frames.length);
		}, 100);
		return () => {
			clearInterval(timer);
		};
	}, []);
	return <Text {...theme.tone('accent')}>{frames[frame]}</Text>;
}
