"""PyTorch CPU reference for bench/train: training throughput of a ResNet.

--model resnet20 (the default) is the same network as @resnet/zoo's
createModel('resnet20'): 3x3 stem with 16 filters, three stages of three basic
blocks (16/32/64 filters), option-A shortcuts (subsample, zero-pad channels
equally on both sides), global average pooling, a 10-way linear layer, on
32x32 images. resnet18, resnet34 and resnet50 are torchvision's, on 224x224
images with 1000 classes, as createModel builds them. Cross-entropy, SGD with
momentum 0.9.
Prints one JSON object: {backend, model, batchSize, imagesPerSec, threads, msPerStep, cpuMsPerStep, peakRssMb}.
"""
import argparse
import json
import os
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride, shortcut):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.stride, self.cin, self.cout, self.kind = stride, cin, cout, shortcut
        if shortcut == 'B' and (stride != 1 or cin != cout):
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        else:
            self.down = None

    def forward(self, x):
        y = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        s = x
        if self.stride != 1 or self.cin != self.cout:
            if self.down is not None:
                s = self.down(x)
            else:
                pad = (self.cout - self.cin) // 2
                s = F.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, pad, self.cout - self.cin - pad))
        return F.relu(s + y)


class ResNet20(nn.Module):
    def __init__(self, shortcut='A', num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks, cin = [], 16
        for stage, cout in enumerate([16, 32, 64]):
            for b in range(3):
                blocks.append(Block(cin, cout, 2 if stage > 0 and b == 0 else 1, shortcut))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--steps', type=int, default=5)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--threads', type=int, default=os.cpu_count())
    p.add_argument('--shortcut', choices=['A', 'B'], default='A')
    p.add_argument('--model', choices=['resnet20', 'resnet18', 'resnet34', 'resnet50'], default='resnet20')
    a = p.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    if a.model == 'resnet20':
        model, size, classes = ResNet20(a.shortcut), 32, 10
    else:
        import torchvision
        model, size, classes = getattr(torchvision.models, a.model)(num_classes=1000), 224, 1000
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    x = torch.randn(a.batch, 3, size, size)
    y = torch.randint(0, classes, (a.batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        step()
    ms = (time.perf_counter() - t0) / a.steps * 1000
    cpu_ms = (time.process_time() - c0) / a.steps * 1000
    print(json.dumps({'backend': 'pytorch-cpu', 'model': a.model, 'batchSize': a.batch,
                      'imagesPerSec': round(a.batch / ms * 1000, 2), 'threads': torch.get_num_threads(),
                      'msPerStep': round(ms, 1), 'cpuMsPerStep': round(cpu_ms, 1), 'torch': torch.__version__,
                      'peakRssMb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


if __name__ == '__main__':
    main()
