import {readFileSync} from 'node:fs';
import {knowledge} from '../helpers/knowledge.js';
import {diagnoseText} from '../../src/ui/state/diagnose-text.js';
import {findingBody, applicableFixes} from '../../src/ui/state/finding-lines.js';
import {wrapStyled} from '../../src/ui/state/layout.js';
const log = readFileSync('knowledge/diagnoses/extension-module-in-binary/examples/match/rust-lld-cargo-test.log','utf8');
const r = diagnoseText(knowledge, log.replaceAll('\n', '\n'), {});
console.log(r.lines, r.findings.length);
const f = r.findings[0]!;
const fixes = applicableFixes(f.diagnosis, {});
const body = findingBody(f, fixes[0], fixes.length, {state: 'unavailable'});
console.log(body.length);
for (const l of body) { const t = Date.now(); wrapStyled([l], 79); if (Date.now() - t > 50) console.log('slow', l); }
console.log(wrapStyled(body, 79).length);
