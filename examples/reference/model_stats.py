"""Reference parameter and MAC counts for examples/count-params.ts, from torchvision.

Run with Debian's python (torch 1.13, torchvision 0.14):
    /usr/bin/python3 examples/reference/model_stats.py > examples/reference/model-stats.json

params: sum(p.numel() for p in model.parameters())            (PyTorch convention)
buffers: BatchNorm running_mean + running_var elements         (Keras counts these too)
macs: multiply-accumulates of Conv2d and Linear layers for one image, from forward
hooks (out elements x in_channels/groups x kh x kw; out x in for Linear).
CIFAR ResNets: He et al. 2015 section 4.2 with option-A shortcuts, as the widely
used PyTorch port (akamaster/pytorch_resnet_cifar10) builds them.
"""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.models as tvm


class _Pad(nn.Module):
    def __init__(self, planes):
        super().__init__()
        self.planes = planes

    def forward(self, x):
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.planes // 4, self.planes // 4))


class _Basic(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = _Pad(planes) if stride != 1 or cin != planes else nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, depth, num_classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for planes, stride in ((16, 1), (32, 2), (64, 2)):
            for i in range(n):
                layers.append(_Basic(cin, planes, stride if i == 0 else 1))
                cin = planes
        self.layers = nn.Sequential(*layers)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))


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
