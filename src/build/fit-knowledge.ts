// `npm run knowledge:fit`: fits every entry's signature weights and counter-signature
// penalties to the labelled logs (see training-logs.ts), picks the prior width by
// cross-validation, and writes knowledge/diagnoses/<id>/fitted.json and knowledge/fit.json.
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {bestPriorWidth, crossValidate, fitAll, type Figures} from '../core/match/fit.js';
import {defaultKnowledgeDir, fittedFileName, formatProblems, loadKnowledge} from '../io/knowledge-dir.js';
import {trainingLogs} from './training-logs.js';

/** The prior widths cross-validation chooses from (standard deviation of a weight's log-odds). */
export const priorWidths = [0.5, 1, 2, 4];

export const fitSummaryFile = path.join(defaultKnowledgeDir, 'fit.json');

const root = fileURLToPath(new URL('../..', import.meta.url));

export function describeFigures(figures: Figures): string {
	const share = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${part}/${whole} = ${(part / whole).toFixed(3)}`);
	return [
		`top-1 (right class first and ≥ 0.5) ${share(figures.topOne, figures.labelled)}`,
		`near misses with a finding ≥ 0.5: ${figures.nearMissesConfident}/${figures.nearMisses}`,
		`findings ≥ 0.5 that are right ${share(figures.confidentRight, figures.confidentFindings)}`,
		`right top findings at ≥ 0.5 ${share(figures.rightTopConfident, figures.rightTop)}`,
	].join('; ');
}

const {entries: knowledge, problems} = await loadKnowledge(defaultKnowledgeDir, undefined, {fitted: false});
if (problems.length > 0) {
	process.stderr.write(`${formatProblems(problems)}\n`);
	process.exit(1);
}

const logs = trainingLogs(knowledge, root);
const validation = crossValidate(knowledge, logs, priorWidths);
for (const {priorWidth, figures} of validation) {
	process.stdout.write(`cross-validation, prior width ${priorWidth}: ${describeFigures(figures)}\n`);
}

const priorWidth = bestPriorWidth(validation);
const fitted = fitAll(knowledge, logs, priorWidth);
for (const entry of knowledge) {
	writeFileSync(path.join(entry.dir, fittedFileName), `${JSON.stringify(fitted.get(entry.id), undefined, '\t')}\n`);
}

const chosen = validation.find(item => item.priorWidth === priorWidth)!;
writeFileSync(
	fitSummaryFile,
	`${JSON.stringify({priorWidth, trainingLogs: logs.length, crossValidation: chosen.figures}, undefined, '\t')}\n`,
);
process.stdout.write(`fitted ${knowledge.length} entries on ${logs.length} logs with prior width ${priorWidth}\n`);
