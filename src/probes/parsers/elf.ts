/** Pure parsers for the dynamic section of an ELF file (`readelf -d` output). */

export type DynamicSection = {needed: string[]; runpath: string[]; rpath: string[]};

/**
`readelf -d FILE`: NEEDED libraries and RUNPATH/RPATH directories, e.g.
` 0x000000000000001d (RUNPATH)            Library runpath: [/nix/store/…/lib:$ORIGIN]`.
*/
export function parseReadelfDynamic(stdout: string): DynamicSection {
	const section: DynamicSection = {needed: [], runpath: [], rpath: []};
	for (const line of stdout.split('\n')) {
		const match = /\((NEEDED|RUNPATH|RPATH)\)\s+[^[]*\[([^\]]*)\]/.exec(line);
		if (!match) {
			continue;
		}

		const value = match[2]!;
		if (match[1] === 'NEEDED') {
			section.needed.push(value);
		} else {
			section[match[1] === 'RUNPATH' ? 'runpath' : 'rpath'].push(...value.split(':').filter(Boolean));
		}
	}

	return section;
}

/** Says whether a file's first bytes are an ELF header. */
export function isElf(head: Uint8Array): boolean {
	return head.length >= 4 && head[0] === 0x7F && head[1] === 0x45 && head[2] === 0x4C && head[3] === 0x46;
}
