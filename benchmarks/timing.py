"""Interleaved timing of peers in one process.

Each peer gets a timeit loop long enough to be measured well (calibration doubles as the
warm-up), then the peers are sampled in turn, rotating the order every repetition, so a
noisy neighbour or a frequency change hits every peer alike and their ratios hold.
"""
import statistics
import time
import timeit
from dataclasses import dataclass


@dataclass
class Stats:
    """Seconds per call over the samples."""
    median: float
    q1: float
    q3: float
    min: float
    max: float
    n: int

    @classmethod
    def of(cls, samples):
        s = sorted(samples)
        q1, _, q3 = statistics.quantiles(s, n=4, method="inclusive") if len(s) > 1 else s * 3
        return cls(statistics.median(s), q1, q3, s[0], s[-1], len(s))

    @property
    def spread(self):
        """Half the interquartile range, relative to the median."""
        return (self.q3 - self.q1) / 2 / self.median if self.median > 0 else 0.0


def call_timer(fn, *args):
    """A timeit.Timer for fn(*args) with no wrapper call in the loop."""
    names = [f"a{i}" for i in range(len(args))]
    return timeit.Timer(f"f({', '.join(names)})", globals={"f": fn, **dict(zip(names, args))})


def calibrate(timer, target):
    """Loop count whose run takes at least `target` seconds (1 for slow calls)."""
    number = 1
    while True:
        t = timer.timeit(number)
        if t >= target or number >= 10**8:
            return number
        number *= min(100, max(2, int(1.5 * target / max(t, 1e-9))))


def interleaved(timers, reps, target, max_seconds=float("inf"), min_reps=3, number=None):
    """{name: timeit.Timer} -> {name: [seconds per call, ...]}.

    Each sample runs a loop of `number` calls (default: calibrated to `target` seconds).
    Stops early once `max_seconds` have passed and `min_reps` rounds are in."""
    numbers = {name: number or calibrate(t, target) for name, t in timers.items()}
    samples = {name: [] for name in timers}
    names = list(timers)
    start = time.perf_counter()
    for r in range(reps):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            samples[name].append(timers[name].timeit(numbers[name]) / numbers[name])
        if r + 1 >= min_reps and time.perf_counter() - start > max_seconds:
            break
    return samples
