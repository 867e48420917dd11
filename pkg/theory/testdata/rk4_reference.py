#!/usr/bin/env python3
"""Reference values of the one-dimensional token dynamics (docs/paper.md §10).

An implementation independent of the Go code: the standard library only,
classical fixed-step Runge-Kutta 4, and a quadrature. It prints JSON on
standard output; the committed copy is its output, byte for byte:

    python3 pkg/theory/testdata/rk4_reference.py > pkg/theory/testdata/rk4_reference.json

The system (D = 1, A = -a I_N, mu = S_C^T S_B) is

    dx_l/dt = mu x_l sum_{j<=l} x_j^2 Delta(x_j) exp(-a sum_{k=j+1..l} Delta(x_k)),
    Delta(x) = softplus(S_Delta x),

evaluated by the scan h_l = exp(-a Delta_l) h_{l-1} + Delta_l x_l^2,
dx_l/dt = mu x_l h_l, and checked against the explicit double sum.

Every value is computed at step h and at step h/2; the printed value is the
h/2 one rounded to 10 significant digits, and "max_change_on_halving" is the
largest difference between the two (the error of the h/2 value is about a
fifteenth of it for a fourth-order method).
"""

import json
import math
import sys


def softplus(z):
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def rhs(mu, sd, a, x):
    """dx/dt by the scan, O(L)."""
    out = []
    h = 0.0
    for xl in x:
        d = softplus(sd * xl)
        h = math.exp(-a * d) * h + d * xl * xl
        out.append(mu * xl * h)
    return out


def rhs_explicit(mu, sd, a, x):
    """dx/dt by the double sum over the hidden attention, O(L^2)."""
    delta = [softplus(sd * xl) for xl in x]
    out = []
    for l, xl in enumerate(x):
        total = 0.0
        for j in range(l + 1):
            decay = sum(delta[j + 1:l + 1])
            total += x[j] * x[j] * delta[j] * math.exp(-a * decay)
        out.append(mu * xl * total)
    return out


def check_rhs(mu, sd, a, x):
    for u, v in zip(rhs(mu, sd, a, x), rhs_explicit(mu, sd, a, x)):
        if abs(u - v) > 1e-13 * max(1.0, abs(v)):
            sys.exit("rk4_reference: scan and explicit sum disagree: %r vs %r" % (u, v))


def rk4_step(f, y, h):
    k1 = f(y)
    k2 = f([yi + 0.5 * h * ki for yi, ki in zip(y, k1)])
    k3 = f([yi + 0.5 * h * ki for yi, ki in zip(y, k2)])
    k4 = f([yi + h * ki for yi, ki in zip(y, k3)])
    return [yi + h / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
            for yi, a1, a2, a3, a4 in zip(y, k1, k2, k3, k4)]


def log_time(mu, sd, a, x0, times, h):
    """x(t) at the given times, RK4 in tau = ln(1 + t) with steps <= h.

    dx/dtau = (1 + t) dx/dt = e^tau dx/dt. Each interval between output
    times is cut into equal steps, so the outputs fall on the grid.
    """
    x = list(x0)
    tau = 0.0
    out = []
    for t in times:
        tau_end = math.log1p(t)
        n = max(1, math.ceil((tau_end - tau) / h))
        step = (tau_end - tau) / n
        for i in range(n):
            x = rk4_step_tau(mu, sd, a, x, tau + i * step, step)
        tau = tau_end
        out.append(list(x))
    return out


def rk4_step_tau(mu, sd, a, x, tau, h):
    """One RK4 step of dx/dtau = e^tau dx/dt (non-autonomous in tau)."""
    def f(y, at):
        return [math.exp(at) * v for v in rhs(mu, sd, a, y)]
    k1 = f(x, tau)
    k2 = f([xi + 0.5 * h * ki for xi, ki in zip(x, k1)], tau + 0.5 * h)
    k3 = f([xi + 0.5 * h * ki for xi, ki in zip(x, k2)], tau + 0.5 * h)
    k4 = f([xi + h * ki for xi, ki in zip(x, k3)], tau + h)
    return [xi + h / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
            for xi, a1, a2, a3, a4 in zip(x, k1, k2, k3, k4)]


def simpson(g, lo, hi, n):
    """Composite Simpson rule with n (even) intervals."""
    w = (hi - lo) / n
    total = g(lo) + g(hi)
    for i in range(1, n):
        total += (4.0 if i % 2 else 2.0) * g(lo + i * w)
    return total * w / 3.0


def single_token_tail(mu, sd, x):
    """Time for a lone token to go from x > 0 (S_Delta, mu > 0) to infinity.

    T = int_x^inf dy / (mu y^3 softplus(S_Delta y)); with y = x/u the
    integrand u / (mu x^2 softplus(S_Delta x / u)) is smooth on [0, 1]
    (it vanishes like u^2 at u = 0).
    """
    def g(u):
        if u == 0.0:
            return 0.0
        return u / (mu * x * x * softplus(sd * x / u))
    return simpson(g, 0.0, 1.0, 4096), simpson(g, 0.0, 1.0, 2048)


def blowup_time(mu, sd, a, x0, h, x_stop=1e6):
    """T* of the system, RK4 in the arclength-like variable s.

    With dt/ds = (1 + |x|^2)^(-3/2) the state grows only exponentially in s
    near the blow-up, so fixed steps reach |x| = x_stop; the remaining time
    of token 1 (which evolves on its own) is added by quadrature.
    """
    def f(y):
        x = y[:-1]
        r2 = sum(v * v for v in x)
        w = (1.0 + r2) ** -1.5
        return [w * v for v in rhs(mu, sd, a, x)] + [w]
    y = list(x0) + [0.0]
    while max(abs(v) for v in y[:-1]) < x_stop:
        y = rk4_step(f, y, h)
    tail, _ = single_token_tail(mu, sd, y[0])
    return y[-1] + tail, y[:-1]


def sig(v):
    return float("%.10g" % v)


def convergence():
    mu, sd, a, x0 = -1.0, 1.0, 1.0, [1.0, -0.8, 0.5, 1.2]
    times = [10.0, 100.0, 1000.0, 10000.0]
    check_rhs(mu, sd, a, x0)
    h = 1.0 / 1024
    coarse = log_time(mu, sd, a, x0, times, h)
    fine = log_time(mu, sd, a, x0, times, h / 2)
    change = max(abs(math.sqrt(t) * (u - v)) for t, cu, fu in zip(times, coarse, fine) for u, v in zip(cu, fu))
    return {
        "mu": mu, "s_delta": sd, "a": a, "x0": x0, "t": times,
        "sqrt_t_x": [[sig(math.sqrt(t) * v) for v in row] for t, row in zip(times, fine)],
        "sqrt_t_x1_limit": sig((2.0 * abs(mu) * math.log(2.0)) ** -0.5),
        "method": "RK4 in tau = ln(1 + t), step %g, compared with step %g" % (h / 2, h),
        "max_change_on_halving": float("%.2g" % change),
    }


def slow_divergence():
    mu, sd, a, x0 = 1.0, -1.0, 1.0, [1.0, 0.8, 0.5, 1.2]
    times = [1e2, 1e4, 1e6]
    check_rhs(mu, sd, a, x0)
    h = 1.0 / 1024
    coarse = log_time(mu, sd, a, x0, times, h)
    fine = log_time(mu, sd, a, x0, times, h / 2)
    change = max(abs(u - v) for cu, fu in zip(coarse, fine) for u, v in zip(cu, fu))
    return {
        "mu": mu, "s_delta": sd, "a": a, "x0": x0, "t": times,
        "x": [[sig(v) for v in row] for row in fine],
        "x1_over_ln_t": [sig(row[0] / math.log(t)) for t, row in zip(times, fine)],
        "method": "RK4 in tau = ln(1 + t), step %g, compared with step %g" % (h / 2, h),
        "max_change_on_halving": float("%.2g" % change),
    }


def fast_divergence():
    mu, sd, a, x0 = 1.0, 1.0, 1.0, [0.5, -0.3, 0.4]
    check_rhs(mu, sd, a, x0)
    h = 1.0 / 512
    coarse, _ = blowup_time(mu, sd, a, x0, h)
    fine, _ = blowup_time(mu, sd, a, x0, h / 2)
    q4096, q2048 = single_token_tail(mu, sd, x0[0])
    return {
        "mu": mu, "s_delta": sd, "a": a, "x0": x0,
        "blowup_time": sig(fine),
        "single_token_blowup_time": sig(q4096),
        "blowup_time_bound": sig(1.0 / (3.0 * mu * abs(sd) * abs(x0[0]) ** 3)),
        "method": "RK4 in s with dt/ds = (1 + |x|^2)^(-3/2) up to |x| = 1e6, step %g, compared with step %g; "
                  "the rest of token 1's time and the single-token time by Simpson's rule (4096 intervals, compared with 2048)" % (h / 2, h),
        "max_change_on_halving": float("%.2g" % max(abs(fine - coarse), abs(q4096 - q2048))),
    }


def main():
    out = {
        "about": "Reference values of the 1-D token dynamics (A = -a I), computed by rk4_reference.py "
                 "(standard-library Python, independent of the Go code); not from the paper. See docs/paper.md §10.",
        "convergence": convergence(),
        "slow_divergence": slow_divergence(),
        "fast_divergence": fast_divergence(),
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
