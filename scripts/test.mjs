#!/usr/bin/env node
// The whole test suite, as one command: build, type-check, unit tests, lint
// (relative imports name their file, every .ts file is type-checked; publint +
// attw per package), the consumer check, and the later stages listed below.
// Every stage runs even when an earlier one failed, so one run shows every
// problem; the exit code is non-zero if any stage failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitOnHelp } from './lib/usage.mjs';

exitOnHelp(`usage: pnpm test   (node scripts/test.mjs)

Runs every stage (build, typecheck, unit, lint, consumer, docs, typedoc, examples, release,
demo e2e), each even when an earlier one failed; ends with "N passed, N failed".`);

const vitestJson = join(mkdtempSync(join(tmpdir(), 'resnet-test-')), 'vitest.json');

/** Each stage: a name and a shell command; `when` skips stages whose files are not there yet. */
const stages = [
  { name: 'build', cmd: 'pnpm turbo run build' },
  { name: 'typecheck', cmd: 'pnpm typecheck' },
  { name: 'unit', cmd: `pnpm vitest run --reporter=default --reporter=json --outputFile.json=${vitestJson}` },
  { name: 'lint (relative imports, typecheck coverage, publint + attw)', cmd: 'pnpm lint' },
  // The tarballs in a fresh npm project: Node ESM + CJS, then four bundlers + Chromium.
  { name: 'consumer (Node + browser bundlers)', cmd: 'node --import tsx scripts/consumer-check.mjs --browser' },
  // Commands, code blocks and paths of the docs, against the tarballs (scripts/docs-check.mjs).
  { name: 'docs check', cmd: 'node scripts/docs-check.mjs' },
  { name: 'typedoc', cmd: 'pnpm typedoc', when: 'typedoc.json' },
  { name: 'examples', cmd: 'node scripts/examples.mjs', when: 'scripts/examples.mjs' },
  { name: 'release', cmd: 'node scripts/release-test.mjs', when: 'scripts/release-test.mjs' },
  { name: 'demo e2e', cmd: 'pnpm --filter resnet-demo test:e2e', when: 'apps/demo/e2e' },
];

const results = [];
for (const stage of stages) {
  if (stage.when && !existsSync(stage.when)) continue;
  console.log(`\n=== ${stage.name}: ${stage.cmd}`);
  const t0 = Date.now();
  const r = spawnSync(stage.cmd, { stdio: 'inherit', shell: true });
  results.push({ name: stage.name, ok: r.status === 0, seconds: (Date.now() - t0) / 1000 });
}

let tests = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(vitestJson)) {
  const j = JSON.parse(readFileSync(vitestJson, 'utf8'));
  tests = { passed: j.numPassedTests, failed: j.numFailedTests, skipped: j.numPendingTests + j.numTodoTests };
}

console.log('\n=== summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
const stageFailures = results.filter((r) => !r.ok).length;
const stagePasses = results.length - stageFailures;
console.log(`unit tests: ${tests.passed} passed, ${tests.failed} failed, ${tests.skipped} skipped`);
console.log(`${tests.passed + stagePasses} passed, ${tests.failed + stageFailures} failed`);
process.exit(stageFailures > 0 || tests.failed > 0 ? 1 : 0);
