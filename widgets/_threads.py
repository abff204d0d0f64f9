"""One thread for BLAS (and torch) in a course kernel, set once, on the importing thread.

Every panel computes on its own worker thread, so a kernel already runs several computations at
once; numerical libraries that also split each operation over threads then fight over the cores
(measured on the course's 2-core machine: a double-descent sweep 14-23 s with two BLAS threads
against 1.5 s with one; RDE 7.9 s with two torch threads against 0.27 s with one). Changing the
thread counts later, from worker threads, is not safe while another thread computes (a Voila
kernel hung that way), so it happens here, once. :mod:`course._threads` then changes nothing.
"""

from __future__ import annotations

import sys

__all__ = ["single_threaded_numerics"]


def single_threaded_numerics() -> None:
    """Limit BLAS to one thread, and torch too if it is already imported."""
    try:
        import scipy.linalg  # noqa: F401  (load scipy's BLAS too, before limiting)
        from threadpoolctl import threadpool_limits
    except ImportError:  # threadpoolctl comes with scikit-learn, a dependency
        pass
    else:
        threadpool_limits(limits=1, user_api="blas")
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
