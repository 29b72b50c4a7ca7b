"""PyTorch definitions of the @resnet/zoo models, with the zoo's state-dict keys.

The ImageNet family (resnet18 ... resnet152, wide_resnet50_2, resnext50_32x4d,
densenet121 ... densenet201) is torchvision's own; the zoo matches it layer for
layer. torchvision has no CIFAR ResNets, so they are defined here as the zoo
builds them (packages/zoo/src/models/cifar.ts, He et al. 2015, section 4.2):
a 3x3 stem, three stages of n basic blocks (depth 6n + 2), option-A shortcuts
(keep every 2nd pixel, pad channels with zeros), global average pooling and a
linear classifier; `plainN` is the same net without shortcuts. Options as in the
zoo: `widths` (stage widths, default 16/32/64), `variant` ('v1.5' the default,
'v1' with conv biases, 'v2' pre-activation) and `shortcut` ('zero-pad', or
'projection' = option B). Every combination is checked against the zoo by
tools/fixtures/cifar_parity.py + packages/zoo/src/models/cifar-parity.test.ts.
"""
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

CIFAR_NAME = re.compile(r"^(resnet|plain)(\d+)$")
VARIANTS = ("v1.5", "v1", "v2")
SHORTCUTS = ("zero-pad", "projection")
TORCHVISION_MODELS = (
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "wide_resnet50_2", "resnext50_32x4d",
    "densenet121", "densenet161", "densenet169", "densenet201",
)


class ZeroPadShortcut(nn.Module):
    """Option A: x[:, :, ::s, ::s], channels padded with zeros, half before and half
    after (the extra one after when the difference is odd), as the zoo's layer."""

    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.stride = stride
        self.before = (cout - cin) // 2
        self.after = cout - cin - self.before

    def forward(self, x):
        if self.stride > 1:
            x = x[:, :, :: self.stride, :: self.stride]
        return F.pad(x, (0, 0, 0, 0, self.before, self.after))


class CifarBlock(nn.Module):
    """The basic block: conv-BN-ReLU-conv-BN (+ shortcut) - ReLU; 'v2' is
    BN-ReLU-conv-BN-ReLU-conv (+ shortcut), whose shape-changing shortcut sees the
    normalised input. `residual=False` builds the plain twin's block."""

    def __init__(self, cin: int, cout: int, stride: int, residual: bool, variant: str, shortcut: str):
        super().__init__()
        bias = variant == "v1"
        self.v2 = variant == "v2"
        self.residual = residual
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=bias)
        self.bn1 = nn.BatchNorm2d(cin if self.v2 else cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=bias)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if residual and (stride != 1 or cin != cout):
            if shortcut == "zero-pad":
                self.downsample = ZeroPadShortcut(cin, cout, stride)
            else:
                layers = [nn.Conv2d(cin, cout, 1, stride, 0, bias=bias)]
                if not self.v2:
                    layers.append(nn.BatchNorm2d(cout))
                self.downsample = nn.Sequential(*layers)

    def forward(self, x):
        if self.v2:
            pre = F.relu(self.bn1(x))
            y = self.conv2(F.relu(self.bn2(self.conv1(pre))))
            if not self.residual:
                return y
            return y + (x if self.downsample is None else self.downsample(pre))
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        if self.residual:
            y = y + (x if self.downsample is None else self.downsample(x))
        return F.relu(y)


class CifarResNet(nn.Module):
    """CIFAR ResNet (`plain=False`) or plain net of depth 6n + 2."""

    def __init__(self, depth: int, plain: bool = False, in_channels: int = 3, num_classes: int = 10,
                 widths=(16, 32, 64), variant: str = "v1.5", shortcut: str = "zero-pad"):
        super().__init__()
        check_cifar_options(f"{'plain' if plain else 'resnet'}{depth}", depth, widths, variant, shortcut, plain)
        n = (depth - 2) // 6
        self.v2 = variant == "v2"
        self.conv1 = nn.Conv2d(in_channels, widths[0], 3, 1, 1, bias=variant == "v1")
        if not self.v2:
            self.bn1 = nn.BatchNorm2d(widths[0])
        cin = widths[0]
        for s, w in enumerate(widths):
            blocks = []
            for b in range(n):
                blocks.append(CifarBlock(cin, w, 2 if (b == 0 and s > 0) else 1, not plain, variant, shortcut))
                cin = w
            setattr(self, f"layer{s + 1}", nn.Sequential(*blocks))
        if self.v2:
            self.norm = nn.BatchNorm2d(cin)
        self.fc = nn.Linear(cin, num_classes)
        # torchvision's ResNet init, which the zoo also uses: He normal (fan-out) convs, BN 1/0.
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.conv1(x)
        if not self.v2:
            x = F.relu(self.bn1(x))
        x = self.layer3(self.layer2(self.layer1(x)))
        if self.v2:
            x = F.relu(self.norm(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def check_cifar_options(name: str, depth: int, widths, variant: str, shortcut: str, plain: bool) -> None:
    """Raises ValueError, saying what is valid, for options the zoo would refuse."""
    if depth < 8 or (depth - 2) % 6 != 0:
        raise ValueError(f"{name}: depth must be 6n + 2 with n >= 1 (8, 14, 20, 32, 44, 56, 110, 1202, ...), got {depth}")
    if len(widths) != 3 or any(not isinstance(w, int) or w < 1 for w in widths):
        raise ValueError(f"{name}: widths must be three positive integers, e.g. 16,32,64; got {list(widths)}")
    if not plain and shortcut == "zero-pad" and any(b < a for a, b in zip(widths, widths[1:])):
        raise ValueError(f"{name}: zero-pad shortcuts cannot shrink channels; widths {list(widths)} must not decrease")
    if variant not in VARIANTS:
        raise ValueError(f"{name}: unknown variant '{variant}'; valid: {', '.join(VARIANTS)}")
    if shortcut not in SHORTCUTS:
        raise ValueError(f"{name}: unknown shortcut '{shortcut}'; valid: {', '.join(SHORTCUTS)}")


def is_cifar(name: str) -> bool:
    """Whether `name` names the CIFAR family (resnetN / plainN; N is checked when the net is built)."""
    # resnet50 and resnet152 have the form too, but those names are torchvision's.
    return name not in TORCHVISION_MODELS and CIFAR_NAME.match(name) is not None


def build_model(name: str, in_channels: int = 3, num_classes: int = 10, widths=None,
                variant: str = "v1.5", shortcut: str = "zero-pad") -> nn.Module:
    """The zoo model `name` for `in_channels`-channel inputs and `num_classes` classes."""
    if is_cifar(name):
        m = CIFAR_NAME.match(name)
        return CifarResNet(int(m.group(2)), m.group(1) == "plain", in_channels, num_classes,
                           tuple(widths or (16, 32, 64)), variant, shortcut)
    if name not in TORCHVISION_MODELS:
        raise ValueError(f"unknown model '{name}'; known: resnetN and plainN (N = 6n + 2, e.g. resnet20, plain56), "
                         f"{', '.join(TORCHVISION_MODELS)}")
    if widths is not None or variant != "v1.5" or shortcut != "zero-pad":
        raise ValueError(f"{name}: widths, variant and shortcut apply to the CIFAR family only (torchvision's {name} is v1.5)")
    import torchvision  # only the ImageNet family needs it

    model = getattr(torchvision.models, name)(weights=None, num_classes=num_classes)
    if in_channels != 3:
        # The zoo's stem takes the input's channels; torchvision's is fixed at 3.
        if name.startswith("densenet"):
            c = model.features.conv0
            model.features.conv0 = nn.Conv2d(in_channels, c.out_channels, 7, 2, 3, bias=False)
        else:
            model.conv1 = nn.Conv2d(in_channels, model.conv1.out_channels, 7, 2, 3, bias=False)
    return model


def widths_of(state: dict) -> tuple:
    """The stage widths of a CIFAR-family state dict (from its first conv of each stage)."""
    try:
        return tuple(int(state[f"layer{s}.0.conv1.weight"].shape[0]) for s in (1, 2, 3))
    except KeyError:
        raise ValueError("not a CIFAR-family state dict: it has no layer1.0.conv1.weight, layer2.0.conv1.weight, "
                         "layer3.0.conv1.weight") from None


def model_from_state(name: str, state: dict, in_channels: int, num_classes: int, widths=None,
                     variant: str = "v1.5", shortcut: str = "zero-pad", source: str = "the state dict") -> nn.Module:
    """build_model for `state`, loaded strictly; a CIFAR net takes the file's widths unless given.
    A state dict that does not fit raises ValueError saying what to check."""
    model = build_model(name, in_channels, num_classes, widths or (widths_of(state) if is_cifar(name) else None), variant, shortcut)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as e:
        raise ValueError(f"{source} does not fit {name} for {in_channels}-channel inputs and {num_classes} classes "
                         f"(check --model, --widths, --variant, --shortcut):\n{e}") from None
    return model
