import type {Tone} from './state/layout.js';

/** Text props for one tone: colours only when colour is on (NO_COLOR / FORCE_COLOR / a terminal). */
export type ToneProps = {color?: string; dimColor?: boolean};

const colourByTone: Record<Tone, ToneProps> = {
	title: {},
	id: {color: 'cyan'},
	dim: {dimColor: true},
	good: {color: 'green'},
	warn: {color: 'yellow'},
	bad: {color: 'red'},
	accent: {color: 'cyan'},
	added: {color: 'green'},
	removed: {color: 'red'},
	hunk: {color: 'cyan'},
};

export type Theme = {colour: boolean; tone: (tone: Tone | undefined) => ToneProps};

export function makeTheme(colour: boolean): Theme {
	return {colour, tone: tone => (colour && tone ? colourByTone[tone] : {})};
}

/** Status marks for probe lines and checks, the same with and without colour. */
export const statusMark = {ok: '✓', warn: '!', error: '✗'} as const;
export const statusTone = {ok: 'good', warn: 'warn', error: 'bad'} as const;
