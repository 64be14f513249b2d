import {closeSync, openSync} from 'node:fs';
import tty from 'node:tty';

/**
Opens the controlling terminal for reading keys, for when standard input carries a piped log.
Returns undefined where there is none (CI, cron, a detached process).
*/
export function openTerminalKeyboard(device = '/dev/tty'): tty.ReadStream | undefined {
	let fd: number | undefined;
	try {
		fd = openSync(device, 'r');
		if (!tty.isatty(fd)) {
			closeSync(fd);
			return undefined;
		}

		return new tty.ReadStream(fd);
	} catch {
		if (fd !== undefined) {
			closeSync(fd);
		}

		return undefined;
	}
}
