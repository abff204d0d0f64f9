"""Lecture 03: what the panels share."""

from __future__ import annotations

from course._threads import limit_blas_threads

S_MAX = 12  # sawtooth: 2^12 = 4096 pieces


def _one_blas_thread():
    """One BLAS thread while a panel computes (a no-op once :mod:`widgets` has limited BLAS).

    The matrices here are tiny (width <= 16); OpenBLAS's two threads spin and wait on a loaded
    two-core machine: a (14641, 12) x (12, 12) product took 23 ms with two threads and 0.2 ms with
    one (measured while other kernels ran).
    """
    return limit_blas_threads(1)
