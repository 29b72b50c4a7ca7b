"""Reference parameter and MAC counts for examples/count-params.ts, from torchvision.

Run with Debian's python (torch 1.13, torchvision 0.14):
    /usr/bin/python3 examples/reference/model_stats.py > examples/reference/model-stats.json

params: sum(p.numel() for p in model.parameters())            (PyTorch convention)
buffers: BatchNorm running_mean + running_var elements         (Keras counts these too)
macs: multiply-accumulates of Conv2d and Linear layers for one image, from forward
hooks (out elements x in_channels/groups x kh x kw; out x in for Linear).
CIFAR ResNets: He et al. 2015 section 4.2 with option-A shortcuts, from
tools/resnet_ddp/resnet_models.py (the layout of akamaster/pytorch_resnet_cifar10).
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision.models as tvm

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools", "resnet_ddp"))
from resnet_models import CifarResNet  # noqa: E402  (the CIFAR ResNets of tools/resnet_ddp)


def macs(model, size):
    total = [0]

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            kh, kw = m.kernel_size
            total[0] += out.numel() * (m.in_channels // m.groups) * kh * kw
        elif isinstance(m, nn.Linear):
            total[0] += out.numel() * m.in_features

    hs = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model.eval()(torch.zeros(1, 3, size, size))
    for h in hs:
        h.remove()
    return total[0]


def stats(model, size):
    bn = sum(m.running_mean.numel() + m.running_var.numel() for m in model.modules() if isinstance(m, nn.BatchNorm2d))
    return {
        "params": sum(p.numel() for p in model.parameters()),
        "bnBuffers": bn,
        "macs": macs(model, size),
        "inputSize": size,
    }


out = {}
for name in ["resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "wide_resnet50_2", "resnext50_32x4d", "densenet121"]:
    out[name] = stats(getattr(tvm, name)(), 224)
for depth in [20, 32, 44, 56, 110, 1202]:
    out[f"resnet{depth}"] = stats(CifarResNet(depth), 32)
meta = {"source": "examples/reference/model_stats.py", "torch": torch.__version__, "torchvision": __import__("torchvision").__version__}
print(json.dumps({"_meta": meta, **out}, indent=2))
