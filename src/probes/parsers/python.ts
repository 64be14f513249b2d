/**
The script every Python candidate runs (one invocation each). It prints one JSON object and
works from Python 2.7 on, so that an old `python` on PATH is still described, not mistaken
for a broken one. Wheel tags follow packaging's rules for glibc Linux: manylinux_2_X down to
2_17, then linux_<arch>.
*/
export const pythonProbeScript = String.raw`
import json, os, sys, sysconfig
def cv(name):
    value = sysconfig.get_config_var(name)
    return value if isinstance(value, (str, int)) else None
def exists(d, f):
    return bool(d and f and os.path.exists(os.path.join(d, f)))
libdir, ldlib, soname, multiarch = cv("LIBDIR"), cv("LDLIBRARY"), cv("INSTSONAME"), cv("MULTIARCH")
found = exists(libdir, soname) or exists(libdir, ldlib) or (bool(multiarch) and exists(os.path.join(libdir or "", str(multiarch)), soname))
platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
tags = []
glibc = None
try:
    glibc = os.confstr("CS_GNU_LIBC_VERSION")
except (AttributeError, ValueError, OSError):
    pass
if platform.startswith("linux_") and glibc and glibc.startswith("glibc "):
    arch = platform[len("linux_"):]
    minor = int(glibc.split()[1].split(".")[1])
    tags = ["manylinux_2_%d_%s" % (m, arch) for m in range(minor, 16, -1)]
tags.append(platform)
purelib = sysconfig.get_path("purelib")
stdlib = sysconfig.get_path("stdlib")
has_maturin = None
try:
    import importlib.util
    has_maturin = importlib.util.find_spec("maturin") is not None
except Exception:
    pass
suffixes = None
try:
    import importlib.machinery
    suffixes = list(importlib.machinery.EXTENSION_SUFFIXES)
except Exception:
    pass
base = getattr(sys, "base_prefix", getattr(sys, "real_prefix", sys.prefix))
print(json.dumps({
    "version": "%d.%d" % sys.version_info[:2],
    "fullVersion": "%d.%d.%d" % sys.version_info[:3],
    "implementation": {"cpython": "CPython", "pypy": "PyPy", "graalpy": "GraalPy"}.get(getattr(getattr(sys, "implementation", None), "name", "cpython"), "other"),
    "executable": sys.executable,
    "prefix": sys.prefix,
    "basePrefix": base,
    "sharedLibpython": cv("Py_ENABLE_SHARED") == 1,
    "libdir": libdir, "ldlibrary": ldlib, "instsoname": soname,
    "libpythonExists": found,
    "extSuffix": cv("EXT_SUFFIX"), "soabi": cv("SOABI"), "extensionSuffixes": suffixes,
    "gilDisabled": cv("Py_GIL_DISABLED") == 1,
    "externallyManaged": sys.prefix == base and os.path.exists(os.path.join(stdlib or "", "EXTERNALLY-MANAGED")),
    "sitePackagesWritable": bool(purelib) and os.access(purelib if os.path.exists(purelib) else os.path.dirname(purelib), os.W_OK),
    "wheelTags": tags[:6] + ([platform] if platform not in tags[:6] else []),
    "hasMaturin": has_maturin,
    "purelib": purelib, "stdlib": stdlib,
}))
`;

/** What one interpreter says about itself. */
export type PythonInfo = {
	version: string;
	fullVersion: string;
	implementation: string;
	executable: string;
	prefix: string;
	basePrefix: string;
	sharedLibpython: boolean;
	libdir?: string;
	ldlibrary?: string;
	instsoname?: string;
	libpythonExists: boolean;
	extSuffix?: string;
	soabi?: string;
	/** The file name endings `import` loads native modules by (importlib.machinery.EXTENSION_SUFFIXES). */
	extensionSuffixes?: string[];
	gilDisabled: boolean;
	externallyManaged: boolean;
	sitePackagesWritable: boolean;
	wheelTags: string[];
	hasMaturin?: boolean;
};

const optionalStrings = ['libdir', 'ldlibrary', 'instsoname', 'extSuffix', 'soabi'] as const;
const requiredStrings = ['version', 'fullVersion', 'implementation', 'executable', 'prefix', 'basePrefix'] as const;
const requiredBooleans = ['sharedLibpython', 'libpythonExists', 'gilDisabled', 'externallyManaged', 'sitePackagesWritable'] as const;

/** Parses the probe script's output; undefined when it is not the object the script prints. */
export function parsePythonProbe(stdout: string): PythonInfo | undefined {
	const line = stdout.split('\n').findLast(candidate => candidate.trimStart().startsWith('{'));
	if (!line) {
		return undefined;
	}

	let raw: Record<string, unknown>;
	try {
		raw = JSON.parse(line) as Record<string, unknown>;
	} catch {
		return undefined;
	}

	if (raw === null || typeof raw !== 'object') {
		return undefined;
	}

	const info: Record<string, unknown> = {};
	for (const key of requiredStrings) {
		if (typeof raw[key] !== 'string' || raw[key] === '') {
			return undefined;
		}

		info[key] = raw[key];
	}

	for (const key of requiredBooleans) {
		info[key] = raw[key] === true;
	}

	for (const key of optionalStrings) {
		if (typeof raw[key] === 'string' && raw[key] !== '') {
			info[key] = raw[key];
		}
	}

	info.wheelTags = Array.isArray(raw.wheelTags) ? raw.wheelTags.filter(tag => typeof tag === 'string') : [];
	if (Array.isArray(raw.extensionSuffixes)) {
		info.extensionSuffixes = raw.extensionSuffixes.filter(suffix => typeof suffix === 'string' && suffix !== '');
	}

	if (typeof raw.hasMaturin === 'boolean') {
		info.hasMaturin = raw.hasMaturin;
	}

	return info as PythonInfo;
}

/** The part of `python --version` pyo3 looks at: "Python 3.11.7" → "3.11.7". */
export function parsePythonVersion(output: string): string | undefined {
	return /^(?:Python|GraalPy) (\d+\.\d+\.\d+)/m.exec(output)?.[1];
}
