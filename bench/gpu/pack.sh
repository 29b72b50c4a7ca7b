#!/bin/sh
# Packs the WebGPU benches for a GPU machine that has neither Node nor a network
# (bench/README.md, "On a machine with a GPU"): one archive with Node itself,
# bench:train and bench:infer bundled into one file each (tfjs and our packages
# inside), the wasm backend's binaries and Dawn (the `webgpu` package's JS and its
# linux-x64 dawn.node), plus run.sh. About 35 MB in all.
#   bench/gpu/pack.sh [OUT]      (default bench/gpu/out)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/out}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pnpm --dir "$root" exec turbo run build --filter=resnet-bench^... --output-logs=errors-only >&2
esbuild=$(ls -d "$root"/node_modules/.pnpm/esbuild@*/node_modules/esbuild/bin/esbuild | tail -1)
for b in train infer; do
  # ESM with the require() and __dirname of tfjs' CommonJS parts (the wasm backend finds its
  # .wasm files beside it); Dawn and the optional native packages stay outside.
  "$esbuild" "$root/bench/src/$b.ts" --bundle --minify --platform=node --format=esm --target=node20 --log-level=warning \
    --outfile="$stage/bench-$b.mjs" --external:webgpu --external:onnxruntime-node \
    --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu \
    --banner:js="import { createRequire as __cr } from 'node:module'; import { dirname as __dn } from 'node:path'; import { fileURLToPath as __fp } from 'node:url'; const require = __cr(import.meta.url); const __dirname = __dn(__fp(import.meta.url));"
done
wasm=$(cd "$root/bench" && node -e "console.log(require('path').dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')))")
cp "$wasm"/dist/*.wasm "$stage/"
dawn=$(ls -d "$root"/node_modules/.pnpm/webgpu@*/node_modules/webgpu | tail -1)
mkdir -p "$stage/node_modules/webgpu/dist/linux-x64"
cp "$dawn/package.json" "$dawn/index.js" "$stage/node_modules/webgpu/"
cp "$dawn/dist/linux-x64/dawn.node" "$stage/node_modules/webgpu/dist/linux-x64/"
cp "$(command -v node)" "$stage/node"
mkdir -p "$out"
tar -C "$stage" -cf - . | xz -T0 -6 > "$out/webgpu-bench.tar.xz"
cp "$here/run.sh" "$out/"
du -sh "$out"/*
