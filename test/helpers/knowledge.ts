import {loadKnowledge} from '../../src/io/knowledge-dir.js';

/** The shipped knowledge base, loaded once per test file. */
export const knowledgeBase = await loadKnowledge();
export const knowledge = knowledgeBase.entries;
