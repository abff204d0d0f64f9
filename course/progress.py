"""What a long computation in ``course`` yields while it runs.

Generators in ``course`` (training loops, sweeps) ``yield Progress(fraction, partial)``; the
widgets' runner (``widgets.live``) shows the fraction in a progress bar, draws the partial result,
and stops the generator when the user presses Stop. Scripts simply iterate, or call
:func:`run_to_end`. Defined here, not in ``widgets``, because ``course`` never imports ``widgets``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Progress", "run_to_end"]


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
