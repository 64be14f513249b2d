import {compareVersions} from '../knowledge/conditions.js';
import {pyo3SupportFor} from '../facts/pyo3-support.js';
import {renderTemplate, type TemplateValues} from './render.js';

/** What the new project is: a module Python imports, a program that runs Python, or both in one crate. */
export type ProjectKind = 'extension' | 'embedding' | 'both';

export const projectKinds: readonly ProjectKind[] = ['extension', 'embedding', 'both'];

export type InitAnswers = {
	/** The package name (Cargo and Python), e.g. `my-project`. */
	name: string;
	kind: ProjectKind;
	/** A flake with the package and a dev shell, instead of a venv and `.cargo/config.toml`. */
	nix: boolean;
	python: {
		/** major.minor, e.g. 3.12. */
		version: string;
		/** Without Nix: the interpreter's absolute path, written into `.cargo/config.toml`. */
		executable?: string;
	};
	/** The pyo3 version requirement for Cargo.toml. */
	pyo3Version?: string;
};

/** One file of the plan: where it goes, what it holds, and why it is there (shown before writing). */
export type PlannedFile = {path: string; content: string; why: string};

export const defaultPyo3Version = '0.30';
export const defaultNixPythonVersion = '3.12';

/** Template file names under knowledge/templates that the planner reads. */
export const templateNames = [
	'Cargo.toml.tmpl',
	'pyproject.toml.tmpl',
	'build.rs.tmpl',
	'lib.rs.tmpl',
	'main.rs.tmpl',
	'cargo-config.toml.tmpl',
	'flake.nix.tmpl',
	'envrc.tmpl',
	'gitignore.tmpl',
	'README.md.tmpl',
] as const;

export type TemplateName = (typeof templateNames)[number];
export type Templates = Readonly<Record<TemplateName, string>>;

type FileRule = {path: string; template: TemplateName; why: string; when: (answers: InitAnswers) => boolean};

const hasExtension = (answers: InitAnswers) => answers.kind !== 'embedding';
const hasEmbedding = (answers: InitAnswers) => answers.kind !== 'extension';

const fileRules: FileRule[] = [
	{path: 'Cargo.toml', template: 'Cargo.toml.tmpl', why: 'the crate; pyo3 without extension-module', when: () => true},
	{path: 'pyproject.toml', template: 'pyproject.toml.tmpl', why: 'maturin builds the wheel as an extension module (PYO3_BUILD_EXTENSION_MODULE)', when: hasExtension},
	{path: 'build.rs', template: 'build.rs.tmpl', why: 'rpath to libpython for tests and programs', when: () => true},
	{path: 'src/lib.rs', template: 'lib.rs.tmpl', why: 'the Python module, with tests', when: hasExtension},
	{path: 'src/main.rs', template: 'main.rs.tmpl', why: 'the program that embeds Python', when: hasEmbedding},
	{path: '.cargo/config.toml', template: 'cargo-config.toml.tmpl', why: 'PYO3_PYTHON for every cargo command', when: answers => !answers.nix},
	{path: 'flake.nix', template: 'flake.nix.tmpl', why: 'the package and a dev shell', when: answers => answers.nix},
	{path: '.envrc', template: 'envrc.tmpl', why: 'direnv enters the dev shell', when: answers => answers.nix},
	{path: '.gitignore', template: 'gitignore.tmpl', why: 'build outputs and the venv stay out of git', when: () => true},
	{path: 'README.md', template: 'README.md.tmpl', why: 'how to build it and why it is set up so', when: () => true},
];

/** A Python module / Rust library name from a package name: `my-project` → `my_project`. */
export function moduleNameFor(name: string): string {
	const snake = name
		.toLowerCase()
		.replaceAll(/[^a-z\d_]+/g, '_')
		.replaceAll(/^_+|_+$/g, '');
	if (snake === '') {
		return 'project';
	}

	return /^\d/.test(snake) ? `py_${snake}` : snake;
}

/** A package name from a directory name: lower case, words joined by '-'. */
export function packageNameFor(directoryName: string): string {
	const name = directoryName
		.toLowerCase()
		.replaceAll(/[^a-z\d_-]+/g, '-')
		.replaceAll(/^[-_]+|[-_]+$/g, '');
	if (name === '') {
		return 'project';
	}

	return /^\d/.test(name) ? `py-${name}` : name;
}

/** The nixpkgs attribute for a Python minor: 3.12 → python312. */
export function nixPythonAttribute(version: string): string {
	const [major, minor] = version.split('.');
	return `python${major}${minor ?? ''}`;
}

/** Checks answers; returns one sentence per problem (empty when the answers can be planned). */
export function validateAnswers(answers: InitAnswers): string[] {
	const problems: string[] = [];
	if (!/^[a-z][a-z\d_-]*$/.test(answers.name)) {
		problems.push(`"${answers.name}" is not a usable package name: use lower-case letters, digits, '-' and '_', starting with a letter.`);
	}

	if (!projectKinds.includes(answers.kind)) {
		problems.push(`"${String(answers.kind)}" is not a project kind: use extension, embedding or both.`);
	}

	if (!/^3\.\d{1,2}$/.test(answers.python.version)) {
		problems.push(`"${answers.python.version}" is not a Python version: use major.minor, e.g. 3.12.`);
	}

	const support = pyo3SupportFor(answers.pyo3Version ?? defaultPyo3Version);
	if (support && /^3\.\d{1,2}$/.test(answers.python.version) && compareVersions(answers.python.version, support.minPython) < 0) {
		problems.push(`pyo3 ${support.series} supports Python ${support.minPython} to ${support.maxPython}: ${answers.python.version} is too old.`);
	}

	if (!answers.nix && !answers.python.executable) {
		problems.push('Without Nix, the project needs the path of the Python interpreter to build against.');
	}

	return problems;
}

/**
pyo3 0.26 and later also take the extension-module setting from PYO3_BUILD_EXTENSION_MODULE,
which maturin sets for every wheel build (from 1.9.4, PyO3/maturin#2723); older pyo3 needs the
feature, given to maturin only.
*/
const firstPyo3ReadingBuildExtensionModule = '0.26';

/** The values the templates see. */
export function templateValues(answers: InitAnswers): TemplateValues {
	const module = moduleNameFor(answers.name);
	const pyo3Version = answers.pyo3Version ?? defaultPyo3Version;
	return {
		name: answers.name,
		module,
		binary: answers.kind === 'both' ? `${answers.name}-embed` : answers.name,
		extension: hasExtension(answers),
		embedding: hasEmbedding(answers),
		both: answers.kind === 'both',
		nix: answers.nix,
		pythonVersion: answers.python.version,
		pythonExecutable: answers.python.executable ?? `python${answers.python.version}`,
		nixPython: nixPythonAttribute(answers.python.version),
		pyo3Version,
		extensionModuleFeature: compareVersions(pyo3Version, firstPyo3ReadingBuildExtensionModule) < 0,
		minPython: pyo3SupportFor(pyo3Version)?.minPython ?? answers.python.version,
	};
}

/**
Plans a new project: the files to write, in a stable order, rendered from the templates.
Pure: the caller reads the templates and writes the files.
*/
export function planProject(answers: InitAnswers, templates: Templates): PlannedFile[] {
	const problems = validateAnswers(answers);
	if (problems.length > 0) {
		throw new Error(problems.join(' '));
	}

	const values = templateValues(answers);
	return fileRules
		.filter(rule => rule.when(answers))
		.map(rule => ({path: rule.path, content: renderTemplate(templates[rule.template], values, rule.template), why: rule.why}));
}
