"""BatchNorm over the global batch, on CPU (gloo) as well as GPU (NCCL).

With DDP each process normalises by the statistics of its own share of the
batch, so N processes x B/N images do not train like one process x B images.
PyTorch's SyncBatchNorm fixes that on GPUs only (torch 1.13: "SyncBatchNorm
expected input tensor to be on GPU"). This module does the same with two
differentiable all-reduces (torch.distributed.nn), so training-mode outputs,
gradients and running statistics are those of the global batch up to float
summation order. In eval mode it is plain BatchNorm2d, and its state dict is
BatchNorm2d's.
"""
import torch
import torch.distributed.nn.functional as dfn
import torch.nn as nn


class GlobalBatchNorm2d(nn.BatchNorm2d):
    """nn.BatchNorm2d whose training statistics are all-reduced over the default process group."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return super().forward(x)
        c = x.shape[1]
        # One collective for the sums and the count (the count carries no gradient).
        local = torch.cat([x.sum(dim=(0, 2, 3)), x.new_tensor([x.numel() // c])])
        total = dfn.all_reduce(local)
        n = float(total[c])
        mean = total[:c] / n
        centred = x - mean.view(1, c, 1, 1)
        var = dfn.all_reduce((centred * centred).sum(dim=(0, 2, 3))) / n
        y = centred * torch.rsqrt(var + self.eps).view(1, c, 1, 1)
        if self.affine:
            y = y * self.weight.view(1, c, 1, 1) + self.bias.view(1, c, 1, 1)
        if self.track_running_stats:
            with torch.no_grad():
                self.num_batches_tracked.add_(1)
                m = self.momentum
                self.running_mean.mul_(1 - m).add_(mean, alpha=m)
                self.running_var.mul_(1 - m).add_(var * (n / max(1.0, n - 1)), alpha=m)
        return y


def to_global_bn(module: nn.Module) -> nn.Module:
    """Replaces every nn.BatchNorm2d in `module` (in place) by a GlobalBatchNorm2d holding
    the same parameters and buffers; returns `module` (or the replacement, if it is one)."""
    if isinstance(module, nn.BatchNorm2d) and not isinstance(module, GlobalBatchNorm2d):
        if module.momentum is None:
            raise ValueError("GlobalBatchNorm2d needs a BatchNorm momentum (cumulative averaging is not supported)")
        g = GlobalBatchNorm2d(module.num_features, module.eps, module.momentum, module.affine, module.track_running_stats)
        g.load_state_dict(module.state_dict())
        g.train(module.training)
        return g
    for name, child in module.named_children():
        setattr(module, name, to_global_bn(child))
    return module

