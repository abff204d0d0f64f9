"""What a long computation in ``course`` yields while it runs.

Generators in ``course`` (training loops, sweeps) ``yield Progress(fraction, partial)``; the
widgets' runner (``widgets.live``) shows the fraction in a progress bar, draws the partial result,
and stops the generator when the user presses Stop. Scripts simply iterate, or call
:func:`run_to_end`. Defined here, not in ``widgets``, because ``course`` never imports ``widgets``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass

__all__ = ["Progress", "relay", "run_to_end"]


@dataclass(frozen=True)
class Progress:
    """The fraction done (NaN when unknown) and, optionally, a partial result to show."""

    fraction: float
    partial: object = None
    message: str = ""


def run_to_end(job):
    """Exhaust a generator of :class:`Progress`; return its return value, else the last partial.

    Examples
    --------
    >>> def job():
    ...     yield Progress(0.5, "half")
    ...     return "done"
    >>> run_to_end(job())
    'done'
    """
    last = None
    while True:
        try:
            item = next(job)
        except StopIteration as stop:
            return stop.value if stop.value is not None else last
        if isinstance(item, Progress) and item.partial is not None:
            last = item.partial


def relay(
    job,
    span: tuple[float, float] = (0.0, 1.0),
    *,
    wrap: Callable | None = None,
    message: str | None = None,
) -> Generator:
    """Pass a sub-job's progress on; ``result = yield from relay(job, span=(a, b))``.

    Each item of ``job`` is yielded again with its fraction mapped from [0, 1] onto
    ``[a, b]`` (NaN stays NaN), its partial result passed through ``wrap`` (when given and the
    partial is not None) and its message replaced by ``message`` (when given). Returns what
    ``job`` returns. Closing the relay (the Stop button) closes ``job``.

    Parameters
    ----------
    job : generator
        Yields :class:`Progress` (other items are taken as partial results of unknown fraction).
    span : (float, float)
        The share of the caller's progress that this sub-job covers, ``0 <= a <= b <= 1``.
    wrap : callable, optional
        Turns the sub-job's partial result into the caller's.
    message : str, optional
        Replaces the sub-job's messages.

    Examples
    --------
    >>> def inner():
    ...     yield Progress(0.5, 1)
    ...     return 2
    >>> def outer():
    ...     r = yield from relay(inner(), span=(0.5, 1.0), wrap=lambda p: 10 * p)
    ...     return r + 1
    >>> [(p.fraction, p.partial) for p in outer()]
    [(0.75, 10)]
    >>> run_to_end(outer())
    3
    """
    a, b = (float(v) for v in span)
    if not (0.0 <= a <= b <= 1.0):
        raise ValueError(f"span must satisfy 0 <= a <= b <= 1; got {span!r}")
    try:
        while True:
            try:
                item = next(job)
            except StopIteration as stop:
                return stop.value
            if not isinstance(item, Progress):
                item = Progress(math.nan, item)
            f = item.fraction
            fraction = a + (b - a) * min(max(f, 0.0), 1.0) if f == f else math.nan
            partial = item.partial
            if wrap is not None and partial is not None:
                partial = wrap(partial)
            yield Progress(fraction, partial, item.message if message is None else message)
    finally:
        job.close()
