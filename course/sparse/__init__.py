"""Sparse approximation of cartoon-like images: generator, shearlets, best N-term approximation.

``course.sparse.cartoon`` renders cartoon-like functions, ``course.sparse.shearlets`` is a
digital cone-adapted shearlet system (Parseval, undecimated and decimated), and
``course.sparse.frames`` gives every system (Fourier, wavelets, shearlets, curvelets) one frame
interface (analysis, synthesis, redundancy, orthonormal or not), ``course.sparse.pursuit`` is
iterative hard thresholding, ``course.sparse.expansions`` sorts one image's coefficients in one
system, ``course.sparse.nterm`` computes N-term approximations and their
rates (``course.sparse.tables`` writes them as the lecture's tables), ``course.sparse.scales`` counts the significant coefficients per scale (the mechanism
behind the rates), ``course.sparse.resolution`` repeats the comparison at several image sizes, and
``course.sparse.relu`` trains a ReLU network on the same image (``course.sparse.trained``, not
imported here since ``python -m course.sparse.trained`` runs it: the lecture's table of trained
networks, shipped with the seed that reproduces it);
``course.sparse.designs`` measures the shearlet designs the lecture does not ship.
"""

from .cartoon import Cartoon, cartoon
from .designs import DESIGNS, DesignErrors, design_errors
from .expansions import Expansion, expansion
from .frames import FRAMES, Frame, frame
from .nterm import (
    METHODS,
    Comparison,
    NTermCurve,
    compare,
    compare_steps,
    default_n_terms,
    default_range,
    nterm_curve,
    refit,
    theory_rates,
)
from .pursuit import PURSUIT_ITERATIONS, PURSUIT_TOL, iterative_hard_thresholding, l2_norm
from .resolution import ResolutionStudy, resolution_study, resolution_study_steps
from .scales import ScaleCounts, scale_counts, scale_labels
from .shearlets import DecimatedShearletSystem, ShearletSystem, shearlet_atoms, shearlet_system
from .tables import (
    THEORY,
    design_line,
    design_table,
    error_table,
    gap_line,
    rate_table,
    relu_line,
    relu_table,
    resolution_table,
    scale_table,
    sig3,
    slopes_line,
)

__all__ = [
    "Cartoon",
    "cartoon",
    "FRAMES",
    "Frame",
    "frame",
    "METHODS",
    "Comparison",
    "Expansion",
    "NTermCurve",
    "compare",
    "compare_steps",
    "default_n_terms",
    "default_range",
    "expansion",
    "nterm_curve",
    "refit",
    "theory_rates",
    "PURSUIT_ITERATIONS",
    "PURSUIT_TOL",
    "iterative_hard_thresholding",
    "l2_norm",
    "DecimatedShearletSystem",
    "ShearletSystem",
    "shearlet_system",
    "shearlet_atoms",
    "ResolutionStudy",
    "resolution_study",
    "resolution_study_steps",
    "ScaleCounts",
    "scale_counts",
    "scale_labels",
    "THEORY",
    "error_table",
    "rate_table",
    "slopes_line",
    "gap_line",
    "scale_table",
    "resolution_table",
    "sig3",
    "design_table",
    "design_line",
    "relu_table",
    "relu_line",
    "DESIGNS",
    "DesignErrors",
    "design_errors",
]
