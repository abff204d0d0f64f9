r"""Trained ReLU networks against the best N-term errors: lecture 04's table, shipped with its seed.

The rate panel's *Train ReLU networks* button trains four networks on the 256 x 256 cartoon
(1000 Adam steps each; the panel's legend says how long that takes); the lecture states what they reach against
the wavelet and shearlet errors with as many terms as the network has nonzero weights,
:math:`N = C(\Phi)`. That table is computed here by :func:`network_table`, from the seeds, and
shipped as ``course/sparse/data/relu_table.json``; ``python -m course.sparse.trained`` rewrites
the file (deterministic torch on one CPU thread), and a slow test recomputes its smallest row.

References
----------
.. [1] H. Boelcskei, P. Grohs, G. Kutyniok and P. Petersen, "Optimal approximation with sparsely
   connected deep neural networks", SIAM J. Math. Data Science 1 (2019), 8-45, Theorem 6.8.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..progress import run_to_end
from ..rates import RateFit, fit_rate
from ..threads import torch_threads
from .cartoon import cartoon
from .nterm import nterm_curve
from .relu import SIZES, relu_fit_steps

__all__ = ["NetworkRow", "NetworkTable", "network_table", "load_network_table", "TABLE_PATH"]

#: The shipped table (package data of ``course``).
TABLE_PATH = Path(__file__).resolve().parent / "data" / "relu_table.json"


@dataclass(frozen=True)
class NetworkRow:
    """One trained network and the N-term errors with as many terms as it has nonzero weights.

    Attributes
    ----------
    widths : tuple of int
        Hidden widths.
    n_weights : int
        :math:`C(\\Phi)`, nonzero weights and biases; the N of the two N-term errors.
    relu, wavelet, shearlet : float
        Relative errors (not squared) of the network, of the db4 wavelet basis (N largest
        coefficients) and of the decimated shearlets (iterative hard thresholding continued
        along the rows' N).
    """

    widths: tuple
    n_weights: int
    relu: float
    wavelet: float
    shearlet: float


@dataclass(frozen=True)
class NetworkTable:
    """The rows, smallest network first, and the recipe that made them."""

    rows: tuple
    size: int = 256
    cartoon_seed: int = 0
    steps: int = 1000
    batch: int = 2048
    seed: int = 0

    def fit(self, column: str = "relu") -> RateFit:
        """Power law ``error ~ C(Phi)^slope`` fitted over the rows of one column."""
        return fit_rate([r.n_weights for r in self.rows], [getattr(r, column) for r in self.rows])

    def to_json(self) -> dict:
        out = asdict(self)
        out["rows"] = [asdict(r) for r in self.rows]
        return out

    @classmethod
    def from_json(cls, data: dict) -> NetworkTable:
        rows = tuple(NetworkRow(**{**r, "widths": tuple(r["widths"])}) for r in data["rows"])
        return cls(rows, **{k: v for k, v in data.items() if k in _RECIPE})


_RECIPE = ("size", "cartoon_seed", "steps", "batch", "seed")


def network_table(
    *, sizes=SIZES, size: int = 256, cartoon_seed: int = 0, steps=1000, batch=2048, seed=0
) -> NetworkTable:
    """Train one ReLU network per entry of ``sizes`` on the cartoon, as the rate panel does
    (Adam, learning rate 3e-3 with cosine decay, ``batch`` random pixels per step, torch seed
    ``seed``, one thread), and put the N-term errors at :math:`N = C(\\Phi)` beside them."""
    f = cartoon(size, seed=cartoon_seed).image
    scales = max(1, int(np.log2(size)) - 4)  # 4 at 256 x 256, as in the panels
    fits = []
    with torch_threads(1):
        for widths in sizes:
            job = relu_fit_steps(f, widths=widths, steps=steps, batch=batch, seed=seed, every=steps)
            fits.append(run_to_end(job))
    n = [fit.n_weights for fit in fits]
    wavelet = nterm_curve(f, "wavelet", n_terms=n, scales=scales).error
    shearlet = nterm_curve(f, "shearlet", n_terms=n, scales=scales, method="pursuit").error
    rows = tuple(
        NetworkRow(tuple(fit.widths), int(fit.n_weights), float(fit.error), float(w), float(s))
        for fit, w, s in zip(fits, wavelet, shearlet, strict=True)
    )
    return NetworkTable(rows, size, cartoon_seed, steps, batch, seed)


def load_network_table(path=TABLE_PATH) -> NetworkTable:
    """The shipped table (written by ``python -m course.sparse.trained``)."""
    return NetworkTable.from_json(json.loads(Path(path).read_text()))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="compute but do not write")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    table = network_table()
    took = time.perf_counter() - start
    import torch

    data = {
        **table.to_json(),
        "torch": torch.__version__,
        "reproduce": "python -m course.sparse.trained",
    }
    if not args.dry_run:
        TABLE_PATH.parent.mkdir(parents=True, exist_ok=True)
        TABLE_PATH.write_text(json.dumps(data, indent=2) + "\n")
    for r in table.rows:
        print(r)
    print(f"ReLU slope {table.fit().slope:.3f}; {took:.1f} s")


if __name__ == "__main__":
    main()
