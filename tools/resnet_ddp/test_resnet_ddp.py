#!/usr/bin/python3
"""Tests of tools/resnet_ddp (need PyTorch, so they run by hand, not in CI):

    /usr/bin/python3 tools/resnet_ddp/test_resnet_ddp.py

What CI checks without PyTorch lives in the TypeScript tests (zoo
cifar-parity.test.ts, apps/train export-data.test.ts and import.test.ts).
"""
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import train_ddp  # noqa: E402
from compare_weights import compare_states  # noqa: E402
from global_bn import to_global_bn  # noqa: E402
from recipe import augment, js_round, learning_rate  # noqa: E402
from resnet_models import build_model  # noqa: E402
from safetensors_io import load, load_with_metadata, save  # noqa: E402
from split_data import load_split  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def free_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


def write_split(folder: str, split: str, n: int, seed: int, channels: int = 1, size: int = 8) -> None:
    """A small learnable split in export-data's format: class k is a bright pixel block at row k."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 4, (n,), generator=g)
    images = torch.randn(n, size, size, channels, generator=g) * 0.3
    for i, k in enumerate(labels.tolist()):
        images[i, 2 * k:2 * k + 2, :, :] += 2.0
    meta = {"format": "resnet-train-data", "version": "1", "data": "test", "split": split, "num_classes": "4", "flip_safe": "true"}
    save({"images": images, "labels": labels}, os.path.join(folder, f"{split}.safetensors"), meta)


def _spawned(rank: int, world: int, port: str, fn, args) -> None:
    os.environ.update(RANK=str(rank), WORLD_SIZE=str(world), LOCAL_RANK=str(rank), LOCAL_WORLD_SIZE=str(world),
                      MASTER_ADDR="127.0.0.1", MASTER_PORT=port)
    fn(*args)


def launch(world: int, fn, *args) -> None:
    """Runs fn(*args) in `world` processes joined like torchrun's (env:// rendezvous)."""
    mp.spawn(_spawned, args=(world, free_port(), fn, args), nprocs=world, join=True)


def train(argv: list) -> None:
    train_ddp.main(argv)


def _bn_step(out_dir: str) -> None:
    """One training-mode forward/backward of a GlobalBatchNorm2d on this rank's half of a fixed batch."""
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    x, w, b, gy = fixed_bn_case()
    bn = to_global_bn(nn.BatchNorm2d(3))
    with torch.no_grad():
        bn.weight.copy_(w)
        bn.bias.copy_(b)
    xs = x.chunk(world)[rank].clone().requires_grad_(True)
    y = bn(xs)
    (y * gy.chunk(world)[rank]).sum().backward()
    grads = torch.stack([bn.weight.grad, bn.bias.grad])
    dist.all_reduce(grads)  # DDP would do this (as a mean of per-rank means; here the loss is a plain sum)
    if rank == 0:
        torch.save({"y0": y.detach(), "gx0": xs.grad, "grads": grads, "mean": bn.running_mean, "var": bn.running_var}, os.path.join(out_dir, "bn.pt"))
    dist.destroy_process_group()


def fixed_bn_case():
    g = torch.Generator().manual_seed(5)
    return torch.randn(8, 3, 5, 5, generator=g) * 2 + 1, torch.rand(3, generator=g) + 0.5, torch.randn(3, generator=g), torch.randn(8, 3, 5, 5, generator=g)


class SafetensorsIo(unittest.TestCase):
    def test_round_trip_every_dtype_and_metadata(self):
        with tempfile.TemporaryDirectory() as d:
            t = {"f32": torch.randn(2, 3), "f16": torch.randn(4).half(), "bf16": torch.randn(3).bfloat16(),
                 "i64": torch.tensor([0, -5, 2 ** 40]), "u8": torch.tensor([0, 255], dtype=torch.uint8), "scalar": torch.tensor(7)}
            save(t, os.path.join(d, "a.safetensors"), {"k": "v"})
            back, meta = load_with_metadata(os.path.join(d, "a.safetensors"))
            self.assertEqual(meta, {"k": "v"})
            self.assertEqual(list(back), list(t))
            for k in t:
                self.assertEqual(back[k].dtype, t[k].dtype)
                self.assertTrue(torch.equal(back[k], t[k]), k)
            with open(os.path.join(d, "a.safetensors"), "rb") as f:
                self.assertEqual(int.from_bytes(f.read(8), "little") % 8, 0)  # data section aligned, as the reference writer

    def test_reads_the_zoo_fixture_written_in_f16_and_refuses_garbage(self):
        state = load(os.path.join(REPO, "tools", "fixtures", "zoo", "cifar_resnet20_f16.safetensors"))
        build_model("resnet20").half().load_state_dict(state, strict=True)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "bad.safetensors")
            with open(p, "wb") as f:
                f.write((10 ** 12).to_bytes(8, "little") + b"{}")
            with self.assertRaisesRegex(ValueError, "header length .* is beyond the file"):
                load(p)


class Models(unittest.TestCase):
    def test_parameter_counts_of_the_paper(self):
        # He et al. 2015, Table 6: 0.27M, 0.46M, 0.85M; arithmetic in the zoo's cifar.test.ts gives the exact figures.
        for name, params in (("resnet20", 269722), ("resnet32", 464154), ("resnet56", 853018), ("plain20", 269722)):
            self.assertEqual(sum(p.numel() for p in build_model(name).parameters()), params, name)

    def test_errors_say_what_is_valid(self):
        with self.assertRaisesRegex(ValueError, "unknown model 'resnet51x'; known: resnetN and plainN"):
            build_model("resnet51x")
        with self.assertRaisesRegex(ValueError, "depth must be 6n \\+ 2"):
            build_model("resnet21")
        with self.assertRaisesRegex(ValueError, "widths, variant and shortcut apply to the CIFAR family only"):
            build_model("resnet18", widths=[8, 16, 32])
        with self.assertRaisesRegex(ValueError, "unknown variant 'v3'"):
            build_model("resnet20", variant="v3")


class Recipe(unittest.TestCase):
    def test_schedule_as_resnet_train(self):
        s = {"kind": "cosine", "lr": 0.1, "total_steps": 110, "warmup_steps": 10, "milestones": [], "gamma": 0.1}
        self.assertAlmostEqual(learning_rate(s, 0), 0.01)  # warmup starts at lr / warmup
        self.assertAlmostEqual(learning_rate(s, 9), 0.1)
        self.assertAlmostEqual(learning_rate(s, 60), 0.05)  # half way through the cosine
        self.assertAlmostEqual(learning_rate(s, 110), 0.0)
        st = dict(s, kind="step", warmup_steps=0, milestones=[30, 60])
        self.assertEqual([learning_rate(st, i) for i in (29, 30, 60)], [0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1])
        self.assertEqual([js_round(x) for x in (0.5, 1.5, 2.5, 2.4)], [1, 2, 3, 2])  # Math.round, not banker's

    def test_crop_and_flip_move_pixels_as_resnet_train(self):
        x = torch.arange(2 * 1 * 5 * 5, dtype=torch.float32).reshape(2, 1, 5, 5)
        same = augment(x, torch.zeros(2, 2, dtype=torch.long), torch.tensor([False, False]), flip=True)
        self.assertTrue(torch.equal(same, x))
        # dst[y, x] = src[y + dy, x + dx], zeros outside: dy = 1 moves the image up one row.
        up = augment(x, torch.tensor([[1, 0], [0, -2]]), torch.tensor([True, False]), flip=False)
        self.assertTrue(torch.equal(up[0, 0, :4], x[0, 0, 1:]))
        self.assertTrue(torch.equal(up[0, 0, 4], torch.zeros(5)))
        self.assertTrue(torch.equal(up[1, 0, :, 2:], x[1, 0, :, :3]))
        flipped = augment(x, torch.zeros(2, 2, dtype=torch.long), torch.tensor([True, False]), flip=True)
        self.assertTrue(torch.equal(flipped[0], x[0].flip(2)))
        self.assertTrue(torch.equal(flipped[1], x[1]))


class Distributed(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        for split, n, seed in (("train", 96, 1), ("test", 32, 2)):
            write_split(self.dir, split, n, seed)
        self.recipe = ["--model", "resnet8", "--widths", "4,8,8", "--data", self.dir, "--epochs", "2", "--batch-size", "16",
                       "--lr", "0.05", "--warmup-epochs", "0.5", "--augment", "--seed", "3"]

    def tearDown(self):
        shutil.rmtree(self.dir)

    def out(self, name: str) -> str:
        return os.path.join(self.dir, name)

    def test_global_batchnorm_on_two_processes_is_batchnorm_on_the_whole_batch(self):
        launch(2, _bn_step, self.dir)
        got = torch.load(self.out("bn.pt"))
        x, w, b, gy = fixed_bn_case()
        bn = nn.BatchNorm2d(3)
        with torch.no_grad():
            bn.weight.copy_(w)
            bn.bias.copy_(b)
        x = x.clone().requires_grad_(True)
        y = bn(x)
        (y * gy).sum().backward()
        close = lambda a, e: self.assertLess((a - e).abs().max().item(), 1e-5 * max(1.0, e.abs().max().item()))  # noqa: E731
        close(got["y0"], y[:4].detach())
        close(got["gx0"], x.grad[:4])
        close(got["grads"], torch.stack([bn.weight.grad, bn.bias.grad]))
        close(got["mean"], bn.running_mean)
        close(got["var"], bn.running_var)

    def test_two_processes_train_like_one_with_the_whole_batch_and_resume_exactly(self):
        # float64: float32 rounding differs between any two summation orders and training amplifies it.
        self.recipe += ["--dtype", "float64"]
        launch(2, train, self.recipe + ["--out", self.out("two")])
        launch(1, train, self.recipe + ["--out", self.out("one")])
        two, one = load(self.out("two/model.safetensors")), load(self.out("one/model.safetensors"))
        c = compare_states(two, one)
        self.assertLess(c["relative"], 1e-10, c)
        self.assertEqual(c["int_mismatch"], [])
        self.assertEqual(int(one["bn1.num_batches_tracked"]), 12)  # 96 / 16 = 6 steps x 2 epochs
        # Plain DDP (each process normalises by its own 8 images) is another training.
        launch(2, train, self.recipe + ["--bn", "local", "--out", self.out("local")])
        self.assertGreater(compare_states(load(self.out("local/model.safetensors")), one)["relative"], 1e-3)
        # 1 epoch, stop, resume on 2 processes: the same as 2 epochs straight on 1.
        launch(1, train, self.recipe + ["--out", self.out("split"), "--stop-after", "1"])
        self.assertFalse(os.path.exists(self.out("split/model.safetensors")))
        launch(2, train, self.recipe + ["--out", self.out("split"), "--resume"])
        self.assertLess(compare_states(load(self.out("split/model.safetensors")), one)["relative"], 1e-10)

    def test_init_from_a_file_and_refusals(self):
        torch.manual_seed(9)
        start = build_model("resnet8", 1, 4, [4, 8, 8]).state_dict()
        save(start, self.out("init.safetensors"))
        launch(1, train, self.recipe + ["--init", self.out("init.safetensors"), "--epochs", "1", "--lr", "1e-9", "--momentum", "0",
                                        "--warmup-epochs", "0", "--out", self.out("tiny")])
        after = load(self.out("tiny/model.safetensors"))
        self.assertLess((after["conv1.weight"] - start["conv1.weight"]).abs().max().item(), 1e-6)  # started there
        wrong = train_ddp.parse_args(self.recipe + ["--init", self.out("init.safetensors"), "--widths", "8,8,8", "--out", self.out("x")])
        with self.assertRaisesRegex(ValueError, "--init .* does not fit resnet8 for 1-channel inputs and 4 classes .*--widths"):
            train_ddp.build(wrong, 1, 4)
        with self.assertRaises(SystemExit):  # argparse: --nesterov without momentum, as resnet-train refuses it
            train_ddp.parse_args(self.recipe + ["--nesterov", "--momentum", "0", "--out", self.out("y")])


class ExportedData(unittest.TestCase):
    @unittest.skipUnless(os.path.exists(os.path.join(REPO, "apps", "train", "dist", "cli.js")), "pnpm build first")
    def test_reads_what_resnet_train_exports(self):
        with tempfile.TemporaryDirectory() as d:
            subprocess.run(["node", os.path.join(REPO, "apps", "train", "dist", "cli.js"), "export-data", "--data", "mnist",
                            "--train-size", "20", "--test-size", "10", "--out", d], check=True, capture_output=True)
            train = load_split(d, "train")
            self.assertEqual(list(train.images.shape), [20, 1, 32, 32])
            self.assertEqual((train.num_classes, train.flip_safe, train.data), (10, False, "mnist"))
            self.assertAlmostEqual(train.images[0, 0, 0, 0].item(), -0.1307 / 0.3081, places=6)
            self.assertEqual(load_split(d, "test", 4).count, 4)
            with self.assertRaisesRegex(FileNotFoundError, "resnet-train export-data"):
                load_split(os.path.join(d, "none"), "train")


if __name__ == "__main__":
    torch.set_num_threads(1)
    unittest.main()
