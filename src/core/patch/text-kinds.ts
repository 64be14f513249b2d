import {z} from 'zod';
import {readFact} from '../knowledge/conditions.js';
import {changed, manual, type EditKind} from './types.js';

const rpathBlock = [
	'// Binaries and tests that embed Python find libpython where pyo3 linked it.',
	'if let Some(lib_dir) = &pyo3_build_config::get().lib_dir {',
	'    println!("cargo:rustc-link-arg=-Wl,-rpath,{lib_dir}");',
	'}',
];

const rpathParams = z.object({}).strict();

/**
Makes build.rs embed libpython's directory as an rpath (the link-arg that
`pyo3_build_config::add_libpython_rpath_link_args` emits on pyo3 ≥ 0.28, written out so
that it works on every pyo3 since 0.15). Pair it with `cargo-add-build-dependency`.
*/
export const buildRsRpath: EditKind<typeof rpathParams> = {
	kind: 'build-rs-rpath',
	description: "make build.rs add libpython's directory as an rpath (creates build.rs if there is none)",
	params: rpathParams,
	apply(text, _params, context) {
		if (text === undefined) {
			const body = rpathBlock.map(line => `    ${line}`).join('\n');
			return {kind: 'changed', text: `fn main() {\n${body}\n}\n`};
		}

		if (/-rpath|add_libpython_rpath_link_args/.test(text)) {
			return {kind: 'unchanged'};
		}

		const main = /^fn\s+main\s*\(\s*\)\s*\{[ \t]*\r?\n/m.exec(text);
		if (!main) {
			return manual(`${context.path} has no \`fn main() {\` line this edit can find: add to main():\n${rpathBlock.join('\n')}`);
		}

		const at = main.index + main[0].length;
		const firstLine = text.slice(at, text.indexOf('\n', at));
		const indent = /^[ \t]*/.exec(firstLine)![0] || '    ';
		const block = rpathBlock.map(line => `${indent}${line}\n`).join('');
		const separator = firstLine.trim().length > 0 && !firstLine.trim().startsWith('}') ? '\n' : '';
		return changed(text, `${text.slice(0, at)}${block}${separator}${text.slice(at)}`);
	},
};

const pymoduleParams = z
	.object({
		/** Fact paths for the module name Python imports, first found wins (e.g. captures.module, then [tool.maturin] module-name, then [lib] name). */
		nameFrom: z.array(z.string()).min(1),
	})
	.strict();

/** The module Python imports: the last segment of `pkg._core`, or what follows `PyInit_` in a symbol. */
function importedName(value: string): string {
	return value.split('.').at(-1)!.replace(/^PyInit_/, '');
}

/**
Makes the `#[pymodule]` export `PyInit_<name>` for the name Python imports, with
`#[pyo3(name = "…")]` (the function keeps its Rust name).
*/
export const rustPymoduleName: EditKind<typeof pymoduleParams> = {
	kind: 'rust-pymodule-name',
	description: 'give the #[pymodule] the name Python imports, with #[pyo3(name = "…")]',
	params: pymoduleParams,
	apply(text, params, context) {
		const wanted = params.nameFrom.map(path => readFact(context.facts, path)).find(value => typeof value === 'string' && value.length > 0) as string | undefined;
		if (text === undefined) {
			return manual(`There is no ${context.path}: make the #[pymodule] function's name (or its #[pyo3(name = "…")]) equal to the module Python imports${wanted ? ` (${importedName(wanted)})` : ''}.`);
		}

		if (!wanted) {
			return manual('The module name Python looks for is not known: make `#[pymodule] fn NAME`, `[lib] name` in Cargo.toml and `[tool.maturin] module-name` in pyproject.toml agree.');
		}

		const name = importedName(wanted);
		if (!/^[A-Za-z_]\w*$/.test(name)) {
			return manual(`"${name}" is not a valid Python module name: rename [lib] name / [tool.maturin] module-name.`);
		}

		const modules = [...text.matchAll(/^([ \t]*)#\[(?:pyo3::)?pymodule(?:\([^)\n]*\))?\][ \t]*\r?\n((?:[ \t]*#\[[^\n]*\][ \t]*\r?\n)*)[ \t]*(?:pub(?:\([^)]*\))?\s+)?(fn|mod)\s+(r#)?(\w+)/gm)];
		if (modules.length === 0) {
			return manual(`${context.path} has no #[pymodule] this edit can find: name the module ${name} (\`#[pymodule] #[pyo3(name = "${name}")]\`).`);
		}

		if (modules.length > 1) {
			return manual(`${context.path} has ${modules.length} #[pymodule]s: give the top-level one \`#[pyo3(name = "${name}")]\`.`);
		}

		const module = modules[0]!;
		const attributes = module[2]!;
		const rustName = module[5]!;
		const existing = /#\[pyo3\([^)\n]*\bname\s*=\s*"([^"]*)"/.exec(attributes);
		const inPymodule = /#\[(?:pyo3::)?pymodule\([^)\n]*\bname\s*=\s*"([^"]*)"/.exec(module[0]);
		const current = inPymodule?.[1] ?? existing?.[1] ?? rustName;
		if (current === name) {
			return {kind: 'unchanged'};
		}

		if (inPymodule) {
			const start = module.index + inPymodule.index + inPymodule[0].length - inPymodule[1]!.length - 1;
			return changed(text, `${text.slice(0, start)}${name}${text.slice(start + inPymodule[1]!.length)}`);
		}

		if (existing) {
			const attributesStart = module.index + module[0].indexOf(attributes);
			const start = attributesStart + existing.index + existing[0].length - existing[1]!.length - 1;
			return changed(text, `${text.slice(0, start)}${name}${text.slice(start + existing[1]!.length)}`);
		}

		if (module[3] === 'mod') {
			// A declarative `#[pymodule] mod x { … }` takes the name in the attribute itself.
			const attribute = /#\[(?:pyo3::)?pymodule\]/.exec(module[0])!;
			const start = module.index + attribute.index;
			return changed(text, `${text.slice(0, start)}${attribute[0].slice(0, -1)}(name = "${name}")]${text.slice(start + attribute[0].length)}`);
		}

		const pymoduleLineEnd = text.indexOf('\n', module.index) + 1;
		return changed(text, `${text.slice(0, pymoduleLineEnd)}${module[1]}#[pyo3(name = "${name}")]\n${text.slice(pymoduleLineEnd)}`);
	},
};

const lineParams = z
	.object({
		line: z.string().min(1),
		/** Put the line after the last line matching this expression (e.g. `^use (flake|nix)`); else at the end. */
		after: z.string().optional(),
		/** A line matching this already does the job (e.g. another `layout python` form). */
		presentIf: z.string().optional(),
	})
	.strict();

/** Adds one line to a line-based file such as .envrc. */
export const addLine: EditKind<typeof lineParams> = {
	kind: 'add-line',
	description: 'add one line to a line-based file such as .envrc (e.g. a venv layout after `use flake`)',
	params: lineParams,
	apply(text, params, context) {
		if (text === undefined) {
			return manual(`There is no ${context.path}: create it with \`${params.line}\` (then run \`direnv allow\`).`);
		}

		const lines = text.split('\n');
		const present = params.presentIf ? new RegExp(params.presentIf, 'm') : undefined;
		if (lines.some(line => line.trim() === params.line.trim()) || present?.test(text)) {
			return {kind: 'unchanged'};
		}

		if (params.after) {
			const after = new RegExp(params.after);
			const index = lines.findLastIndex(line => after.test(line));
			if (index !== -1) {
				lines.splice(index + 1, 0, params.line);
				return changed(text, lines.join('\n'));
			}
		}

		const body = text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
		return changed(text, `${body}${params.line}\n`);
	},
};

export const textKinds = [buildRsRpath, rustPymoduleName, addLine] as const;
