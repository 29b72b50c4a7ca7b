// Runs the docs' programs where a user would: in a fresh project holding the
// packed tarballs installed with plain npm (scripts/lib/consumer-project.mjs),
// each program an ES module (types stripped by esbuild) run by node, two at a
// time, offline for weights.
// The only stand-ins: pretrained weights a block names in a `weights` marker are
// random weights of the right shape put into a zoo cache folder beforehand
// (through the zoo's own download code, from an in-memory fetch), and files a
// `file` marker names are copies of repository files.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { probe, tail } from './probe.mjs';

const TIMEOUT_S = 120;

/** What the programs import besides the tarballs: tfjs, and sharp to decode image files in Node. */
export function consumerDeps(root) {
  const examples = createRequire(join(root, 'examples', 'package.json'))('./package.json');
  return ['@tensorflow/tfjs@4.22.0', `sharp@${examples.dependencies.sharp}`];
}

/**
 * Packs and installs the tarballs (scripts/lib/consumer-project.mjs) in a child
 * process, so the caller resolves commands meanwhile, then makes the stand-in
 * weights `programs` name. Resolves to `{ dir, caches }`; `dir` is removed by the caller.
 */
export async function prepareProject(root, programs) {
  const lib = pathToFileURL(join(root, 'scripts', 'lib', 'consumer-project.mjs')).href;
  const script = `const { packAndInstall } = await import(${JSON.stringify(lib)});
console.log(JSON.stringify(packAndInstall('resnet-docs-check-', ${JSON.stringify(consumerDeps(root))})));`;
  const r = await probe('node', ['--input-type=module', '-e', script], root, { timeoutS: 600 });
  const dir = r.status === 0 ? JSON.parse(r.output.trim().split('\n').pop()).dir : null;
  if (!dir) throw new Error(`packing and installing the tarballs failed:\n${tail(r.output, 12)}`);
  try {
    return { dir, caches: await makeStandIns(dir, programs) };
  } catch (e) {
    e.dir = dir;
    throw e;
  }
}

/**
 * Runs `programs` (from planPrograms, not skipped) in the project `prepareProject`
 * made; resolves to `[{ program, ok, seconds, output }]` in order.
 */
export async function runPrograms(root, { dir, caches }, programs, concurrency = 2) {
  const results = new Array(programs.length);
  let next = 0;
  const worker = async () => {
    while (next < programs.length) {
      const i = next++;
      results[i] = await runOne(root, dir, programs[i], i, caches);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

async function runOne(root, dir, program, i, caches) {
  const work = join(dir, 'docs', `p${i}`);
  mkdirSync(work, { recursive: true });
  for (const f of program.files) copyFileSync(join(root, f.from), join(work, f.name));
  const file = join(work, 'program.mjs');
  let js;
  try {
    // `export {}`: a module, so top-level await works even in a block without imports.
    js = transformSync(`${program.code}\nexport {};\n`, { loader: 'ts', format: 'esm', target: 'node20' }).code;
  } catch (e) {
    return { program, ok: false, seconds: 0, output: `not TypeScript: ${e.message}` };
  }
  writeFileSync(file, js);
  const cache = caches.get(cacheKey(program.weights)) ?? join(dir, 'docs', 'empty-cache');
  const env = { RESNET_ZOO_CACHE: cache, RESNET_ZOO_OFFLINE: '1' };
  const t0 = Date.now();
  const r = await probe('node', [file], work, { env, timeoutS: TIMEOUT_S });
  const seconds = (Date.now() - t0) / 1000;
  return { program, ok: r.status === 0, seconds, output: r.status === 0 ? '' : `exit ${r.status}\n${tail(r.output, 12)}` };
}

const cacheKey = (tags) => [...new Set(tags)].sort().join('+');

/**
 * For each distinct set of `weights` tags, a zoo cache folder holding exactly
 * those tags: random weights of the tag's model, exported as the tag's format
 * and stored by the zoo's own `downloadPretrained` from an in-memory fetch that
 * announces their SHA-256 (as the Hub does), so later loads verify them offline.
 */
async function makeStandIns(dir, programs) {
  const caches = new Map();
  for (const p of programs) {
    const key = cacheKey(p.weights);
    if (!key || caches.has(key)) continue;
    const cacheDir = join(dir, 'docs', 'weights', key);
    mkdirSync(cacheDir, { recursive: true });
    const script = join(dir, 'docs', 'make-stand-in.mjs');
    writeFileSync(script, STAND_IN);
    for (const tag of new Set(p.weights)) {
      const r = await probe('node', [script, tag, cacheDir], dir, { timeoutS: 300 });
      if (r.status !== 0) throw new Error(`stand-in weights for '${tag}' failed:\n${tail(r.output, 8)}`);
    }
    caches.set(key, cacheDir);
  }
  return caches;
}

const STAND_IN = `import '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { createModel, downloadPretrained, exportWeights, getPretrained } from '@resnet/zoo';
const [tag, cacheDir] = process.argv.slice(2);
const entry = getPretrained(tag);
if (entry.source.format !== 'timm' && entry.source.format !== 'torchvision') throw new Error(\`stand-in weights exist for safetensors tags only; '\${tag}' is \${entry.source.format}\`);
const model = createModel(entry.model, { numClasses: entry.numClasses });
const bytes = exportWeights(model, { to: 'torchvision' });
model.dispose();
const sha = createHash('sha256').update(bytes).digest('hex');
const fetch = async () => ({
  ok: true, status: 200, body: null,
  headers: { get: (n) => ({ etag: \`"\${sha}"\`, 'content-length': String(bytes.byteLength) })[n.toLowerCase()] ?? null },
  arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
});
const got = await downloadPretrained(tag, { cacheDir, fetch, requireVerified: true });
console.log(\`stand-in \${tag}: \${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB at \${got.path}\`);
`;
