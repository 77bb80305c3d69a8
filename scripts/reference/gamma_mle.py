"""Reference MLE of a gamma(shape k, rate theta) sample for OptimizationCorrectnessTests.

Regenerates the test's sample bit for bit (SplitMix64, uniform = (next >> 11) * 2**-53,
Box-Muller cosine normal with u1 = 1 - uniform, Marsaglia & Tsang 2000 without the squeeze)
and solves the likelihood equations with mpmath at 50 digits:

    log k - digamma(k) = log(mean x) - mean(log x),    theta = k / mean x.

It also prints the analytic standard errors of (log k, log theta) from the Fisher information
n [[trigamma(k), -1/theta], [-1/theta, k/theta^2]] at the MLE.

Run: /work/pyref/bin/python scripts/reference/gamma_mle.py
"""
import math

import mpmath as mp

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * 2.0**-53


def normal(rng):
    u1 = 1.0 - rng.uniform()
    u2 = rng.uniform()
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def gamma(rng, shape, rate):
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        z = normal(rng)
        v = 1.0 + c * z
        if v <= 0:
            continue
        v = v * v * v
        u = 1.0 - rng.uniform()
        if math.log(u) < 0.5 * z * z + d - d * v + d * math.log(v):
            return d * v / rate


def main():
    rng = SplitMix64(20261122)
    xs = [gamma(rng, 2.5, 1.5) for _ in range(1000)]
    mp.mp.dps = 50
    n = len(xs)
    mean = mp.fsum(mp.mpf(x) for x in xs) / n
    mean_log = mp.fsum(mp.log(mp.mpf(x)) for x in xs) / n
    s = mp.log(mean) - mean_log
    k = mp.findroot(lambda k: mp.log(k) - mp.digamma(k) - s, 2.5)
    theta = k / mean
    t1 = mp.polygamma(1, k)
    se_log_k = mp.sqrt(1 / (n * k * (k * t1 - 1)))
    se_log_theta = mp.sqrt(t1 / (n * (k * t1 - 1)))
    print("n =", n, " first x =", repr(xs[0]), " sum x =", repr(math.fsum(xs)))
    print("k     =", mp.nstr(k, 20))
    print("theta =", mp.nstr(theta, 20))
    print("SE(log k)     =", mp.nstr(se_log_k, 20))
    print("SE(log theta) =", mp.nstr(se_log_theta, 20))


if __name__ == "__main__":
    main()
