#!/usr/bin/env python3
"""Compare two safetensors state dicts key by key.

    python3 tools/resnet_ddp/compare_weights.py A.safetensors B.safetensors [--tolerance 1e-4]

Prints, for the float tensors, the largest max |a - b| / max |b| over the keys
(and which key) and the largest absolute difference; integer tensors must be
equal. Exit code 1 when the keys or shapes differ or a tolerance is exceeded.
"""
import argparse
import sys

from safetensors_io import load


def compare_states(a: dict, b: dict) -> dict:
    """{'worst_key', 'relative', 'max_abs', 'int_mismatch'}; raises ValueError when keys or shapes differ."""
    if a.keys() != b.keys():
        raise ValueError(f"keys differ: only in A {sorted(a.keys() - b.keys())}, only in B {sorted(b.keys() - a.keys())}")
    worst, rel, max_abs, int_mismatch = None, 0.0, 0.0, []
    for k in a:
        x, y = a[k], b[k]
        if x.shape != y.shape:
            raise ValueError(f"{k}: shape {list(x.shape)} vs {list(y.shape)}")
        if not x.is_floating_point():
            if not bool((x == y).all()):
                int_mismatch.append(k)
            continue
        d = (x.double() - y.double()).abs().max().item() if x.numel() else 0.0
        scale = y.double().abs().max().item() if y.numel() else 0.0
        r = d / scale if scale > 0 else d
        max_abs = max(max_abs, d)
        if r >= rel:
            worst, rel = k, r
    return {"worst_key": worst, "relative": rel, "max_abs": max_abs, "int_mismatch": int_mismatch}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--tolerance", type=float, default=1e-4, help="largest accepted max|a - b| / max|b| of any tensor")
    args = p.parse_args(argv)
    a, b = load(args.a), load(args.b)
    c = compare_states(a, b)
    ok = c["relative"] <= args.tolerance and not c["int_mismatch"]
    print(f"{len(a)} tensors; largest max|a - b| / max|b| = {c['relative']:.3g} ({c['worst_key']}), "
          f"largest |a - b| = {c['max_abs']:.3g}; integer tensors {'equal' if not c['int_mismatch'] else 'DIFFER: ' + ', '.join(c['int_mismatch'])}"
          f" -> {'SAME' if ok else 'DIFFERENT'} at tolerance {args.tolerance:g}")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, OSError) as e:
        sys.exit(f"error: {e}")
