"""The safetensors layout, written by hand because Debian 12 has no python3-safetensors: an 8-byte
little-endian header length, a JSON header (dtype, shape, data_offsets per tensor, __metadata__), then
each array's raw little-endian bytes in order. Used by the fixture scripts in tools/."""
import json
import struct

import numpy as np

DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64", np.dtype(np.int64): "I64",
          np.dtype(np.uint8): "U8", np.dtype(np.bool_): "BOOL"}


def save_arrays(arrays, path, metadata=None):
    """arrays: name -> numpy array (float32/64, int64, uint8, bool)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, a in arrays.items():
        a = np.asarray(a, order="C")  # not ascontiguousarray: it turns 0-d arrays into 1-d
        data = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": DTYPES[a.dtype], "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
