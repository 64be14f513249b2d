// Builds a realistic large build log: cargo and Nix noise, with one real error near the end.
import {readFileSync} from 'node:fs';

const noise = [
	'   Compiling serde v1.0.{n}',
	'   Compiling pyo3-build-config v0.22.{n}',
	'\u001B[1m\u001B[32m   Compiling\u001B[0m proc-macro2 v1.0.{n}',
	'warning: unused variable: `x{n}`',
	'  --> src/lib.rs:{n}:9',
	'   |',
	'{n} |     let x{n} = compute();',
	'   |         ^^ help: if this is intentional, prefix it with an underscore: `_x{n}`',
	'mypkg> building \'/nix/store/0c5l8j6v3y1rf3ihk2x4hg4n1xwqk1b2-source\'',
	'mypkg> Executing cargoSetupPostPatchHook',
	'2024-05-01T10:20:30.1234567Z    Compiling libc v0.2.{n}',
	'    Building [=======================>   ] {n}/312: syn, tokio(build)\r',
	'copying path \'/nix/store/9kfd0l0z3q1x3m5w8n7c2b4v6x8z0a2c-python3-3.11.{n}\' from \'https://cache.nixos.org\'...',
	'running install tests for target x86_64-unknown-linux-gnu ({n} of 200)',
];

/** Returns a log of about `megabytes` MB whose last lines hold `errorText`. */
export function makeLog(megabytes, errorText) {
	const target = megabytes * 1024 * 1024;
	const lines = [];
	let size = 0;
	for (let index = 0; size < target; index++) {
		const line = noise[index % noise.length].replaceAll('{n}', String(index % 997));
		lines.push(line);
		size += line.length + 1;
	}

	lines.splice(lines.length - 40, 0, ...errorText.split('\n'));
	return lines.join('\n') + '\n';
}

export function sampleError() {
	return readFileSync(new URL('../knowledge/diagnoses/extension-module-in-binary/examples/match/rust-lld-cargo-test.log', import.meta.url), 'utf8');
}
