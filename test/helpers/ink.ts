import {stripAnsi} from '../../src/core/match/normalize.js';

/** The part of an ink-testing-library instance these helpers need. */
export type InkInstance = {lastFrame: () => string | undefined; stdin: {write: (data: string) => void}};

/** Keys as a terminal sends them. */
export const keys = {
	enter: '\r',
	escape: '\u001B',
	up: '\u001B[A',
	down: '\u001B[B',
	left: '\u001B[D',
	pageDown: '\u001B[6~',
	ctrlD: '\u0004',
	backspace: '\u007F',
	pasteStart: '\u001B[200~',
	pasteEnd: '\u001B[201~',
} as const;

// Lets React run effects (useInput subscribes in one) before the next input is written.
async function settle(): Promise<void> {
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	await new Promise(resolve => {
		setTimeout(resolve, 0);
	});
}

/** The last frame without colour codes. */
export function frameText(instance: InkInstance): string {
	return stripAnsi(instance.lastFrame() ?? '');
}

/**
Waits until the frame satisfies `predicate` (or contains the text), polling once per tick
instead of sleeping; fails with the last frame after `timeoutMs`.
*/
export async function waitForFrame(instance: InkInstance, expected: string | RegExp | ((frame: string) => boolean), timeoutMs = 4000): Promise<string> {
	const test = typeof expected === 'function' ? expected : (frame: string) => (typeof expected === 'string' ? frame.includes(expected) : expected.test(frame));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const frame = frameText(instance);
		if (test(frame)) {
			return frame;
		}

		if (Date.now() > deadline) {
			throw new Error(`The frame never showed ${String(expected)}. Last frame:\n${frame}`);
		}

		await settle();
	}
}

/** Waits until the frame differs from `previous`. */
export async function waitForChange(instance: InkInstance, previous: string, timeoutMs = 4000): Promise<string> {
	return waitForFrame(instance, frame => frame !== previous, timeoutMs);
}

/** Types keys once the screen is listening, then waits for the expected frame. */
export async function press(instance: InkInstance, data: string, expected?: string | RegExp | ((frame: string) => boolean)): Promise<string> {
	await settle();
	const before = frameText(instance);
	instance.stdin.write(data);
	return expected === undefined ? waitForChange(instance, before) : waitForFrame(instance, expected);
}
