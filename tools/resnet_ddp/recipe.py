"""resnet-train's recipe, in PyTorch terms: the learning-rate schedule and the
augmentation. Mirrors apps/train/src/train/schedule.ts, loop.ts (scheduleOf),
cli/program.ts (resolveRecipe) and data/augment.ts.

SGD itself is torch.optim.SGD: resnet-train's Sgd implements exactly PyTorch's
update (weight decay added to the gradient of every trainable weight, BatchNorm
and biases included; momentum buffer; Nesterov as PyTorch).
"""
import argparse
import math

import torch
import torch.nn.functional as F

SCHEDULES = ("cosine", "step", "constant")


def int_list(v: str) -> list:
    """argparse type of --widths and --milestones: comma-separated integers."""
    try:
        return [int(x) for x in v.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, e.g. 16,32,64; got '{v}'") from None


def js_round(x: float) -> int:
    """JavaScript's Math.round (halves go up; Python's round() goes to even)."""
    return math.floor(x + 0.5)


def check_recipe(r) -> None:
    """The cross-flag checks of resnet-train (`resolveRecipe`); fills default step milestones.
    `r` has epochs, schedule, milestones (epochs), warmup_epochs, momentum, nesterov."""
    if r.milestones:
        if r.schedule != "step":
            raise ValueError(f"--milestones only applies to --schedule step (got --schedule {r.schedule})")
        ms = r.milestones
        if any(b <= a for a, b in zip(ms, ms[1:])) or any(m >= r.epochs for m in ms):
            raise ValueError(f"--milestones must be increasing epochs below --epochs {r.epochs} (got {','.join(map(str, ms))})")
    elif r.schedule == "step":
        r.milestones = [js_round(r.epochs * 0.5), js_round(r.epochs * 0.75)]
    if r.warmup_epochs >= r.epochs:
        raise ValueError(f"--warmup-epochs {r.warmup_epochs} must be less than --epochs {r.epochs}")
    if r.nesterov and r.momentum == 0:
        raise ValueError("--nesterov needs --momentum > 0 (as in PyTorch)")


def schedule_of(r, steps_per_epoch: int) -> dict:
    """The per-iteration schedule of recipe `r` (resnet-train's `scheduleOf`)."""
    per = steps_per_epoch
    total = min(r.max_steps, per * r.epochs) if r.max_steps > 0 else per * r.epochs
    return {
        "kind": r.schedule,
        "lr": r.lr,
        "total_steps": total,
        "warmup_steps": js_round(r.warmup_epochs * per),
        "milestones": sorted(m * per for m in r.milestones),
        "gamma": 0.1,
    }


def learning_rate(s: dict, step: int) -> float:
    """The learning rate of iteration `step` (0-based): linear warmup from lr/warmup,
    then constant, step (x gamma at each milestone) or half-cosine to 0."""
    if s["warmup_steps"] > 0 and step < s["warmup_steps"]:
        return s["lr"] * (step + 1) / s["warmup_steps"]
    if s["kind"] == "constant":
        return s["lr"]
    if s["kind"] == "step":
        return s["lr"] * s["gamma"] ** sum(1 for m in s["milestones"] if step >= m)
    span = max(1, s["total_steps"] - s["warmup_steps"])
    t = min(1.0, (step - s["warmup_steps"]) / span)
    return 0.5 * s["lr"] * (1 + math.cos(math.pi * t))


def augment_draws(seed: int, epoch: int, count: int) -> tuple:
    """Crop offsets in [-4, 4] (dy, dx) and flip coins for every image of the split,
    drawn from (seed, epoch) alone: an image gets the same crop whichever process
    and batch it lands in, so results do not depend on the number of processes,
    and a resumed epoch repeats exactly."""
    g = torch.Generator().manual_seed(1_000_003 * seed + epoch + 1)
    offsets = torch.randint(-4, 5, (count, 2), generator=g)
    flips = torch.rand(count, generator=g) < 0.5
    return offsets, flips


def augment(images: torch.Tensor, offsets: torch.Tensor, flips: torch.Tensor, flip: bool) -> torch.Tensor:
    """Pad-4 random crop (zeros in the normalised space, as resnet-train and torchvision's
    RandomCrop on normalised tensors) and, when `flip`, horizontal flips; NCHW batch."""
    n, c, h, w = images.shape
    padded = F.pad(images, (4, 4, 4, 4))
    rows = torch.arange(h)[None, :] + 4 + offsets[:, 0:1]
    cols = torch.arange(w)[None, :] + 4 + offsets[:, 1:2]
    if flip:
        cols = torch.where(flips[:, None], cols.flip(1), cols)
    return padded[torch.arange(n)[:, None, None, None], torch.arange(c)[None, :, None, None], rows[:, None, :, None], cols[:, None, None, :]]
