import {Text} from 'ink';
import {useEffect} from 'react';
import type {Facts} from '../../core/knowledge/conditions.js';
import {Spinner} from '../components/Spinner.js';
import {useWizard} from '../context.js';
import {diagnoseText, type TextDiagnosis} from '../state/diagnose-text.js';
import {truncate} from '../state/layout.js';

/** Matches the log against the knowledge base, after one frame that says so. */
export function DiagnosingScreen({
	source,
	text,
	facts,
	onDone,
}: {
	readonly source: string;
	readonly text: string;
	readonly facts: Facts;
	readonly onDone: (result: TextDiagnosis) => void;
}) {
	const {knowledge, size} = useWizard();
	useEffect(() => {
		// A macrotask first, so the "Diagnosing" frame is drawn before a long log is scanned.
		const timer = setTimeout(() => {
			onDone(diagnoseText(knowledge, text, facts));
		}, 0);
		return () => {
			clearTimeout(timer);
		};
	}, [text]);
	return (
		<Text>
			<Spinner /> Diagnosing {truncate(source, size.columns - 16)}…
		</Text>
	);
}
