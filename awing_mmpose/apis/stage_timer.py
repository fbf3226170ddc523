"""Wall time of the stages of a per-frame loop (decode, detect, crop,
network, ...), for benchmarks and the demo's report."""
import time
from collections import defaultdict
from contextlib import contextmanager
from typing import Dict, Iterator, Optional


class StageTimer:
    """Sums the wall time spent in named stages.

    Example::

        timer = StageTimer()
        with timer('detect'):
            boxes = detector(frame)
        timer.ms_per(frames=100)   # {'detect': 12.3, ...}
    """

    def __init__(self) -> None:
        self.seconds: Dict[str, float] = defaultdict(float)

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - start

    def add(self, stage: str, seconds: float) -> None:
        """Count ``seconds`` measured elsewhere into ``stage``."""
        self.seconds[stage] += seconds

    @property
    def total(self) -> float:
        """Seconds in all stages together."""
        return sum(self.seconds.values())

    def ms_per(self, frames: int) -> Dict[str, float]:
        """Milliseconds per frame of each stage, in the order first seen."""
        return {k: 1000 * v / max(frames, 1) for k, v in self.seconds.items()}


@contextmanager
def timed(timer: Optional[StageTimer], stage: str) -> Iterator[None]:
    """``timer(stage)``, or nothing when ``timer`` is ``None``."""
    if timer is None:
        yield
    else:
        with timer(stage):
            yield
