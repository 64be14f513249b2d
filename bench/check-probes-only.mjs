// The probe phase of `pyo3-doctor check` alone (no knowledge base): what envinfo does, for pyo3.
// Usage: node bench/check-probes-only.mjs [PROJECT_DIR]   (after npm run build)
import {collectFacts} from '../dist/probes/collect.js';

const {facts} = await collectFacts({cwd: process.cwd(), env: process.env, ...(process.argv[2] ? {projectDir: process.argv[2]} : {})});
process.stdout.write(`${JSON.stringify({facts})}\n`);
