"""The data `resnet-train export-data` writes, read back for PyTorch.

`resnet-train export-data --data SPEC --out DIR` writes DIR/train.safetensors and
DIR/test.safetensors, each holding the split exactly as resnet-train trains on it:

  images  F32 [N, H, W, C]  normalised, NHWC (the tfjs layout; made NCHW here)
  labels  I64 [N]           class indices
  __metadata__              format "resnet-train-data", version "1", data (the
                            --data value), split, num_classes, flip_safe
                            ("true" when random horizontal flips suit the data)
"""
from dataclasses import dataclass
import os

import torch

from safetensors_io import load_with_metadata

FORMAT = "resnet-train-data"


@dataclass
class Split:
    """One split in memory: NCHW float32 images, int64 labels, and what the export recorded."""

    images: torch.Tensor
    labels: torch.Tensor
    num_classes: int
    flip_safe: bool
    data: str

    @property
    def count(self) -> int:
        return int(self.labels.shape[0])


def load_split(folder: str, split: str, limit: int = 0) -> Split:
    """Reads FOLDER/SPLIT.safetensors; `limit` > 0 keeps the first `limit` images (as --train-size)."""
    path = os.path.join(folder, f"{split}.safetensors")
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path} not found; write it with `resnet-train export-data --data SPEC --out {folder}`")
    tensors, meta = load_with_metadata(path)
    if meta.get("format") != FORMAT or meta.get("version") != "1":
        raise ValueError(f"{path}: not a resnet-train data export (metadata format {meta.get('format')!r}, "
                         f"version {meta.get('version')!r}; expected {FORMAT!r}, '1')")
    images, labels = tensors.get("images"), tensors.get("labels")
    if images is None or labels is None or images.dim() != 4 or labels.shape != images.shape[:1]:
        raise ValueError(f"{path}: needs images [N, H, W, C] and labels [N]; has "
                         f"{ {k: list(v.shape) for k, v in tensors.items()} }")
    if images.dtype != torch.float32 or labels.dtype != torch.int64:
        raise ValueError(f"{path}: images must be F32 and labels I64; got {images.dtype}, {labels.dtype}")
    num_classes = int(meta["num_classes"])
    if labels.numel() and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"{path}: labels must lie in [0, {num_classes}); got [{labels.min()}, {labels.max()}]")
    if limit > 0:
        images, labels = images[:limit], labels[:limit]
    return Split(images.permute(0, 3, 1, 2).contiguous(), labels, num_classes, meta.get("flip_safe") == "true", meta.get("data", "?"))
