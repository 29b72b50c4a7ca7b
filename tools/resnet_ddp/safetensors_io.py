"""safetensors in plain Python, so no `safetensors` package is needed.

The format: an 8-byte little-endian header length, a JSON header mapping each
name to {dtype, shape, data_offsets} (offsets into the data section, which
follows the header), and an optional "__metadata__" map of strings. Data is
little-endian and row-major. Files written here load with
`safetensors.torch.load_file`, and files written by it (or by @resnet/zoo's
`exportWeights`) load here.
"""
import json
import os
import struct

import numpy as np
import torch

_DTYPE_OF = {
    torch.float64: "F64",
    torch.float32: "F32",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
    torch.int64: "I64",
    torch.int32: "I32",
    torch.int16: "I16",
    torch.int8: "I8",
    torch.uint8: "U8",
    torch.bool: "BOOL",
}
_NUMPY_OF = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}
_BYTES_OF = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}
# The reference implementation refuses headers over 100 MB; so do we, before reading them.
MAX_HEADER_BYTES = 100_000_000


def _to_bytes(t: torch.Tensor) -> bytes:
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(_NUMPY_OF[_DTYPE_OF[t.dtype]]).tobytes()


def save(tensors: dict, path: str, metadata: dict = None) -> None:
    """Writes `tensors` (name -> tensor, in order) to `path`; `metadata` values must be strings."""
    header, chunks, off = {}, [], 0
    if metadata:
        bad = [k for k, v in metadata.items() if not isinstance(v, str)]
        if bad:
            raise ValueError(f"safetensors metadata values must be strings; not: {', '.join(bad)}")
        header["__metadata__"] = metadata
    for k, t in tensors.items():
        if t.dtype not in _DTYPE_OF:
            raise ValueError(f"{path}: cannot store '{k}' of dtype {t.dtype}; storable: {', '.join(map(str, _DTYPE_OF))}")
        b = _to_bytes(t)
        header[k] = {"dtype": _DTYPE_OF[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        chunks.append(b)
        off += len(b)
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)  # align the data section, as the reference writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


def read_header(path: str) -> tuple:
    """(entries, metadata, data_start): the validated header of `path`, nothing decoded."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        if size < 8:
            raise ValueError(f"{path}: {size} bytes is not a safetensors file (the 8-byte header length is missing)")
        (n,) = struct.unpack("<Q", f.read(8))
        if n > MAX_HEADER_BYTES or 8 + n > size:
            raise ValueError(f"{path}: header length {n} is beyond the file ({size} bytes) or over {MAX_HEADER_BYTES}")
        try:
            header = json.loads(f.read(n))
        except ValueError as e:
            raise ValueError(f"{path}: the header is not JSON ({e})") from None
    metadata = header.pop("__metadata__", None) or {}
    data_start = 8 + n
    for k, v in header.items():
        dtype, shape, (a, b) = v["dtype"], v["shape"], v["data_offsets"]
        if dtype not in _BYTES_OF:
            raise ValueError(f"{path}: '{k}' has dtype {dtype}; readable: {', '.join(_BYTES_OF)}")
        if b - a != int(np.prod(shape, dtype=np.int64)) * _BYTES_OF[dtype] or a < 0 or data_start + b > size:
            raise ValueError(f"{path}: '{k}' (shape {shape}, {dtype}) has data_offsets [{a}, {b}] that do not fit its shape or the file")
    return header, metadata, data_start


def load_with_metadata(path: str) -> tuple:
    """(tensors, metadata): every tensor of `path` as a torch tensor, and the metadata strings."""
    header, metadata, start = read_header(path)
    out = {}
    with open(path, "rb") as f:
        for k, v in header.items():
            a, b = v["data_offsets"]
            f.seek(start + a)
            buf = f.read(b - a)
            if v["dtype"] == "BF16":
                t = torch.from_numpy(np.frombuffer(buf, dtype="<i2").copy()).view(torch.bfloat16)
            else:
                t = torch.from_numpy(np.frombuffer(buf, dtype=_NUMPY_OF[v["dtype"]]).copy())
            out[k] = t.reshape(v["shape"])
    return out, metadata


def load(path: str) -> dict:
    """Every tensor of `path` as a torch tensor (name -> tensor, in file order)."""
    return load_with_metadata(path)[0]
