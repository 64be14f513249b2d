import {existsSync} from 'node:fs';
import os from 'node:os';
import {probeRun, type ProbeContext} from './context.js';
import {parseGlibcVersion} from './parsers/tools.js';

export type SystemFacts = {os: string; arch: string; glibcVersion?: string; manylinuxTag?: string; isNixOS: boolean; problem?: string};

/** Node's machine names to the names wheel tags use. */
const archNames: Record<string, string> = {x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', arm: 'armv7l', ppc64: 'ppc64le', s390x: 's390x'};

/** OS, architecture and glibc: which manylinux tag a wheel built here may need. */
export async function probeSystem(context: ProbeContext): Promise<SystemFacts> {
	const platform = os.platform();
	const arch = os.machine?.() || archNames[os.arch()] || os.arch();
	const facts: SystemFacts = {os: platform, arch, isNixOS: existsSync('/etc/NIXOS')};
	if (platform !== 'linux') {
		return facts;
	}

	const getconf = await probeRun(context, 'getconf', ['GNU_LIBC_VERSION']);
	let glibc = parseGlibcVersion(getconf.stdout);
	if (!glibc) {
		const ldd = await probeRun(context, 'ldd', ['--version']);
		glibc = parseGlibcVersion(`${ldd.stdout}\n${ldd.stderr}`);
		// Without an answer from either, glibc is unknown, not absent.
		const silent = [getconf, ldd].find(result => result.status !== 'ok' && result.status !== 'missing' && result.status !== 'failed');
		if (!glibc && silent) {
			facts.problem = silent.shortMessage;
		} else if (!glibc && getconf.status === 'ok') {
			// getconf answered, but not with a glibc version: unknown, not "no glibc".
			facts.problem = 'getconf GNU_LIBC_VERSION: printed no version';
		}
	}

	if (glibc) {
		facts.glibcVersion = glibc;
		facts.manylinuxTag = `manylinux_${glibc.replace('.', '_')}_${arch}`;
	}

	return facts;
}
