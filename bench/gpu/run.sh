#!/bin/sh
# Runs the packed WebGPU benches (bench/gpu/pack.sh) on this machine's GPU, with
# wasm on its CPU as the reference measured in the same run. Needs the Vulkan
# loader (libvulkan.so.1) and the GPU's Vulkan driver; no Node, no network.
#   ./run.sh [more bench:train flags]      e.g. ./run.sh --rounds 3
set -eu
cd "$(dirname "$0")"
[ -x bench/node ] || { mkdir -p bench && xz -dc webgpu-bench.tar.xz | tar -C bench -xf -; }
cd bench
# Dawn finds the GPU through the Vulkan loader; name NVIDIA's driver when nothing is named.
if [ -z "${VK_ICD_FILENAMES:-}${VK_DRIVER_FILES:-}" ]; then
  for f in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$f" ]; then export VK_DRIVER_FILES="$f"; break; fi
  done
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
echo "== $(date -u +%Y-%m-%d) $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo 'GPU: nvidia-smi not found')"
echo "== bench:train (ResNet-20, 32x32, batch 128)"
./node bench-train.mjs --backends webgpu,wasm --no-torch "$@"
echo "== bench:infer (ResNet-50, 224x224, batch 1; needs PyTorch here to export its weights)"
./node bench-infer.mjs --backends webgpu,wasm --no-torch --no-ort || echo "bench:infer did not run (see above)"
