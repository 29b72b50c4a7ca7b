#!/usr/bin/env node
// Compiles csrc/*.c to WebAssembly and writes the modules, base64-encoded, to
// src/wasm/simd-binary.ts together with the sources' sha256 (a unit test fails
// when a source changes without a rebuild). Four builds of the same kernels:
// plain SIMD128 and relaxed SIMD (fused multiply-add), each for an imported plain
// memory (tfjs' heap) and for a shared one (tfjs' shared heap and the kernel workers).
// Needs clang and wasm-ld (Debian: apt-get install clang-16 lld-16); set CLANG
// to pick a compiler. Run: pnpm --filter @resnet/backend build:kernels
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitOnHelp } from '../../../scripts/lib/usage.mjs';
import { kernelSources, kernelSourcesSha256 } from './kernel-sources.mjs';

exitOnHelp(`usage: pnpm --filter @resnet/backend build:kernels   (CLANG=path picks the compiler)

Compiles csrc/*.c to WebAssembly (clang, wasm-ld; apt-get install clang-16 lld-16) and writes
the modules, base64, with the sources' sha256 to src/wasm/simd-binary.ts.`);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'src', 'wasm', 'simd-binary.ts');

function findClang() {
  const candidates = [process.env.CLANG, 'clang', 'clang-19', 'clang-16', 'clang-14'].filter(Boolean);
  for (const c of candidates) {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return c;
    } catch { /* try the next */ }
  }
  throw new Error('build-kernels: no clang found; install one with wasm32 support (Debian: apt-get install clang-16 lld-16) or set CLANG');
}

/**
 * Throws when a module uses a stack (any global.get/set: the linker's stack pointer
 * is the only global) or carries data of its own (a data section, id 11): either
 * would live in tfjs' heap, which the module shares. Needs llvm-objdump beside clang.
 */
function checkNoStackNoData(bytes, path, name) {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      size |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    if (id === 11 && size > 1) throw new Error(`build-kernels: ${name} has a data section; the kernels must have no data`);
    at += size;
  }
  const objdump = [process.env.LLVM_OBJDUMP, 'llvm-objdump-19', 'llvm-objdump-16', 'llvm-objdump'].filter(Boolean).find((c) => {
    try {
      execFileSync(c, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (objdump == null) throw new Error('build-kernels: llvm-objdump not found (Debian: apt-get install llvm-16), needed to check the kernels use no stack');
  const uses = execFileSync(objdump, ['-d', path], { maxBuffer: 1 << 28 }).toString().split('\n').filter((l) => /\bglobal\.(get|set)\b/.test(l));
  if (uses.length > 0) throw new Error(`build-kernels: ${name} uses a stack (${uses.length} global accesses, e.g. ${uses[0].trim()}); keep local arrays indexed by constants`);
}

const clang = findClang();
const sources = kernelSources(root).filter((f) => f.endsWith('.c'));
const common = [
  '--target=wasm32', '-O3', '-msimd128', '-nostdlib', '-fno-builtin', '-Wall', '-Wextra', '-Werror',
  '-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--strip-all',
  // No stack: placed first with size 0, any use of it would trap (address wrap) instead
  // of writing into the tfjs heap the module shares.
  '-Wl,--stack-first', '-Wl,-z,stack-size=0',
];
// The same kernels for a shared memory (4 GiB maximum): tfjs' shared heap, and the kernel workers.
const shared = ['-matomics', '-mbulk-memory', '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'];
const relaxed = ['-mrelaxed-simd'];
const dir = mkdtempSync(join(tmpdir(), 'resnet-kernels-'));
try {
  const build = (flags, name) => {
    const out = join(dir, name);
    execFileSync(clang, [...common, ...flags, '-o', out, ...sources], { stdio: 'inherit' });
    const bytes = readFileSync(out);
    checkNoStackNoData(bytes, out, name);
    return bytes;
  };
  const modules = {
    SIMD_MODULE_BASE64: ['plain SIMD128, plain memory', build([], 'kernels.wasm')],
    SIMD_RELAXED_MODULE_BASE64: ['relaxed SIMD (FMA), plain memory', build(relaxed, 'kernels-relaxed.wasm')],
    SIMD_SHARED_MODULE_BASE64: ['plain SIMD128, shared memory (tfjs shared heap, kernel workers)', build(shared, 'kernels-shared.wasm')],
    SIMD_SHARED_RELAXED_MODULE_BASE64: ['relaxed SIMD (FMA), shared memory', build([...shared, ...relaxed], 'kernels-shared-relaxed.wasm')],
  };
  const b64 = (bytes) => bytes.toString('base64').replace(/.{1,100}/g, (line) => `  '${line}' +\n`);
  const body = Object.entries(modules).map(([name, [what, bytes]]) =>
    `/** The kernels' module: ${what} (${bytes.length} bytes), base64. */\nexport const ${name} =\n${b64(bytes)}  '';\n`).join('\n');
  writeFileSync(target, `// Generated by scripts/build-kernels.mjs from csrc/: do not edit.
// ${execFileSync(clang, ['--version']).toString().split('\n')[0]}

/** sha256 of the C sources these binaries were built from (see scripts/kernel-sources.mjs). */
export const SIMD_SOURCE_SHA256 = '${kernelSourcesSha256(root)}';

${body}`);
  console.log(`build-kernels: ${Object.values(modules).map(([, b]) => b.length).join(' + ')} bytes → ${target}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
