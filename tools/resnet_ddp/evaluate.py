#!/usr/bin/env python3
"""Evaluate a safetensors state dict on an exported split, and compare with tfjs.

    python3 tools/resnet_ddp/evaluate.py --weights OUT/model.safetensors --model resnet20 \\
        --data DATA_DIR [--compare tfjs-logits.safetensors]

Prints the error and mean cross-entropy on the split (BatchNorm in inference
mode). `--compare` takes the logits `resnet-train import --logits FILE` wrote for
the same split and checks they agree: max |tfjs - torch| / max |torch| at most
`--tolerance` (default 1e-4) and the same prediction for every image; exit
code 1 when they do not.
"""
import argparse
import sys

import torch
import torch.nn.functional as F

from recipe import int_list
from resnet_models import SHORTCUTS, VARIANTS, model_from_state
from safetensors_io import load, save
from split_data import Split, load_split


@torch.no_grad()
def logits_of(model: torch.nn.Module, split: Split, device: torch.device, batch: int = 250) -> torch.Tensor:
    """Inference-mode logits of every image of `split` ([N, classes], float32, on the CPU)."""
    was = model.training
    model.eval()
    dtype = next(model.parameters()).dtype
    out = [model(split.images[i:i + batch].to(device, dtype)).float().cpu() for i in range(0, split.count, batch)]
    model.train(was)
    return torch.cat(out) if out else torch.zeros(0, split.num_classes)


def evaluate(model: torch.nn.Module, split: Split, device: torch.device) -> dict:
    """{'error', 'loss', 'logits'} of `model` on `split`."""
    logits = logits_of(model, split, device)
    return {
        "error": (logits.argmax(1) != split.labels).double().mean().item(),
        "loss": F.cross_entropy(logits.double(), split.labels).item(),
        "logits": logits,
    }


def compare(tfjs: torch.Tensor, torch_logits: torch.Tensor, labels: torch.Tensor) -> dict:
    """How far tfjs's logits are from PyTorch's: max abs and relative difference, disagreements, both errors."""
    if tfjs.shape != torch_logits.shape:
        raise ValueError(f"tfjs logits have shape {list(tfjs.shape)}, PyTorch's {list(torch_logits.shape)}: not the same images")
    diff = (tfjs.double() - torch_logits.double()).abs().max().item()
    return {
        "max_abs": diff,
        "relative": diff / torch_logits.double().abs().max().item(),
        "disagreements": int((tfjs.argmax(1) != torch_logits.argmax(1)).sum()),
        "tfjs_error": (tfjs.argmax(1) != labels).double().mean().item(),
        "torch_error": (torch_logits.argmax(1) != labels).double().mean().item(),
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--weights", required=True, help="safetensors state dict (train_ddp.py's model.safetensors, exportWeights)")
    p.add_argument("--model", required=True)
    p.add_argument("--widths", type=int_list, help="CIFAR stage widths (default: from the file)")
    p.add_argument("--variant", choices=VARIANTS, default="v1.5")
    p.add_argument("--shortcut", choices=SHORTCUTS, default="zero-pad")
    p.add_argument("--data", required=True, help="folder written by `resnet-train export-data`")
    p.add_argument("--split", choices=("test", "train"), default="test")
    p.add_argument("--size", type=int, default=0, help="first N images of the split (0 = all)")
    p.add_argument("--logits", help="also write the logits here (safetensors, 'logits' [N, classes])")
    p.add_argument("--compare", help="logits from `resnet-train import --logits` to compare with")
    p.add_argument("--tolerance", type=float, default=1e-4, help="largest accepted max|tfjs - torch| / max|torch|")
    a = p.parse_args(argv)
    split = load_split(a.data, a.split, a.size)
    model = model_from_state(a.model, load(a.weights), split.images.shape[1], split.num_classes, a.widths, a.variant, a.shortcut,
                             f"--weights {a.weights}")
    r = evaluate(model, split, torch.device("cpu"))
    print(f"PyTorch: {a.model} on {split.data} ({a.split}, {split.count} images): "
          f"{100 * r['error']:.2f}% error, loss {r['loss']:.4f}")
    if a.logits:
        save({"logits": r["logits"]}, a.logits, {"data": split.data, "split": a.split, "writer": "evaluate.py"})
    if not a.compare:
        return 0
    c = compare(load(a.compare)["logits"], r["logits"], split.labels)
    same = c["relative"] <= a.tolerance and c["disagreements"] == 0
    print(f"tfjs:    {100 * c['tfjs_error']:.2f}% error; logits max |tfjs - torch| = {c['max_abs']:.3g}, "
          f"relative to max |logit| = {c['relative']:.3g} (tolerance {a.tolerance:g}); "
          f"{c['disagreements']} of {split.count} predictions differ -> {'SAME' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, OSError) as e:  # bad files and options: a message, not a traceback
        sys.exit(f"error: {e}")
