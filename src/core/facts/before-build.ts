import type {Condition, LoadedDiagnosis} from '../knowledge/schema.js';
import type {Facts} from '../knowledge/conditions.js';
import {findingsFromFacts} from '../match/from-facts.js';
import type {Finding} from '../match/rank.js';
import {checkAreas, type CheckArea, type CheckLine} from './checks.js';

/** What `check` reports and the wizard opens with: one line per area, and the problems the facts prove. */
export type BeforeBuildReport = {checks: CheckLine[]; findings: Finding[]};

/** A proof at least this confident means the build will break: its area is ✗ rather than !. */
const breaksAt = 0.5;

function factNames(condition: Condition): string[] {
	if ('all' in condition) {
		return condition.all.flatMap(part => factNames(part));
	}

	if ('any' in condition) {
		return condition.any.flatMap(part => factNames(part));
	}

	return 'not' in condition ? factNames(condition.not) : [condition.fact];
}

/**
The area a proven problem belongs to: the entry's `provenBy.area`, else the area of the first
fact its proof reads that belongs to an area (not `derived.*` or `env.*`), else the project
(derived facts mostly weigh the project's files).
*/
export function provenArea(entry: LoadedDiagnosis): CheckArea {
	if (entry.provenBy?.area) {
		return entry.provenBy.area;
	}

	const roots = entry.provenBy ? factNames(entry.provenBy.when).map(name => name.split('.')[0]) : [];
	const areas: readonly string[] = checkAreas;
	return (roots.find(root => areas.includes(root ?? '')) as CheckArea | undefined) ?? 'project';
}

/**
The proof step shared by `pyo3-doctor check` and the wizard: the findings the facts prove, and
the area lines marked so that an area holding a proven problem is never ✓ and names it.
*/
export function proveBeforeBuild(knowledge: readonly LoadedDiagnosis[], facts: Facts, checks: readonly CheckLine[]): BeforeBuildReport {
	const findings = findingsFromFacts(knowledge, facts);
	const marked = checks.map((check): CheckLine => {
		const here = findings.filter(finding => provenArea(finding.diagnosis) === check.area);
		if (here.length === 0) {
			return check;
		}

		const proven: CheckLine['status'] = here.some(finding => finding.confidence >= breaksAt) ? 'error' : 'warn';
		const status = check.status === 'error' || proven === 'error' ? 'error' : 'warn';
		const ids = `known problem${here.length === 1 ? '' : 's'}: ${here.map(finding => finding.diagnosis.id).join(', ')}`;
		const hint = check.status !== 'ok' && check.hint ? `${check.hint}; ${ids}` : ids;
		return {...check, status, hint};
	});
	return {checks: marked, findings};
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** One line that counts what was checked and found, the same in `check` and in the wizard. */
export function beforeBuildSummary({checks, findings}: BeforeBuildReport): string {
	const issues = checks.filter(check => check.status !== 'ok').length;
	const parts = [...(issues > 0 ? [`issues in ${plural(issues, 'area')}`] : []), ...(findings.length > 0 ? [plural(findings.length, 'known problem')] : [])];
	return `${plural(checks.length, 'area')} checked, ${parts.length > 0 ? parts.join(', ') : 'no issues found'}`;
}
