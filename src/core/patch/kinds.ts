import {cargoFixKinds} from './cargo-fix-kinds.js';
import {maturinFlags} from './maturin-flags.js';
import {nixKinds} from './nix-kinds.js';
import {nixRemoveAttr} from './nix-remove-attr.js';
import {textKinds} from './text-kinds.js';
import {tomlKinds} from './toml-kinds.js';
import type {EditKind} from './types.js';

/** Every edit kind a knowledge entry may name in `fixes[].edits[].kind`. */
export const editKinds: ReadonlyMap<string, EditKind> = new Map(
	([...tomlKinds, ...cargoFixKinds, ...nixKinds, nixRemoveAttr, ...textKinds, maturinFlags] as unknown as EditKind[]).map(kind => [kind.kind, kind]),
);
