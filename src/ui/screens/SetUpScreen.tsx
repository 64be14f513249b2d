import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
import {KeyHints} from '../components/KeyHints.js';
import {SelectList} from '../components/SelectList.js';
import {Spinner} from '../components/Spinner.js';
import {useWizard} from '../context.js';
import type {ActionOutcome, ProjectAnswers} from '../deps.js';
import {truncate} from '../state/layout.js';

type Step = {kind: 'kind'} | {kind: 'nix'; project: ProjectAnswers['kind']} | {kind: 'folder'; project: ProjectAnswers['kind']; nix: boolean} | {kind: 'writing'};

const kinds: Array<{key: string; label: string; value: ProjectAnswers['kind']}> = [
	{key: 'extension', label: 'A Python module written in Rust (extension, built with maturin)', value: 'extension'},
	{key: 'embedding', label: 'A Rust program that calls Python (embedding)', value: 'embedding'},
	{key: 'both', label: 'One crate that is both', value: 'both'},
];

/**
Asks what the new project is (extension, embedding or both; with Nix or not; which folder), then
hands the answers to the injected set-up, which writes the files.
*/
export function SetUpScreen({nixInstalled, onBack, onDone}: {readonly nixInstalled: boolean; readonly onBack: () => void; readonly onDone: (outcome: ActionOutcome) => void}) {
	const {deps, size} = useWizard();
	const [step, setStep] = useState<Step>({kind: 'kind'});
	const [folder, setFolder] = useState('my-pyo3-project');
	useInput(
		(input, key) => {
			if (key.escape) {
				setStep(current => (current.kind === 'folder' ? {kind: 'nix', project: current.project} : current.kind === 'nix' ? {kind: 'kind'} : current));
				if (step.kind === 'kind') {
					onBack();
				}

				return;
			}

			if (step.kind !== 'folder') {
				return;
			}

			if (key.return && folder.trim() !== '' && deps.setUpProject) {
				setStep({kind: 'writing'});
				deps.setUpProject({kind: step.project, nix: step.nix, directory: folder.trim()}).then(onDone, (error: unknown) => {
					onDone({ok: false, message: (error as Error).message});
				});
			} else if (key.backspace || key.delete) {
				setFolder(current => current.slice(0, -1));
			} else if (!key.ctrl && !key.meta && input && !key.return) {
				setFolder(current => current + input);
			}
		},
		{isActive: step.kind !== 'writing'},
	);

	let body;
	switch (step.kind) {
		case 'kind': {
			body = (
				<>
					<Text bold>What will the project be?</Text>
					<SelectList items={kinds} onSelect={project => setStep({kind: 'nix', project})} />
				</>
			);
			break;
		}

		case 'nix': {
			const withNix = {key: 'nix', label: 'With Nix: a flake with the package, a dev shell and .envrc', value: true};
			const without = {key: 'no-nix', label: 'Without Nix: a venv and .cargo/config.toml', value: false};
			body = (
				<>
					<Text bold>Build it with Nix?</Text>
					<SelectList key="nix" items={nixInstalled ? [withNix, without] : [without, withNix]} onSelect={nix => setStep({kind: 'folder', project: step.project, nix})} />
				</>
			);
			break;
		}

		case 'folder': {
			body = (
				<>
					<Text bold>Which folder? (created if missing; nothing is overwritten)</Text>
					<Text wrap="truncate-end">
						{'> '}
						{truncate(folder, size.columns - 4)}▏
					</Text>
				</>
			);
			break;
		}

		case 'writing': {
			body = (
				<Text>
					<Spinner /> Writing the project…
				</Text>
			);
			break;
		}
	}

	return (
		<Box flexDirection="column">
			<Text bold>Set up a new project</Text>
			<Text> </Text>
			{body}
			<Text> </Text>
			<KeyHints hints={step.kind === 'folder' ? [['Enter', 'write it'], ['Esc', 'back']] : [['↑↓', 'choose'], ['Enter', 'next'], ['Esc', 'back']]} />
		</Box>
	);
}
