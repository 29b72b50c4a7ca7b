#!/usr/bin/env python3
"""Train a @resnet/zoo model with PyTorch DistributedDataParallel, on resnet-train's recipe.

    torchrun --nproc_per_node N tools/resnet_ddp/train_ddp.py --model resnet20 \\
        --init resnet20.safetensors --data DATA_DIR --epochs 1 --out OUT

gloo on CPU, NCCL on GPUs (one process per GPU). `--init` is a safetensors state
dict from `resnet-train export --to torchvision` or `exportWeights`; `--data` a
folder from `resnet-train export-data`. Rank 0 writes OUT/checkpoint.pt after
every epoch (`--resume` continues from it, with any number of processes) and
OUT/model.safetensors at the end, which `resnet-train import` loads back.

`--batch-size` is the global batch, as in resnet-train: each of N processes
takes batch/N images of it. With `--bn global` (the default) BatchNorm uses the
statistics of the whole global batch, so N processes train like one process with
the whole batch (equal to float rounding; tested in test_resnet_ddp.py).
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler

from evaluate import evaluate
from global_bn import to_global_bn
from recipe import SCHEDULES, augment, augment_draws, check_recipe, int_list, learning_rate, schedule_of
from resnet_models import SHORTCUTS, VARIANTS, build_model, is_cifar, model_from_state, widths_of
from safetensors_io import load, save
from split_data import load_split

# The flags that decide the numbers of a run: a resumed run must repeat them.
RECIPE_KEYS = ("model", "widths", "variant", "shortcut", "init", "data", "epochs", "max_steps", "batch_size", "lr",
               "schedule", "milestones", "warmup_epochs", "momentum", "nesterov", "weight_decay", "augment",
               "train_size", "test_size", "seed", "bn", "dtype")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="zoo model: resnet20, plain56, resnet8 (any 6n+2), resnet18, ...")
    p.add_argument("--widths", type=int_list, help="CIFAR stage widths, e.g. 8,16,32 (default: from --init, else 16,32,64)")
    p.add_argument("--variant", choices=VARIANTS, default="v1.5", help="CIFAR block variant (default v1.5)")
    p.add_argument("--shortcut", choices=SHORTCUTS, default="zero-pad", help="CIFAR shortcut (default zero-pad, option A)")
    p.add_argument("--init", help="initial weights: safetensors state dict (resnet-train export --to torchvision)")
    p.add_argument("--data", required=True, help="folder written by `resnet-train export-data`")
    p.add_argument("--out", required=True, help="output folder: checkpoint.pt, model.safetensors, metrics.json")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many iterations in total (0 = no limit)")
    p.add_argument("--batch-size", type=int, default=128, help="global batch (split over the processes)")
    p.add_argument("--lr", type=float, default=0.1, help="peak learning rate")
    p.add_argument("--schedule", choices=SCHEDULES, default="cosine")
    p.add_argument("--milestones", type=int_list, default=[], help="epochs where --schedule step divides the rate by 10 (default 50%%,75%%)")
    p.add_argument("--warmup-epochs", type=float, default=0.0, help="epochs of linear warmup")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--nesterov", action="store_true")
    p.add_argument("--weight-decay", type=float, default=1e-4, help="PyTorch SGD weight_decay (all parameters)")
    p.add_argument("--augment", action="store_true", help="pad-4 random crop (+ horizontal flip when the data allows)")
    p.add_argument("--train-size", type=int, default=0, help="first N training images (0 = all)")
    p.add_argument("--test-size", type=int, default=0, help="first N test images (0 = all)")
    p.add_argument("--seed", type=int, default=1, help="seed of shuffling, augmentation and (without --init) weights")
    p.add_argument("--bn", choices=("global", "local"), default="global",
                   help="global: BatchNorm statistics of the whole global batch; local: each process's share (plain DDP)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="auto: cuda (NCCL) when available, else cpu (gloo)")
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32",
                   help="float64 trains (slowly) in double precision: checks that N processes equal 1 beyond float32 rounding")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt")
    p.add_argument("--stop-after", type=int, default=0, help="stop (checkpointed) after N epochs of this invocation")
    a = p.parse_args(argv)
    for flag in ("epochs", "batch_size"):
        if getattr(a, flag) < 1:
            p.error(f"--{flag.replace('_', '-')} must be a positive integer")
    if not (0 <= a.momentum < 1) or a.lr <= 0 or a.weight_decay < 0:
        p.error("--momentum must be in [0, 1), --lr > 0 and --weight-decay >= 0")
    try:
        check_recipe(a)
    except ValueError as e:
        p.error(str(e))
    return a


def init_distributed(choice: str) -> tuple:
    """(rank, world, device): joins torchrun's group, or makes a group of one when run without torchrun."""
    use_cuda = choice == "cuda" or (choice == "auto" and torch.cuda.is_available())
    if "RANK" not in os.environ:
        os.environ.update(RANK="0", WORLD_SIZE="1", LOCAL_RANK="0", MASTER_ADDR="127.0.0.1", MASTER_PORT=os.environ.get("MASTER_PORT", "29511"))
    dist.init_process_group("nccl" if use_cuda else "gloo")
    local = int(os.environ.get("LOCAL_RANK", "0"))
    if use_cuda:
        torch.cuda.set_device(local)
        return dist.get_rank(), dist.get_world_size(), torch.device("cuda", local)
    if "OMP_NUM_THREADS" not in os.environ:  # torchrun sets it to 1 for N > 1; else share the cores
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // int(os.environ.get("LOCAL_WORLD_SIZE", "1"))))
    return dist.get_rank(), dist.get_world_size(), torch.device("cpu")


def build(a, channels: int, num_classes: int) -> torch.nn.Module:
    """The model, from --init (strictly) or from --seed."""
    if not a.init:
        torch.manual_seed(a.seed)
        return build_model(a.model, channels, num_classes, a.widths, a.variant, a.shortcut)
    state = load(a.init)
    if a.widths is None and is_cifar(a.model):
        a.widths = list(widths_of(state))  # recorded in the recipe, so a resume checks it
    return model_from_state(a.model, state, channels, num_classes, a.widths, a.variant, a.shortcut, f"--init {a.init}")


def recipe_of(a) -> dict:
    return {k: getattr(a, k) for k in RECIPE_KEYS}


def save_checkpoint(path: str, payload: dict) -> None:
    """Atomic: a killed process leaves the previous checkpoint or the new one, never half of one."""
    tmp = f"{path}.tmp"
    torch.save(payload, tmp)
    os.replace(tmp, path)


def main(argv=None) -> None:
    a = parse_args(argv)
    rank, world, device = init_distributed(a.device)
    log = print if rank == 0 else (lambda *_, **__: None)
    if a.batch_size % world:
        raise SystemExit(f"--batch-size {a.batch_size} must be a multiple of the {world} processes")
    train = load_split(a.data, "train", a.train_size)
    test = load_split(a.data, "test", a.test_size)
    model = build(a, train.images.shape[1], train.num_classes)
    ck_path = os.path.join(a.out, "checkpoint.pt")
    ck = None
    if a.resume:
        if not os.path.isfile(ck_path):
            raise SystemExit(f"--resume: no checkpoint at {ck_path}")
        ck = torch.load(ck_path, map_location="cpu")
        if ck["recipe"] != recipe_of(a):
            diff = [f"{k}: checkpoint {ck['recipe'].get(k)!r}, now {getattr(a, k)!r}" for k in RECIPE_KEYS if ck["recipe"].get(k) != getattr(a, k)]
            raise SystemExit(f"--resume: {ck_path} was made with another recipe ({'; '.join(diff)}); resume with the same flags")
    elif os.path.exists(ck_path):
        raise SystemExit(f"{a.out} already holds a checkpoint; pass --resume to continue it, or choose another --out")
    if world > 1 and a.bn == "global":
        model = to_global_bn(model)
    dtype = torch.float64 if a.dtype == "float64" else torch.float32
    model = model.to(device, dtype)
    if ck is not None:
        model.load_state_dict(ck["model"])  # after .to(dtype): a float64 run resumes in float64
    ddp = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    opt = torch.optim.SGD(ddp.parameters(), lr=a.lr, momentum=a.momentum, nesterov=a.nesterov, weight_decay=a.weight_decay)
    sampler = DistributedSampler(range(train.count), num_replicas=world, rank=rank, shuffle=True, seed=a.seed, drop_last=False)
    local_batch = a.batch_size // world
    per = math.ceil(len(sampler) / local_batch)
    sched = schedule_of(a, per)
    epoch, step, metrics = 0, 0, []
    if ck is not None:
        opt.load_state_dict(ck["optimizer"])
        epoch, step, metrics = ck["epoch"], ck["step"], ck["metrics"]
        log(f"resuming from {ck_path}: epoch {epoch}, step {step}")
    log(f"{a.model} on {train.data}: {train.count} training / {test.count} test images, {world} process(es) "
        f"({dist.get_backend()}, {device}), global batch {a.batch_size} = {world} x {local_batch}, BatchNorm {a.bn}, "
        f"{sum(p.numel() for p in model.parameters())} parameters")
    os.makedirs(a.out, exist_ok=True)
    done_here = 0
    while epoch < a.epochs and step < sched["total_steps"]:
        t0 = time.time()
        sampler.set_epoch(epoch)
        order = torch.tensor(list(sampler))
        offsets, flips = augment_draws(a.seed, epoch, train.count)
        ddp.train()
        sums = torch.zeros(3, dtype=torch.float64)  # loss sum, wrong, seen
        for b in range(per):
            if step >= sched["total_steps"]:
                break
            idx = order[b * local_batch:(b + 1) * local_batch]
            x = train.images[idx]
            if a.augment:
                x = augment(x, offsets[idx], flips[idx], train.flip_safe)
            x, y = x.to(device, dtype), train.labels[idx].to(device)
            for g in opt.param_groups:
                g["lr"] = learning_rate(sched, step)
            logits = ddp(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            sums += torch.tensor([loss.item() * len(idx), (logits.argmax(1) != y).sum().item(), len(idx)], dtype=torch.float64)
        sums = sums.to(device)  # NCCL reduces GPU tensors only
        dist.all_reduce(sums)
        epoch += 1
        done_here += 1
        m = {"epoch": epoch, "trainLoss": sums[0].item() / sums[2].item(), "trainError": sums[1].item() / sums[2].item()}
        if rank == 0:
            m["testError"] = evaluate(model, test, device)["error"]
            m["seconds"] = time.time() - t0
            metrics.append(m)
            save_checkpoint(ck_path, {"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch,
                                      "step": step, "metrics": metrics, "recipe": recipe_of(a), "world": world})
            log(f"epoch {epoch}/{a.epochs}: train loss {m['trainLoss']:.4f}, train error {100 * m['trainError']:.2f}%, "
                f"test error {100 * m['testError']:.2f}%, {m['seconds']:.1f} s ({step} steps)")
        dist.barrier()
        if a.stop_after and done_here >= a.stop_after and epoch < a.epochs and step < sched["total_steps"]:
            log(f"stopped after {done_here} epoch(s); continue with --resume")
            dist.destroy_process_group()
            return
    if rank == 0:
        state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
        meta = {"format": "pt", "writer": "tools/resnet_ddp/train_ddp.py", "model": a.model, "recipe": json.dumps(recipe_of(a))}
        save(state, os.path.join(a.out, "model.safetensors"), meta)
        with open(os.path.join(a.out, "metrics.json"), "w") as f:
            json.dump({"recipe": recipe_of(a), "world": world, "epochs": metrics}, f, indent=1)
        log(f"wrote {os.path.join(a.out, 'model.safetensors')}")
    dist.destroy_process_group()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, OSError) as e:  # bad files and options: a message, not a traceback
        sys.exit(f"error: {e}")
