#!/usr/bin/env python3
"""Plain-PyTorch reference for `tokendyn bench train` (used by `make bench`).

The same Mamba LM as the Go benchmark (d_model 80, 3 layers, d_state 16,
expand 2, d_conv 4, dt_rank 5, vocabulary 96, tied head, RMSNorm), trained
with AdamW and gradient clipping on random tokens (seq 256, batch 8). The
selective scan is a chunked scan in closed form inside chunks of 16
positions (h_t = e^{c_t} (h_0 + sum_{s<=t} e^{-c_s} dt_s u_s B_s), c the
cumulative sum of dt A), differentiated by autograd; no custom kernels.

Prints `torch_tokens_per_s=<median>` last. Exits 0 with a note when torch is
not installed, so that the benchmark never requires it.
"""
import argparse
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:
    print("bench torch: python3-torch is not installed; skipping the PyTorch reference")
    sys.exit(0)


class RMSNorm(torch.nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * self.weight


def chunked_scan(u, dt, A, B, C, D, chunk=16):
    """u, dt (b, l, d); A (d, n); B, C (b, l, n); D (d) -> y (b, l, d)."""
    b, l, d = u.shape
    n = A.shape[1]
    h = u.new_zeros(b, d, n)
    ys = []
    for s in range(0, l, chunk):
        e = min(s + chunk, l)
        dA = dt[:, s:e, :, None] * A  # (b, t, d, n)
        c = torch.cumsum(dA, dim=1)
        x = (dt[:, s:e] * u[:, s:e])[..., None] * B[:, s:e, None, :]
        hs = torch.exp(c) * (h[:, None] + torch.cumsum(torch.exp(-c) * x, dim=1))
        ys.append((hs * C[:, s:e, None, :]).sum(-1))
        h = hs[:, -1]
    return torch.cat(ys, dim=1) + u * D


class Mixer(torch.nn.Module):
    def __init__(self, dm, n=16, expand=2, k=4):
        super().__init__()
        di = expand * dm
        self.r = -(-dm // 16)
        self.n, self.di = n, di
        self.in_proj = torch.nn.Linear(dm, 2 * di, bias=False)
        self.conv = torch.nn.Conv1d(di, di, k, groups=di, padding=k - 1)
        self.x_proj = torch.nn.Linear(di, self.r + 2 * n, bias=False)
        self.dt_proj = torch.nn.Linear(self.r, di)
        self.A_log = torch.nn.Parameter(torch.log(torch.arange(1, n + 1).float()).repeat(di, 1))
        self.D = torch.nn.Parameter(torch.ones(di))
        self.out_proj = torch.nn.Linear(di, dm, bias=False)

    def forward(self, h):
        l = h.shape[1]
        x, z = self.in_proj(h).chunk(2, dim=-1)
        x = F.silu(self.conv(x.transpose(1, 2))[..., :l].transpose(1, 2))
        dbl = self.x_proj(x)
        dt, B, C = dbl.split([self.r, self.n, self.n], dim=-1)
        dt = F.softplus(self.dt_proj(dt))
        y = chunked_scan(x, dt, -torch.exp(self.A_log), B, C, self.D)
        return self.out_proj(y * F.silu(z))


class LM(torch.nn.Module):
    def __init__(self, dm=80, layers=3, vocab=96):
        super().__init__()
        self.emb = torch.nn.Embedding(vocab, dm)
        self.norms = torch.nn.ModuleList([RMSNorm(dm) for _ in range(layers)])
        self.mixers = torch.nn.ModuleList([Mixer(dm) for _ in range(layers)])
        self.norm_f = RMSNorm(dm)

    def forward(self, ids):
        r = self.emb(ids)
        for norm, mix in zip(self.norms, self.mixers):
            r = r + mix(norm(r))
        return self.norm_f(r) @ self.emb.weight.t()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--d-model", type=int, default=80)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--batch", type=int, default=8)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    m = LM(a.d_model, a.layers)
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(2)

    def step():
        tok = torch.randint(0, 96, (a.batch, a.seq + 1), generator=g)
        logits = m(tok[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tok[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
        opt.step()

    step()  # warm-up
    tps = []
    for r in range(a.reps):
        t0 = time.perf_counter()
        for _ in range(a.steps):
            step()
        tps.append(a.steps * a.batch * a.seq / (time.perf_counter() - t0))
        print(f"torch rep {r + 1}: {tps[-1]:.0f} tokens/s")
    print(f"torch {torch.__version__}, {a.threads} threads: median {statistics.median(tps):.0f} tokens/s")
    print(f"torch_tokens_per_s={statistics.median(tps):.1f}")


if __name__ == "__main__":
    main()
