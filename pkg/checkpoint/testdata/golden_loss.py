#!/usr/bin/python3
"""Independent float64 reference for the golden-loss test of pkg/checkpoint.

Usage: golden_loss.py DIR IDS
  DIR  a mamba_ssm-layout checkpoint (config.json + model.safetensors, F32/F64)
  IDS  comma-separated token ids of one sequence

Prints the mean next-token cross-entropy (nats) of the sequence under the
Mamba-1 LM in DIR, computed in float64 with PyTorch (Debian's python3-torch)
from the definitions in mamba_ssm's mamba_simple.py (the slow path) and
mixer_seq_simple.py: a sequential selective scan, nothing shared with the Go
code. The safetensors file is parsed here with the standard library.
"""
import json
import struct
import sys

import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        dt = {"F32": torch.float32, "F64": torch.float64}[e["dtype"]]
        t = torch.frombuffer(bytearray(data[b:end]), dtype=dt).reshape(e["shape"])
        out[name] = t.to(torch.float64)
    return out


def rms_norm(x, w, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def mixer(p, pre, h, cfg):
    L, dm = h.shape
    di = cfg["expand"] * dm
    n, k, r = cfg["d_state"], cfg["d_conv"], cfg["dt_rank"]
    xz = h @ p[pre + "in_proj.weight"].T
    x, z = xz[:, :di], xz[:, di:]
    conv = F.conv1d(x.T.unsqueeze(0), p[pre + "conv1d.weight"], p[pre + "conv1d.bias"], padding=k - 1, groups=di)
    u = F.silu(conv[0, :, :L].T)  # (L, di)
    xdbl = u @ p[pre + "x_proj.weight"].T
    dt, B, C = xdbl[:, :r], xdbl[:, r:r + n], xdbl[:, r + n:]
    delta = F.softplus(dt @ p[pre + "dt_proj.weight"].T + p[pre + "dt_proj.bias"])
    A = -torch.exp(p[pre + "A_log"])  # (di, n)
    state = torch.zeros(di, n, dtype=torch.float64)
    ys = []
    for l in range(L):
        state = torch.exp(delta[l][:, None] * A) * state + delta[l][:, None] * B[l][None, :] * u[l][:, None]
        ys.append(state @ C[l] + p[pre + "D"] * u[l])
    y = torch.stack(ys) * F.silu(z)
    return y @ p[pre + "out_proj.weight"].T


def main():
    d, ids = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
    conf = json.load(open(d + "/config.json"))
    ssm = conf.get("ssm_cfg", {})
    cfg = {"expand": ssm.get("expand", 2), "d_state": ssm.get("d_state", 16), "d_conv": ssm.get("d_conv", 4)}
    dr = ssm.get("dt_rank", "auto")
    cfg["dt_rank"] = -(-conf["d_model"] // 16) if dr == "auto" else dr
    p = read_safetensors(d + "/model.safetensors")
    emb = p["backbone.embedding.weight"]
    h = emb[torch.tensor(ids[:-1])]
    for i in range(conf["n_layer"]):
        pre = "backbone.layers.%d." % i
        h = h + mixer(p, pre + "mixer.", rms_norm(h, p[pre + "norm.weight"]), cfg)
    logits = rms_norm(h, p["backbone.norm_f.weight"]) @ emb.T
    loss = F.cross_entropy(logits, torch.tensor(ids[1:]))
    print("%.17g" % loss.item())


if __name__ == "__main__":
    main()
