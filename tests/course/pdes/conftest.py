"""Lecture 08 tests run torch on one thread (the course's kernels do too; on a shared 2-core
machine two threads per process wait on each other: a short PINN run took 42 s instead of 3 s)."""

import torch

torch.set_num_threads(1)
