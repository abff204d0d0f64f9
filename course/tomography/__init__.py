r"""Limited-angle computed tomography (lecture 06): from the missing wedge to Learn the Invisible.

- :mod:`~course.tomography.radon`: the parallel-beam Radon transform ``radon`` and its exact
  adjoint ``backproject`` (one cached sparse matrix per geometry; a torch form for training).
- :mod:`~course.tomography.fbp`: filtered back projection and the missing-angle FBP by prefix
  sums over angle.
- :mod:`~course.tomography.phantoms`: Shepp-Logan and random ellipse phantoms, their exact line
  integrals, noise.
- :mod:`~course.tomography.visibility`: the measured range, the bowtie, Quinto's visible edges
  and the visible/invisible split of the shearlets.
- :mod:`~course.tomography.solvers`: weighted l1-shearlet and TV reconstruction, f >= 0
  (Chambolle-Pock).
- :mod:`~course.tomography.experiment`: the experiment's setup, the compared methods and the
  shipped table of errors (no torch: what a page at rest needs).
- :mod:`~course.tomography.networks`, :mod:`~course.tomography.ltI`,
  :mod:`~course.tomography.evaluation`, :mod:`~course.tomography.train` (these import torch):
  Learn the Invisible, the post-processing baseline, the metrics and the table of errors.
"""

from .fbp import FILTERS, MissingAngleFBP, angle_weights, fbp, ramp_filter
from .phantoms import (
    Ellipse,
    Phantom,
    add_noise,
    analytic_sinogram,
    random_ellipses,
    rasterize,
    shepp_logan,
)
from .radon import RadonGeometry, RadonOperator, backproject, radon, radon_operator
from .solvers import REGULARISERS, Iterate, Reconstruction, reconstruct, reconstruct_steps
from .visibility import (
    EdgeVisibility,
    ShearletSplit,
    bowtie_mask,
    direction_measured,
    edge_visibility,
    measured_range,
    scan_angles,
    shearlet_visibility,
)

__all__ = [
    "FILTERS",
    "MissingAngleFBP",
    "angle_weights",
    "fbp",
    "ramp_filter",
    "Ellipse",
    "Phantom",
    "add_noise",
    "analytic_sinogram",
    "random_ellipses",
    "rasterize",
    "shepp_logan",
    "RadonGeometry",
    "RadonOperator",
    "backproject",
    "radon",
    "radon_operator",
    "REGULARISERS",
    "Iterate",
    "Reconstruction",
    "reconstruct",
    "reconstruct_steps",
    "EdgeVisibility",
    "ShearletSplit",
    "bowtie_mask",
    "direction_measured",
    "edge_visibility",
    "measured_range",
    "scan_angles",
    "shearlet_visibility",
]
