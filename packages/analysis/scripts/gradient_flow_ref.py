"""PyTorch reference for the gradientFlow contrast test (run by hand, not in CI).

CIFAR ResNet-56 (He et al. 2015, option-A zero-pad shortcuts, as akamaster's
pytorch_resnet_cifar10) and its plain twin, Kaiming-normal fan-out init (as the
@resnet/blocks default), BatchNorm in training mode, batch of 8 random 8x8
inputs, cross-entropy. Prints the ratio of the gradient norm at the stack input
(stem ReLU output) to that at the stack output (last block), over several seeds.

    /usr/bin/python3 packages/analysis/scripts/gradient_flow_ref.py
"""
import statistics

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride, residual):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.residual = residual
        self.pad = cout - cin
        self.stride = stride

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        if self.residual:
            s = x[:, :, :: self.stride, :: self.stride]
            if self.pad:
                s = F.pad(s, (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
            y = y + s
        return F.relu(y)


class Net(nn.Module):
    def __init__(self, n, residual):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for s, c in enumerate([16, 32, 64]):
            for b in range(n):
                blocks.append(Block(cin, c, 2 if (b == 0 and s > 0) else 1, residual))
                cin = c
        self.blocks = nn.ModuleList(blocks)
        self.fc = nn.Linear(64, 10)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x, keep):
        x = F.relu(self.bn1(self.conv1(x)))
        x.retain_grad()
        keep.append(x)
        for b in self.blocks:
            x = b(x)
        x.retain_grad()
        keep.append(x)
        return self.fc(x.mean((2, 3)))


def ratio(residual, seed):
    torch.manual_seed(seed)
    net = Net(9, residual).train()
    x = torch.randn(8, 3, 8, 8)
    y = torch.arange(8)
    keep = []
    F.cross_entropy(net(x, keep), y).backward()
    return (keep[0].grad.norm() / keep[1].grad.norm()).item()


for residual in (True, False):
    r = [ratio(residual, s) for s in range(10)]
    name = "resnet56" if residual else "plain56"
    print(f"{name}: input/output grad-norm ratio median {statistics.median(r):.3g}, min {min(r):.3g}, max {max(r):.3g}")
