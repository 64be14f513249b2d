import {Box, Text} from 'ink';
import {useState} from 'react';
import {KeyHints} from '../components/KeyHints.js';
import {SelectList} from '../components/SelectList.js';
import {Spinner} from '../components/Spinner.js';
import {useWizard} from '../context.js';
import {useLineInput} from '../hooks/use-line-input.js';
import {useNavigationKeys} from '../hooks/use-navigation-keys.js';
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
	useNavigationKeys({
		isActive: step.kind === 'kind' || step.kind === 'nix',
		onBack() {
			if (step.kind === 'nix') {
				setStep({kind: 'kind'});
			} else {
				onBack();
			}
		},
	});
	const folder = useLineInput({
		initial: 'my-pyo3-project',
		isActive: step.kind === 'folder',
		onCancel() {
			if (step.kind === 'folder') {
				setStep({kind: 'nix', project: step.project});
			}
		},
		onSubmit(directory) {
			if (step.kind !== 'folder' || !deps.setUpProject) {
				return;
			}

			setStep({kind: 'writing'});
			deps.setUpProject({kind: step.project, nix: step.nix, directory}).then(onDone, (error: unknown) => {
				onDone({ok: false, message: (error as Error).message});
			});
		},
	});

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
