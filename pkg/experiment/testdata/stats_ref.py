# Reference values for ttest_test.go, tost_test.go and power_test.go.
# Run with a Python that has scipy 1.10.1 and mpmath 1.3.0:
#   python3 pkg/experiment/testdata/stats_ref.py
# Student t quantiles come from mpmath (30 digits), because scipy 1.10.1's
# stats.t.ppf is off by ~5e-9 (t.ppf(0.95, 4) = 2.13184678133629, exact
# 2.13184678632665...); everything else is scipy.
import mpmath as mp
import numpy as np
from scipy import integrate, optimize, stats

mp.mp.dps = 30


def tppf(q, nu):
    cdf = lambda x: 1 - mp.betainc(nu / 2.0, 0.5, 0, nu / (nu + x**2), regularized=True) / 2
    return float(mp.findroot(lambda x: cdf(x) - mp.mpf(q), float(stats.t.ppf(q, nu))))


D = {
    "d1": [0.10, 0.10, -0.05, 0.20, 0.10],
    "d2": [-0.031, -0.012, -0.044, -0.020, -0.027, -0.036, -0.009, -0.025],
    "d3": [1.2, -0.4, 0.3, 0.8, -0.1, 0.5],
}

print("# t-test: r = stats.ttest_1samp(d, 0, alternative=alt); r.statistic, r.pvalue; 95 % interval mean -+ tppf * stats.sem(d)")
for k, d in D.items():
    m, se, nu = np.mean(d), stats.sem(d), len(d) - 1
    for alt in ["two-sided", "greater", "less"]:
        r = stats.ttest_1samp(d, 0, alternative=alt)
        if alt == "two-sided":
            lo, hi = m - tppf(0.975, nu) * se, m + tppf(0.975, nu) * se
        elif alt == "greater":
            lo, hi = m - tppf(0.95, nu) * se, np.inf
        else:
            lo, hi = -np.inf, m + tppf(0.95, nu) * se
        print(k, alt, repr(r.statistic), repr(r.pvalue), repr(lo), repr(hi))

print("# TOST: pl = ttest_1samp(d, -m, alternative='greater').pvalue, pu = ttest_1samp(d, m, alternative='less').pvalue")
for k, m in [("d1", 0.25), ("d1", 0.1), ("d2", 0.05), ("d2", 0.02), ("d3", 1.0)]:
    d = D[k]
    pl = stats.ttest_1samp(d, -m, alternative="greater").pvalue
    pu = stats.ttest_1samp(d, m, alternative="less").pvalue
    print(k, m, repr(pl), repr(pu), repr(max(pl, pu)))


def power_t(delta, sigma, n, alpha, alt):
    # stats.nct.sf(c, n-1, delta*sqrt(n)/sigma) (+ stats.nct.cdf(-c, ...) two-sided)
    df, nc = n - 1, delta * np.sqrt(n) / sigma
    if alt == "two":
        c = tppf(1 - alpha / 2, df)
        return stats.nct.sf(c, df, nc) + stats.nct.cdf(-c, df, nc)
    c = tppf(1 - alpha, df)
    return stats.nct.sf(c, df, nc) if alt == "greater" else stats.nct.cdf(-c, df, nc)


print("# t-test power (delta, sigma, n, alpha, alternative)")
for c in [(1, 1, 5, 0.05, "two"), (0.5, 1, 20, 0.05, "two"), (1, 1, 2, 0.05, "two"), (0.3, 1, 100, 0.05, "greater"),
          (-0.3, 1, 100, 0.05, "less"), (-0.3, 1, 100, 0.05, "greater"), (1.7, 1, 5, 0.05, "two"),
          (0.1, 1, 1000, 0.01, "two"), (0.02, 0.05, 15, 0.05, "two"), (2.5, 0.7, 3, 0.05, "two"), (0, 1, 10, 0.05, "two"),
          (5, 1, 2, 0.001, "two"), (3, 1, 2, 0.0001, "two"), (0.05, 1, 3, 0.001, "two")]:
    print(c, repr(power_t(*c)))


def power_tost(delta, sigma, n, alpha, m):
    # an integral over V = (n-1) S^2 / sigma^2 ~ chi2(n-1), independent of power.go's over chi(n-1)
    df, se = n - 1, sigma / np.sqrt(n)
    c = tppf(1 - alpha, df)

    def g(v):
        h = c * sigma * np.sqrt(v / df) / np.sqrt(n)
        if h >= m:
            return 0.0
        return (stats.norm.cdf((m - h - delta) / se) - stats.norm.cdf((-m + h - delta) / se)) * stats.chi2.pdf(v, df)

    vstar = df * (m * np.sqrt(n) / (c * sigma)) ** 2
    return integrate.quad(g, 0, vstar, epsabs=1e-14, epsrel=1e-12, limit=500)[0]


print("# TOST power (delta, sigma, n, alpha, m)")
for c in [(0, 1, 10, 0.05, 1), (0.2, 1, 20, 0.05, 0.5), (0, 1, 3, 0.05, 1), (0.1, 0.5, 50, 0.05, 0.2),
          (0, 0.03, 15, 0.05, 0.02), (-0.3, 1, 40, 0.05, 0.5)]:
    print(c, repr(power_tost(*c)))

print("# min pairs (delta, sigma, alpha, power, alternative): n, power(n-1), power(n)")
for d, s, a, pw, alt in [(0.5, 1, 0.05, 0.8, "two"), (1, 1, 0.05, 0.8, "two"), (0.2, 1, 0.05, 0.9, "two"),
                         (0.5, 1, 0.05, 0.8, "greater"), (0.025, 0.03, 0.05, 0.8, "two"), (3, 1, 0.05, 0.8, "two")]:
    n = 2
    while power_t(d, s, n, a, alt) < pw:
        n += 1
    print((d, s, a, pw, alt), n, repr(power_t(d, s, n - 1, a, alt)) if n > 2 else "", repr(power_t(d, s, n, a, alt)))

print("# min detectable (n, sigma, alpha, power, alternative): brentq on power_t")
for n, s, a, pw, alt in [(5, 1, 0.05, 0.8, "two"), (15, 0.03, 0.05, 0.8, "two"), (30, 1, 0.05, 0.9, "greater"),
                         (2, 1, 0.05, 0.8, "two")]:
    f = lambda d: power_t(d, s, n, a, alt) - pw
    print((n, s, a, pw, alt), repr(optimize.brentq(f, 1e-9, 100 * s, xtol=1e-14, rtol=1e-13)))
