"""Peak resident set size of PyTorch CPU running torchvision's ResNet-50 (eval, no_grad):
torchvision's resnet50 built (default initialisation: the values do not change the memory),
--runs predictions at each --batch.
Prints one JSON object: {peakRssMb, threads, torch}. Used by bench:resnet50-node --memory."""
import argparse
import json
import resource

import torch
import torchvision


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--batch', default='1,8')
    p.add_argument('--runs', type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = torchvision.models.resnet50().eval()
    with torch.no_grad():
        for b in [int(s) for s in a.batch.split(',')]:
            x = torch.randn(b, 3, 224, 224)
            for _ in range(a.runs):
                model(x)
    # Linux reports ru_maxrss in KiB.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'peakRssMb': round(peak), 'threads': torch.get_num_threads(), 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
