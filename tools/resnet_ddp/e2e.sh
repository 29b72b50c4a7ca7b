#!/usr/bin/env bash
# The hand-run end-to-end check of tools/resnet_ddp (README "The round trip"):
#   tfjs trains ResNet-20 briefly and exports it -> PyTorch DDP fine-tunes it for
#   one epoch on resnet-train's MNIST split with 2 gloo processes -> tfjs imports
#   the result; both evaluate the same test images and must agree. And 2 processes
#   must train exactly like 1 process with the whole batch: checked in float64,
#   since float32 rounding, amplified by training, differs between any two ways
#   of summing (see README, "Equal to one process").
#
#   pnpm build && bash tools/resnet_ddp/e2e.sh [OUT]        (OUT default /tmp/resnet-ddp-e2e)
#
# Exits non-zero when a comparison fails. Needs node and /usr/bin/python3 with torch.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/resnet-ddp-e2e}
CLI="node apps/train/dist/cli.js"
PY=/usr/bin/python3
# Debian's torch 1.13 under Python 3.11: torchrun's default --redirects 0 fails
# ("'NoneType' object has no attribute 'get'"); --redirects 1 --tee 1 avoids it.
TORCHRUN="/usr/bin/torchrun --redirects 1 --tee 1"
DDP_RECIPE="--model resnet20 --data $OUT/mnist --epochs 1 --batch-size 128 --lr 0.02 --augment"
rm -rf "$OUT"
mkdir -p "$OUT"
start=$(date +%s)
step() { echo; echo "=== [$(($(date +%s) - start)) s] $*"; }

step "1. tfjs: train ResNet-20 for 2 epochs on 4,000 digits, export it as a torchvision state dict"
$CLI train --model resnet20 --data mnist --train-size 4000 --epochs 2 --batch-size 64 --lr 0.05 --warmup-epochs 0.5 \
  --out "$OUT/tfjs-run" --json | grep '"type":"epoch"' | tail -n 1
$CLI export --checkpoint "$OUT/tfjs-run" --to torchvision --out "$OUT/resnet20-tfjs.safetensors"

step "2. tfjs: export the exact MNIST split resnet-train uses"
$CLI export-data --data mnist --out "$OUT/mnist"

step "3. PyTorch DDP, 2 gloo processes: fine-tune 1 epoch on the 8,000 training digits"
$TORCHRUN --nproc_per_node 2 tools/resnet_ddp/train_ddp.py $DDP_RECIPE --init "$OUT/resnet20-tfjs.safetensors" --out "$OUT/ddp2" 2>&1 | grep -v -e '^\*\*\*' -e OMP_NUM_THREADS -e 'WARNING:torch'

step "4. 2 processes x 32 images = 1 process x 64? (float64, 4 steps with augmentation and global BatchNorm)"
EXACT="--model resnet20 --data $OUT/mnist --train-size 256 --test-size 64 --epochs 1 --batch-size 64 --lr 0.02 --augment --dtype float64"
for n in 2 1; do
  $TORCHRUN --nproc_per_node $n tools/resnet_ddp/train_ddp.py $EXACT --init "$OUT/resnet20-tfjs.safetensors" --out "$OUT/exact$n" 2>&1 | grep -e epoch
done
$PY tools/resnet_ddp/compare_weights.py "$OUT/exact2/model.safetensors" "$OUT/exact1/model.safetensors" --tolerance 1e-9

step "5. tfjs: import the DDP result, evaluate, write the test logits and a tfjs model"
$CLI import --weights "$OUT/ddp2/model.safetensors" --model resnet20 --data mnist --logits "$OUT/tfjs-logits.safetensors" --out "$OUT/tfjs-model"

step "6. PyTorch: evaluate the same file on the same test images and compare with tfjs"
$PY tools/resnet_ddp/evaluate.py --weights "$OUT/ddp2/model.safetensors" --model resnet20 --data "$OUT/mnist" --compare "$OUT/tfjs-logits.safetensors"

step "done: every comparison passed"
