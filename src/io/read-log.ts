import {createReadStream, statSync} from 'node:fs';
import type {Readable} from 'node:stream';

/** A log that cannot be read or is not a text log; the message is for the user as it stands. */
export class InputError extends Error {
	override name = 'InputError';
}

const sniffBytes = 64 * 1024;

/**
Says whether a first chunk looks like a binary file rather than a log: NUL bytes, or many
control bytes that no terminal output contains (ESC, tab, CR, LF, backspace are fine).
*/
export function looksBinary(bytes: Uint8Array): boolean {
	const sample = bytes.subarray(0, sniffBytes);
	let nul = 0;
	let control = 0;
	for (const byte of sample) {
		if (byte === 0) {
			nul++;
		} else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0A && byte !== 0x0D && byte !== 0x1B && byte !== 0x08 && byte !== 0x0C) {
			control++;
		}
	}

	return nul > 0 || control > sample.length * 0.1;
}

export type ReadLogOptions = {
	/** Called for each decoded piece of text, in order. */
	onText: (text: string) => void;
	/** Called once if nothing has arrived after `idleNoticeMs` (piped input from a slow build). */
	onIdle?: () => void;
	idleNoticeMs?: number;
};

/**
Streams a log from a file path or a readable stream (stdin) to `onText`, decoding UTF-8
leniently (invalid bytes become U+FFFD). Returns the number of bytes read.
Throws InputError for a missing file, a directory, a binary file or an unreadable stream.
*/
export async function readLog(source: string | Readable, options: ReadLogOptions): Promise<number> {
	let stream: Readable;
	let label: string;
	if (typeof source === 'string') {
		label = source;
		let stats;
		try {
			stats = statSync(source);
		} catch (error) {
			throw new InputError(describeFsError(source, error));
		}

		if (stats.isDirectory()) {
			throw new InputError(`${source} is a directory; pass the log file inside it, or pipe the log on stdin.`);
		}

		stream = createReadStream(source);
	} else {
		label = 'standard input';
		stream = source;
	}

	const decoder = new TextDecoder('utf-8', {fatal: false});
	let bytes = 0;
	let idleTimer: NodeJS.Timeout | undefined;
	if (options.onIdle) {
		idleTimer = setTimeout(options.onIdle, options.idleNoticeMs ?? 5000);
		idleTimer.unref();
	}

	try {
		for await (const chunk of stream) {
			const buffer: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
			if (bytes === 0) {
				clearTimeout(idleTimer);
				if (looksBinary(buffer)) {
					stream.destroy();
					throw new InputError(`${label} looks like a binary file, not a build log. Pass the text output of the failed build.`);
				}
			}

			bytes += buffer.length;
			options.onText(decoder.decode(buffer, {stream: true}));
		}
	} catch (error) {
		if (error instanceof InputError) {
			throw error;
		}

		throw new InputError(describeFsError(label, error));
	} finally {
		clearTimeout(idleTimer);
	}

	options.onText(decoder.decode());
	return bytes;
}

function describeFsError(label: string, error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	switch (code) {
		case 'ENOENT': {
			return `${label}: no such file. Check the path, or pipe the log on stdin: cargo build 2>&1 | pyo3-doctor diagnose`;
		}

		case 'EACCES':
		case 'EPERM': {
			return `${label}: permission denied. Copy the log somewhere readable, or pipe it on stdin.`;
		}

		case 'EISDIR': {
			return `${label} is a directory; pass the log file inside it.`;
		}

		case 'EBADF':
		case 'EINVAL': {
			return `${label} is closed or not readable. Pass the log as a file argument instead.`;
		}

		default: {
			return `${label} cannot be read: ${(error as Error).message}`;
		}
	}
}
