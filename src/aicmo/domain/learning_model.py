"""The learning loop's model of engagement, pure Python (a few dozen coefficients at most).

engagements of a post ~ NegativeBinomial(mean = impressions × exp(intercept + platform + pillar + format
+ slot)): a log-linear model with one effect per option of each dimension (a posting slot is per platform:
"instagram Mon 18:00"). Each effect has a Gaussian prior whose centre is the estimate one level up
(account → client → every client of the agency: hierarchical shrinkage) and whose spread `TAU` says how far
an account may differ from that. The fit is the posterior mode (Newton), its covariance the inverse
Hessian (Laplace), so an interval, a ratio's interval and a Thompson draw all come from one posterior.

Posts differ more than the Poisson count over their impressions says (the hook, the image, the news of
the day): the extra variation per post (`overdispersion`, the negative binomial's α) is estimated from
the data (method of moments on the residuals, empirical Bayes), shrunk towards `ALPHA0` while there are
few degrees of freedom. So a post with 100,000 impressions is still one post, and data that is as
regular as its counts allows is believed sooner.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

INTERCEPT = ("", "")
TAU = {"platform": 0.7, "pillar": 0.5, "format": 0.5, "slot": 0.5}  # prior spread of an effect (log scale)
TAU_INTERCEPT = 1.0
ALPHA0 = 0.08  # prior extra variance of a post's log rate (posts differ about ±30 % beyond counting noise)
ALPHA_PRIOR_DF = 2.0  # how many residual degrees of freedom that prior is worth (weakly informative)
Z95 = 1.959964


@dataclass(frozen=True)
class Fit:
    """The posterior of every effect: mode, covariance, and the overdispersion the fit used."""

    names: tuple[tuple[str, str], ...]  # (dimension, option) per coefficient; INTERCEPT first
    mean: tuple[float, ...]
    cov: tuple[tuple[float, ...], ...]
    alpha: float
    observations: int

    def index(self, dimension: str, option: str) -> int | None:
        try:
            return self.names.index((dimension, option))
        except ValueError:
            return None

    def effect(self, dimension: str, option: str) -> tuple[float, float]:
        """(posterior mean, variance) of an option's effect; unseen options are not in the fit."""
        i = self.index(dimension, option)
        return (self.mean[i], self.cov[i][i]) if i is not None else (0.0, 0.0)

    def difference(self, dimension: str, a: str, b: str) -> tuple[float, float]:
        """(mean, sd) of effect a − effect b (the log of their rate ratio)."""
        i, j = self.index(dimension, a), self.index(dimension, b)
        if i is None or j is None:
            return 0.0, 0.0
        var = self.cov[i][i] + self.cov[j][j] - 2 * self.cov[i][j]
        return self.mean[i] - self.mean[j], math.sqrt(max(var, 0.0))

    def combination(self, weights: Mapping[tuple[str, str], float]) -> tuple[float, float]:
        """(mean, variance) of a weighted sum of coefficients (names not in the fit count 0)."""
        idx = {self.index(*n): w for n, w in weights.items()}
        idx.pop(None, None)
        mean = sum(self.mean[i] * w for i, w in idx.items() if i is not None)
        var = sum(
            wi * wj * self.cov[i][j]
            for i, wi in idx.items()
            for j, wj in idx.items()
            if i is not None and j is not None
        )
        return mean, max(var, 0.0)

    def draw(self, rng: random.Random) -> dict[tuple[str, str], float]:
        """One draw of every effect from the posterior (Thompson sampling)."""
        chol = _cholesky([list(r) for r in self.cov])
        z = [rng.gauss(0.0, 1.0) for _ in self.mean]
        return {
            name: self.mean[i] + sum(chol[i][k] * z[k] for k in range(i + 1))
            for i, name in enumerate(self.names)
        }

    def record(self) -> dict[str, object]:
        return {
            "names": [list(n) for n in self.names],
            "mean": [round(m, 6) for m in self.mean],
            "cov": [[round(c, 8) for c in row] for row in self.cov],
            "alpha": round(self.alpha, 6),
            "observations": self.observations,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> Fit:
        names = tuple((str(d), str(o)) for d, o in record["names"])  # type: ignore[union-attr]
        return cls(
            names,
            tuple(float(m) for m in record["mean"]),  # type: ignore[union-attr]
            tuple(tuple(float(c) for c in row) for row in record["cov"]),  # type: ignore[union-attr]
            float(record["alpha"]),  # type: ignore[arg-type]
            int(record["observations"]),  # type: ignore[call-overload]
        )


def fit(
    rows: Sequence[tuple[Sequence[tuple[str, str]], int, int]],
    *,
    prior_rate: float,
    prior_effects: Mapping[tuple[str, str], float] | None = None,
    alpha: float | None = None,
) -> Fit:
    """The posterior mode and covariance for `rows` of (the post's (dimension, option) pairs, impressions,
    engagements). `prior_effects` centres each effect (else 0); `alpha` fixes the overdispersion (else it
    is estimated)."""
    prior_effects = prior_effects or {}
    names = [INTERCEPT, *sorted({name for keys, _, _ in rows for name in keys})]
    position = {n: i for i, n in enumerate(names)}
    centre = [math.log(max(prior_rate, 1e-6))] + [prior_effects.get(n, 0.0) for n in names[1:]]
    precision = [1 / TAU_INTERCEPT**2] + [1 / TAU.get(d, 0.5) ** 2 for d, _ in names[1:]]
    data = [([0, *(position[k] for k in keys)], math.log(imp), eng) for keys, imp, eng in rows if imp > 0]
    if alpha is None:
        beta, _, _ = _newton(data, centre, precision, ALPHA0)
        alpha = _overdispersion(data, beta, centre, precision)
    beta, hessian, _ = _newton(data, centre, precision, alpha)
    return Fit(tuple(names), tuple(beta), tuple(tuple(r) for r in _inverse(hessian)), alpha, len(data))


def _newton(
    data: Sequence[tuple[list[int], float, int]], centre: list[float], precision: list[float], alpha: float
) -> tuple[list[float], list[list[float]], list[float]]:
    k = len(centre)
    beta = list(centre)
    mus: list[float] = []
    hessian: list[list[float]] = []
    for _ in range(60):
        grad = [-(beta[j] - centre[j]) * precision[j] for j in range(k)]
        hessian = [[0.0] * k for _ in range(k)]
        for j in range(k):
            hessian[j][j] = precision[j]
        mus = []
        for idx, offset, y in data:
            mu = math.exp(min(offset + sum(beta[j] for j in idx), 50.0))
            mus.append(mu)
            w = mu / (1 + alpha * mu)  # the negative binomial's working weight (log link)
            score = (y - mu) / (1 + alpha * mu)
            for j in idx:
                grad[j] += score
                for m in idx:
                    hessian[j][m] += w
        step = _solve(hessian, grad)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return beta, hessian, mus


def _overdispersion(
    data: Sequence[tuple[list[int], float, int]],
    beta: list[float],
    centre: list[float],
    precision: list[float],
) -> float:
    """α from the residuals (method of moments), shrunk to `ALPHA0` by `ALPHA_PRIOR_DF` pseudo
    degrees of freedom; the residual degrees of freedom count the effective parameters of the fit."""
    _, hessian, mus = _newton(data, centre, precision, ALPHA0)
    inverse = _inverse(hessian)
    k = len(centre)
    effective = k - sum(inverse[j][j] * precision[j] for j in range(k))  # trace of the hat matrix
    df = max(len(data) - effective, 0.0)
    excess = sum(((y - mu) ** 2 - mu) / mu**2 for (_, _, y), mu in zip(data, mus, strict=True) if mu > 0)
    estimate = max(excess / df, 0.0) if df > 0.5 else ALPHA0
    return (df * estimate + ALPHA_PRIOR_DF * ALPHA0) / (df + ALPHA_PRIOR_DF)


# ---- small dense linear algebra (k is a few dozen) ---------------------------------------------------
def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        pivot = m[c][c] or 1e-12
        for r in range(c + 1, n):
            f = m[r][c] / pivot
            if f:
                for q in range(c, n + 1):
                    m[r][q] -= f * m[c][q]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][q] * x[q] for q in range(r + 1, n))) / (m[r][r] or 1e-12)
    return x


def _inverse(a: list[list[float]]) -> list[list[float]]:
    n = len(a)
    columns = [_solve(a, [1.0 if i == j else 0.0 for i in range(n)]) for j in range(n)]
    return [[columns[j][i] for j in range(n)] for i in range(n)]


def _cholesky(a: list[list[float]]) -> list[list[float]]:
    n = len(a)
    low = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            s = a[i][j] - sum(low[i][k] * low[j][k] for k in range(j))
            low[i][j] = math.sqrt(max(s, 1e-12)) if i == j else s / low[j][j]
    return low


def normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))
