r"""Lecture 02: the universal approximation theorem, live.

Shallow networks :math:`\Phi(x) = \sum_{k=1}^N a_k \rho(\langle w_k, x\rangle - b_k) + c`: the
explicit constructions from the proofs, random features with least squares, SGD, the sup-norm
error on grids that contain the breakpoints, measured rates beside predicted ones, and a safe
parser for targets typed by the student.

References
----------
.. [1] G. Cybenko, "Approximation by superpositions of a sigmoidal function", Mathematics of
   Control, Signals and Systems 2, 303-314, 1989.
.. [2] K. Hornik, "Approximation capabilities of multilayer feedforward networks", Neural
   Networks 4, 251-257, 1991.
.. [3] M. Leshno, V. Ya. Lin, A. Pinkus and S. Schocken, "Multilayer feedforward networks with a
   nonpolynomial activation function can approximate any function", Neural Networks 6,
   861-867, 1993.
"""

from .constructions import (
    CONSTRUCTIONS,
    construct,
    polynomial_construction,
    relu_interpolant,
    step_sum,
)
from .expressions import Expression, expression_tex, parse_expression
from .fitting import fit_least_squares, least_squares_residuals, random_features, train_sgd_steps
from .shallow import (
    LECTURE_ACTIVATIONS,
    MAX_DEGREE,
    Approximation,
    ShallowNet,
    activation_function,
    error_grid,
    measure,
)
from .sweeps import (
    METHODS,
    Method,
    PredictedRate,
    RateStudy,
    approximation_steps,
    default_widths,
    error_vs_width,
    error_vs_width_steps,
    predicted_rate,
    tex_number,
    width_for_tolerance,
    width_vs_frequency_steps,
)
from .tables import RATE_ROWS, rate_studies, rates_table, square_interpolant_table
from .targets import STEP_WIDTH, TARGETS, Target, expression_target, make_target, target_formula
from .twod import TARGETS_2D, Approximation2D, DimensionStudy, compare_dimensions, fit_2d

__all__ = [
    "Expression",
    "parse_expression",
    "expression_tex",
    "Target",
    "TARGETS",
    "STEP_WIDTH",
    "make_target",
    "target_formula",
    "expression_target",
    "LECTURE_ACTIVATIONS",
    "MAX_DEGREE",
    "activation_function",
    "ShallowNet",
    "Approximation",
    "error_grid",
    "measure",
    "relu_interpolant",
    "step_sum",
    "polynomial_construction",
    "CONSTRUCTIONS",
    "construct",
    "random_features",
    "fit_least_squares",
    "least_squares_residuals",
    "train_sgd_steps",
    "METHODS",
    "square_interpolant_table",
    "RATE_ROWS",
    "rate_studies",
    "rates_table",
    "Method",
    "approximation_steps",
    "PredictedRate",
    "RateStudy",
    "predicted_rate",
    "tex_number",
    "default_widths",
    "error_vs_width",
    "error_vs_width_steps",
    "width_for_tolerance",
    "width_vs_frequency_steps",
    "TARGETS_2D",
    "Approximation2D",
    "DimensionStudy",
    "fit_2d",
    "compare_dimensions",
]
