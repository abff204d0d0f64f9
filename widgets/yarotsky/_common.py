"""Lecture 03: what the panels share."""

from __future__ import annotations

import contextlib

S_MAX = 12  # sawtooth: 2^12 = 4096 pieces

try:  # ships with scikit-learn
    from threadpoolctl import ThreadpoolController

    _BLAS = ThreadpoolController()

    def _one_blas_thread():
        """One BLAS thread while a panel computes.

        The matrices here are tiny (width <= 16); OpenBLAS's two threads spin and wait on a
        loaded two-core machine: a (14641, 12) x (12, 12) product took 23 ms with two threads
        and 0.2 ms with one (measured while other kernels ran).
        """
        return _BLAS.limit(limits=1, user_api="blas")

except ImportError:  # pragma: no cover
    _one_blas_thread = contextlib.nullcontext
