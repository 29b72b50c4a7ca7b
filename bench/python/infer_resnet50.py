"""PyTorch CPU latency of torchvision ResNet-50, 224x224 (eval, no_grad), batch --batch (1).
Prints one JSON object: {backend, model, batchSize, msMedian, msMin, threads}."""
import argparse
import json
import os
import time

import torch
import torchvision


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--runs', type=int, default=20)
    p.add_argument('--warmup', type=int, default=3)
    p.add_argument('--threads', type=int, default=os.cpu_count())
    p.add_argument('--batch', type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = torchvision.models.resnet50().eval()
    x = torch.randn(a.batch, 3, 224, 224)
    times = []
    with torch.no_grad():
        for i in range(a.warmup + a.runs):
            t0 = time.perf_counter()
            model(x)
            if i >= a.warmup:
                times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({'backend': 'pytorch-cpu', 'model': 'resnet50', 'batchSize': a.batch,
                      'msMedian': round(times[len(times) // 2], 2), 'msMin': round(times[0], 2),
                      'threads': torch.get_num_threads(), 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
