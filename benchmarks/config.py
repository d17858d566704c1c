"""How hard to measure: the full run (< 30 min) or --quick (< 2 min on 2 cores)."""
from dataclasses import dataclass


@dataclass
class Config:
    quick: bool = False
    reps: int = 9                  # timed samples per peer and case
    target: float = 0.1            # each sample loops the call for at least this long (s)
    max_case_s: float = 60.0       # stop sampling a case after this long, once min_reps are in
    min_reps: int = 3
    sizes: tuple = (10**3, 10**4, 10**5, 10**6, 10**7, 10**8)   # logsumexp array sizes
    power_n: int = 10**7
    procs: int = 7                 # fresh processes per compile/import latency cell
    dispatch_calls: int = 10**6    # calls per dispatch sample
    timeout: float = 600.0         # per child process (s)

    @classmethod
    def make(cls, quick):
        if not quick:
            return cls()
        return cls(quick=True, reps=5, target=0.02, max_case_s=1.5, min_reps=2, sizes=(10**3, 10**5, 10**7),
                   procs=3, dispatch_calls=2 * 10**5, timeout=180.0)
