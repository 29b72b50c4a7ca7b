#!/usr/bin/python3
"""Writes src/data/torchvision-meta.json: the published ImageNet top-1/top-5 of the
torchvision ResNet weights (from the weights' own metadata) plus parameter and
multiply-accumulate counts of the torchvision models, as the reference the demo
cites and the e2e test checks the live numbers against.

Run with Debian's python (torch 1.13 / torchvision 0.14):
    /usr/bin/python3 apps/demo/scripts/torchvision-meta.py
"""
import json
import pathlib

import torch
import torchvision.models as tvm

MODELS = {
    'resnet18': tvm.ResNet18_Weights,
    'resnet34': tvm.ResNet34_Weights,
    'resnet50': tvm.ResNet50_Weights,
    'resnet101': tvm.ResNet101_Weights,
    'resnet152': tvm.ResNet152_Weights,
}


def count_macs(model):
    """Multiply-accumulates of one 224x224 image: convolutions and the linear layer."""
    total = 0

    def conv_hook(m, _inp, out):
        nonlocal total
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        total += out.numel() * k

    def linear_hook(m, _inp, out):
        nonlocal total
        total += out.numel() * m.in_features

    for m in model.modules():
        if isinstance(m, torch.nn.Conv2d):
            m.register_forward_hook(conv_hook)
        elif isinstance(m, torch.nn.Linear):
            m.register_forward_hook(linear_hook)
    with torch.no_grad():
        model.eval()(torch.zeros(1, 3, 224, 224))
    return total


out = {}
for name, weights in MODELS.items():
    model = getattr(tvm, name)()
    params = sum(p.numel() for p in model.parameters())
    buffers = sum(b.numel() for n, b in model.named_buffers() if not n.endswith('num_batches_tracked'))
    out[name] = {
        'params': params,
        'bnStats': buffers,
        'macs': count_macs(model),
        'weights': [
            {
                'name': str(w).split('.')[-1],
                'acc1': w.meta.get('metrics', w.meta.get('_metrics'))['ImageNet-1K']['acc@1'],
                'acc5': w.meta.get('metrics', w.meta.get('_metrics'))['ImageNet-1K']['acc@5'],
                'recipe': w.meta['recipe'],
            }
            for w in weights
        ],
    }

dest = pathlib.Path(__file__).resolve().parent.parent / 'src' / 'data' / 'torchvision-meta.json'
dest.write_text(json.dumps(out, indent=2) + '\n')
print(f'wrote {dest}')
for k, v in out.items():
    print(k, v['params'], v['macs'], [w['acc1'] for w in v['weights']])
