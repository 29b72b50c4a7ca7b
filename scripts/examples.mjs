#!/usr/bin/env node
// The examples in examples/ must compile and run: type-check them all with tsc,
// then run each with --tiny (small inputs, a few training steps) through tsx.
// An example passes when it exits 0 and prints `example ok` (each checks its own
// results and throws when they are wrong). They import the packages the way a
// user does (examples/ is a workspace package depending on them), so the
// packages must be built first: `pnpm build`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exitOnHelp } from './lib/usage.mjs';

exitOnHelp(`usage: node scripts/examples.mjs [name-prefix…]

Type-checks examples/ and runs each example (or those whose file name starts with a prefix)
with --tiny; each must print "example ok". Needs pnpm build. EXAMPLE_TIMEOUT_S (default 300).`);

const root = resolve(import.meta.dirname, '..');
const dir = join(root, 'examples');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const TIMEOUT_S = Number(process.env.EXAMPLE_TIMEOUT_S ?? 300);

const missing = readdirSync(join(root, 'packages')).filter((p) => !existsSync(join(root, 'packages', p, 'dist', 'index.js')));
if (missing.length > 0) {
  console.error(`examples: packages not built (${missing.join(', ')}): run \`pnpm build\` first`);
  process.exit(1);
}

const only = process.argv.slice(2);
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const results = [];
let t = Date.now();
const tsc = spawnSync(bin('tsc'), ['-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
results.push({ name: 'tsc -p examples', ok: tsc.status === 0, seconds: (Date.now() - t) / 1000 });

/** Runs one example; resolves to { ok, seconds }; prints its output indented. */
function runExample(file) {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(bin('tsx'), [join(dir, file), '--tiny'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d) => {
      out += d;
      // emscripten prints its whole minified module on an uncaught error: keep lines short
      for (const line of String(d).split('\n')) if (line.trim()) console.log(`  | ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_S * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (Date.now() - t0) / 1000;
      const printedOk = /^example ok$/m.test(out);
      let why = '';
      if (signal) why = ` (killed by ${signal}${signal === 'SIGKILL' ? `, over ${TIMEOUT_S} s` : ''})`;
      else if (code !== 0) why = ` (exit ${code})`;
      else if (!printedOk) why = " (exit 0 but did not print 'example ok')";
      done({ ok: code === 0 && printedOk, seconds, why });
    });
  });
}

for (const file of examples) {
  console.log(`\n--- examples: tsx examples/${file} --tiny`);
  const r = await runExample(file);
  results.push({ name: file, ...r });
}

console.log('\n--- examples: summary');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)${r.why ?? ''}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`examples: ${results.length - failed} of ${results.length} checks passed`);
process.exit(failed > 0 ? 1 : 0);
