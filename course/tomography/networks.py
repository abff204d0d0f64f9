r"""The two small networks of the lecture: Learn the Invisible's step 2 and a post-processing U-Net.

Both are U-Nets (Ronneberger, Fischer and Brox 2015) sized for a CPU: two poolings, widths
``width, 2 width, 4 width``, 3 x 3 convolutions with ReLU, skip connections, a 1 x 1 output.

- :func:`ltI_network` (step 2 of Learn the Invisible, Bubba et al. 2019, Section 4; their
  PhantomNet is a U-Net-like network of dense blocks, this is its plain small form): input the
  step-1 shearlet coefficients (zero on the atoms that see nothing of the bowtie) and the mask of
  the kept atoms as constant channels (``2 n_atoms`` channels); output the input coefficients
  plus a learned correction, of which only the predicted (not kept) atoms are used.
- :func:`postprocess_network` (FBPConvNet, Jin, McCann, Froustey and Unser 2017): input the FBP,
  output the FBP plus a learned residual.

Weights are stored as ``.npz`` (one array per parameter) beside a ``.json`` with the
configuration, the training set-up and the measured training time; :func:`load` rebuilds them.

References
----------
.. [1] O. Ronneberger, P. Fischer and T. Brox, "U-Net: convolutional networks for biomedical image
   segmentation", MICCAI 2015, LNCS 9351, 234-241.
.. [2] K. H. Jin, M. T. McCann, E. Froustey and M. Unser, "Deep convolutional neural network for
   inverse problems in imaging", IEEE Trans. Image Process. 26 (2017), 4509-4522.
.. [3] T. A. Bubba et al., "Learning the invisible", Inverse Problems 35 (2019), 064002.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from torch import nn

from .experiment import WEIGHTS

__all__ = ["UNet", "ltI_network", "postprocess_network", "save", "load", "WEIGHTS"]

#: Where the shipped weights live (inside the package).


def _block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(cout, cout, 3, padding=1),
        nn.ReLU(),
    )


class UNet(nn.Module):
    """A two-level U-Net; ``residual=True`` adds the input's first ``out_ch`` channels."""

    def __init__(self, in_ch: int, out_ch: int, *, width: int = 16, residual: bool = False):
        super().__init__()
        self.config = {"in_ch": in_ch, "out_ch": out_ch, "width": width, "residual": residual}
        w = width
        self.enc0, self.enc1, self.mid = _block(in_ch, w), _block(w, 2 * w), _block(2 * w, 4 * w)
        self.up1 = nn.ConvTranspose2d(4 * w, 2 * w, 2, stride=2)
        self.dec1 = _block(4 * w, 2 * w)
        self.up0 = nn.ConvTranspose2d(2 * w, w, 2, stride=2)
        self.dec0 = _block(2 * w, w)
        self.out = nn.Conv2d(w, out_ch, 1)
        self.residual = residual

    def forward(self, x):
        e0 = self.enc0(x)
        e1 = self.enc1(nn.functional.max_pool2d(e0, 2))
        m = self.mid(nn.functional.max_pool2d(e1, 2))
        d1 = self.dec1(torch.cat([self.up1(m), e1], dim=1))
        d0 = self.dec0(torch.cat([self.up0(d1), e0], dim=1))
        y = self.out(d0)
        return y + x[:, : y.shape[1]] if self.residual else y

    @property
    def n_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())


def ltI_network(n_atoms: int, *, width: int = 16) -> UNet:
    """Step 2: ``2 n_atoms`` channels (step 1's seen coefficients, the kept mask) to ``n_atoms``
    predictions, as a correction of the input coefficients (residual)."""
    return UNet(2 * n_atoms, n_atoms, width=width, residual=True)


def postprocess_network(*, width: int = 16) -> UNet:
    """FBPConvNet-style: the FBP plus a learned residual."""
    return UNet(1, 1, width=width, residual=True)


def save(model: UNet, name: str, meta: dict, folder: Path = WEIGHTS) -> None:
    """Write ``<name>.npz`` (parameters) and ``<name>.json`` (configuration and ``meta``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    np.savez_compressed(folder / f"{name}.npz", **arrays)
    (folder / f"{name}.json").write_text(
        json.dumps({"config": model.config, **meta}, indent=1, sort_keys=True) + "\n"
    )


def load(name: str, folder: Path = WEIGHTS) -> tuple:
    """``(model, meta)`` of shipped weights (evaluation mode, float32)."""
    folder = Path(folder)
    path = folder / f"{name}.npz"
    if not path.is_file():
        raise ValueError(f"no weights {name!r} in {folder}; run python -m course.tomography.train")
    meta = json.loads((folder / f"{name}.json").read_text())
    model = UNet(**meta["config"])
    with np.load(path) as data:
        model.load_state_dict({k: torch.from_numpy(data[k]) for k in data.files})
    model.eval()
    return model, meta
