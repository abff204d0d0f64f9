r"""Double descent: why large models that interpolate their training data need not overfit.

Random-feature models fitted by minimum-norm least squares show a test risk that peaks at the
interpolation threshold N = n and descends again beyond it (Belkin, Hsu, Ma and Mandal, PNAS
2019); small networks trained on noisy labels show the same model-wise curve (Nakkiran et al.,
"Deep double descent", 2019).

Modules: :mod:`.data` (digits with label noise, 1D regression), :mod:`.features` (random Fourier
and ReLU features), :mod:`.solvers` (minimum-norm / ridge least squares), :mod:`.sweeps`
(model-wise and sample-wise curves), :mod:`.effects` (the numbers the lecture quotes about
the digits curve), :mod:`.width` (a width sweep of small networks, torch).
"""

from .data import (
    N_DIGITS,
    PIXEL_SCALE,
    TARGET_FUNCTIONS,
    DigitsSplit,
    Regression1D,
    load_digits_split,
    make_regression_1d,
    one_hot,
)
from .effects import DigitsEffect, digits_effects
from .features import FEATURE_MAPS, RandomFeatures, random_features
from .solvers import LeastSquaresFit, NestedFit, NestedLeastSquares, least_squares
from .sweeps import (
    Fit1D,
    SweepResult,
    curve_1d,
    feature_grid,
    fit_1d,
    model_sweep,
    model_sweep_steps,
    sample_sweep,
    sample_sweep_steps,
)
from .width import (
    DEFAULT_SEEDS,
    WidthSweepResult,
    n_params,
    threshold_width,
    width_grid,
    width_sweep,
    width_sweep_steps,
)

__all__ = [
    "N_DIGITS",
    "PIXEL_SCALE",
    "TARGET_FUNCTIONS",
    "DigitsSplit",
    "Regression1D",
    "load_digits_split",
    "make_regression_1d",
    "one_hot",
    "DigitsEffect",
    "digits_effects",
    "FEATURE_MAPS",
    "RandomFeatures",
    "random_features",
    "LeastSquaresFit",
    "NestedFit",
    "NestedLeastSquares",
    "least_squares",
    "Fit1D",
    "SweepResult",
    "curve_1d",
    "feature_grid",
    "fit_1d",
    "model_sweep_steps",
    "sample_sweep_steps",
    "model_sweep",
    "sample_sweep",
    "DEFAULT_SEEDS",
    "WidthSweepResult",
    "width_sweep_steps",
    "n_params",
    "threshold_width",
    "width_grid",
    "width_sweep",
]
