import {pyo3PythonSupport, type Pyo3PythonSupport} from '../facts/pyo3-support.js';
import {compareVersions} from './conditions.js';

/**
Knowledge text states pyo3's supported Python versions through placeholders rendered from the
support table (src/core/facts/pyo3-support.ts), so that the table stays the one place that
knows them:

- `{{pyo3-support:series-accepting 3.7}}` → `0.16–0.28`, the pyo3 series that build for that Python;
- `{{pyo3-support:min-python 0.29}}` → `3.8`; `{{pyo3-support:max-python 0.22}}` → `3.13`
  (without a series: of the newest one the table knows, `{{pyo3-support:newest-series}}`);
- `{{pyo3-support:first-experimental-series}}` → the first series that builds the next Python with a warning.
*/
const placeholder = /\{\{pyo3-support:([a-z-]+)(?: ([\d.]+))?\}\}/g;

const oldestFirst = (): Pyo3PythonSupport[] => [...pyo3PythonSupport].sort((a, b) => compareVersions(a.series, b.series));

// The row of a series, or of the newest series when none is named.
function seriesRow(series: string | undefined): Pyo3PythonSupport | undefined {
	return series === undefined ? oldestFirst().at(-1) : pyo3PythonSupport.find(row => row.series === series);
}

/** The series that build for `python`, as "first–last" (or one series), or undefined when none does. */
export function seriesAccepting(python: string): string | undefined {
	const accepting = oldestFirst().filter(row => compareVersions(row.minPython, python) <= 0 && compareVersions(python, row.maxPython) <= 0);
	if (accepting.length === 0) {
		return undefined;
	}

	const first = accepting[0]!.series;
	const last = accepting.at(-1)!.series;
	return first === last ? first : `${first}–${last}`;
}

function renderOne(name: string, argument: string | undefined): string | undefined {
	switch (name) {
		case 'series-accepting': {
			return argument ? seriesAccepting(argument) : undefined;
		}

		case 'min-python': {
			return seriesRow(argument)?.minPython;
		}

		case 'max-python': {
			return seriesRow(argument)?.maxPython;
		}

		case 'newest-series': {
			return seriesRow(undefined)?.series;
		}

		case 'first-experimental-series': {
			return oldestFirst().find(row => row.nextIsExperimental)?.series;
		}

		default: {
			return undefined;
		}
	}
}

/** Replaces every support placeholder; `unknown` lists the ones the table cannot answer. */
export function renderSupportText(text: string): {text: string; unknown: string[]} {
	const unknown: string[] = [];
	const rendered = text.replaceAll(placeholder, (whole, name: string, argument: string | undefined) => {
		const value = renderOne(name, argument);
		if (value === undefined) {
			unknown.push(whole);
			return whole;
		}

		return value;
	});
	return {text: rendered, unknown};
}
