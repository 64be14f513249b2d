/** Every exit code the CLI uses; the README's table is written from this one. */
export const ExitCode = {
	/** Diagnosed, or nothing found, or the command did what was asked. */
	ok: 0,
	/** `check`: something is wrong in the environment or project; `run`: never (the build's own code is used). */
	problemsFound: 1,
	/** Unknown command or option, missing argument. */
	usage: 2,
	/** The log or project could not be read: missing, a directory, binary, empty, closed stdin. */
	inputUnreadable: 3,
	/** A patch was refused or could not be written; nothing was changed. */
	patchRefused: 4,
	/** The knowledge base could not be loaded at all, or a bug. */
	internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A problem the user can fix; its message is printed as it stands, with no stack. */
export class UserError extends Error {
	override name = 'UserError';
	constructor(
		message: string,
		readonly exitCode: ExitCodeValue,
	) {
		super(message);
	}
}
