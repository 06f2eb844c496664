#!/usr/bin/python3
"""Expected numbers for PairedComparisonTests, computed with SciPy (Debian's python3-scipy).

Run with /usr/bin/python3 reference_values.py; it prints the C# literals that
PairedComparisonTests.cs keeps. Differences are to - from. The Wilcoxon method follows
RecoveryStudy's rule: zero differences dropped (zero_method="wilcox"), then exact up to 200
non-zero differences, otherwise the normal approximation with tie and continuity correction.
Exact p-values come from SciPy itself: wilcoxon(method="exact") where there are no ties and no
zeros; with ties or zeros (which that method does not handle) permutation_test enumerating every
sign assignment of the observed mid-ranks, which SciPy can do for up to about 20 differences.
"""
import numpy as np
import scipy
from scipy import optimize, stats

DATASETS = {
    "small_exact": ([12, 15, 9, 20, 14, 11, 17, 13], [14, 19, 8, 26, 15.5, 16, 20, 12.5]),
    "small_with_zero": ([3, 4, 2, 5, 4, 3], [4, 4, 4, 6, 2, 5]),
    "ties": ([2, 3, 3, 4, 1, 2, 5, 3, 2, 4, 3, 1], [3, 4, 5, 5, 3, 3, 5, 5, 4, 6, 4, 2]),
    "zeros_and_ties": ([10, 12, 9, 14, 11, 10, 13, 12, 8, 15, 11, 10, 9, 12, 14],
                       [12, 12, 11, 13, 13, 10, 16, 12, 9, 17, 14, 11, 9, 15, 13]),
    "exact_n30": ([round(50 + 7 * np.sin(i * 1.7) + i * 0.31, 3) for i in range(30)],
                  [round(52 + 6 * np.cos(i * 1.3) + i * 0.29 + (i % 7) * 0.137, 3) for i in range(30)]),
    "likert_n240": ([1 + (i * 7) % 6 for i in range(240)], [min(6, 1 + (i * 5 + 3) % 6 + (i % 4 == 0)) for i in range(240)]),
}


def mode_for(d):
    return "exact" if np.count_nonzero(d) <= 200 else "approx"


def wilcoxon_p(d, mode):
    nz = d[d != 0]
    ties = len(np.unique(np.abs(nz))) != len(nz)
    if mode == "approx":
        return stats.wilcoxon(d, zero_method="wilcox", correction=True, method="approx")
    if not ties and len(nz) == len(d):
        return stats.wilcoxon(d, method="exact")
    assert len(nz) <= 20, "SciPy cannot enumerate 2^n sign assignments for this n"
    ranks = stats.rankdata(np.abs(nz))
    w_plus = lambda x, axis=-1: np.sum(np.where(x > 0, ranks, 0), axis=axis)
    res = stats.permutation_test((nz,), w_plus, permutation_type="samples", n_resamples=np.inf, alternative="two-sided", vectorized=True)
    t = min(w_plus(nz), ranks.sum() - w_plus(nz))
    return type("W", (), {"statistic": t, "pvalue": min(1.0, res.pvalue)})


def lit(x):
    return repr(float(x))


print(f"// scipy {scipy.__version__}, numpy {np.__version__}")
for name, (a, b) in DATASETS.items():
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    d = b - a
    n = len(d)
    t = stats.ttest_rel(b, a)
    se = d.std(ddof=1) / np.sqrt(n)
    # stats.t.ppf(0.975, 7) is 2.3646242510103, whose own t.sf is 0.02500000002: off by 2.5e-10
    # relative. Solving t.sf(x) = 0.025 to full precision gives the quantile the test can hold to 1e-9.
    crit = optimize.brentq(lambda x: stats.t.sf(x, n - 1) - 0.025, 0.5, 20, xtol=1e-15)
    mode = mode_for(d)
    w = wilcoxon_p(d, mode)
    print(f'["{name}"] = new Expected(')
    print(f"    From: [{', '.join(lit(v) for v in a)}],")
    print(f"    To: [{', '.join(lit(v) for v in b)}],")
    print(f"    MeanFrom: {lit(a.mean())}, SdFrom: {lit(a.std(ddof=1))}, MeanTo: {lit(b.mean())}, SdTo: {lit(b.std(ddof=1))},")
    print(f"    MeanDifference: {lit(d.mean())}, SdDifference: {lit(d.std(ddof=1))},")
    print(f"    Lower: {lit(d.mean() - crit * se)}, Upper: {lit(d.mean() + crit * se)},")
    print(f"    T: {lit(t.statistic)}, Df: {n - 1}, P: {lit(t.pvalue)}, Dz: {lit(d.mean() / d.std(ddof=1))},")
    print(f"    WilcoxonT: {lit(w.statistic)}, WilcoxonP: {lit(w.pvalue)}, Exact: {str(mode == 'exact').lower()}, Zeros: {int(np.sum(d == 0))}),")
