#!/usr/bin/env node
// Prints `N passed, N failed` over every package's tests and the workspace checks;
// exits 1 when anything failed.
import { computeTotals } from './lib/totals.mjs';

const { passed, failed, notes } = computeTotals();
if (!process.argv.includes('--line-only')) for (const note of notes) console.log(note);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
