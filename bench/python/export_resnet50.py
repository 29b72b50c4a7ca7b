"""Makes the ResNet-50 that bench/infer runs everywhere: torchvision's resnet50
with its default (seeded) initialisation, in eval mode, written as
  <out>/resnet50-nbatch.onnx   (torch.onnx.export, opset 13, NCHW, batch size dynamic)
  <out>/resnet50.safetensors   (the state_dict, for @resnet/zoo loadWeights from 'torchvision')
  <out>/resnet50.input.bin / .logits.bin  (a fixed input and PyTorch's logits, float32)
Random weights: latency does not depend on the values, and nothing is downloaded.
BN running statistics are perturbed so a wrong mapping shows in the logits.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torchvision


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        a = t.detach().contiguous().numpy().astype(np.float32)
        b = a.tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(a.shape), 'data_offsets': [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else '.cache'
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = torchvision.models.resnet50()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.1, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.0)
    model.eval()
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        logits = model(x)
    state = {k: v for k, v in model.state_dict().items() if not k.endswith('num_batches_tracked')}
    write_safetensors(os.path.join(out, 'resnet50.safetensors'), state)
    x.numpy().astype(np.float32).tofile(os.path.join(out, 'resnet50.input.bin'))
    logits.numpy().astype(np.float32).tofile(os.path.join(out, 'resnet50.logits.bin'))
    torch.onnx.export(model, x, os.path.join(out, 'resnet50-nbatch.onnx'), opset_version=13,
                      input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    print(json.dumps({'out': out, 'params': sum(p.numel() for p in model.parameters())}))


if __name__ == '__main__':
    main()
