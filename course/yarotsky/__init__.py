"""Lecture 03: Yarotsky's explicit ReLU constructions, approximation rates and depth separation.

Modules: :mod:`.calculus` (composition, parallelisation and sums of networks),
:mod:`.constructions` (tooth, sawtooth, square, multiplication, polynomials),
:mod:`.squares` and :mod:`.products` (:math:`x^2` and :math:`xy`: deep against shallow), :mod:`.smooth` and :mod:`.smooth2d` (rates
for :math:`C^s` functions in :math:`d = 1, 2`), :mod:`.depth` (how wide a shallow network must be
to match a sawtooth).
"""

from .calculus import affine, compose, identity, linear_combination, network_sum, pad, parallel
from .constructions import (
    PolynomialNetwork,
    absolute_value,
    multiply,
    multiply_error_bound,
    polynomial,
    sawtooth,
    sawtooth_complexity,
    square,
    square_complexity,
    square_error,
    tooth,
)
from .depth import (
    depth_separation_steps,
    shallow_sawtooth,
    shallow_width_needed,
    train_shallow_steps,
)
from .products import multiply_comparison, shallow_multiply
from .smooth import taylor_network
from .smooth2d import smooth_rates_2d_steps, taylor_network_2d
from .smooth_rates import shallow_interpolant, smooth_rates_steps
from .squares import square_curve, square_rates

__all__ = [
    "affine",
    "compose",
    "identity",
    "linear_combination",
    "network_sum",
    "pad",
    "parallel",
    "PolynomialNetwork",
    "absolute_value",
    "multiply",
    "multiply_error_bound",
    "polynomial",
    "sawtooth",
    "sawtooth_complexity",
    "square",
    "square_complexity",
    "square_error",
    "tooth",
    "depth_separation_steps",
    "shallow_sawtooth",
    "shallow_width_needed",
    "train_shallow_steps",
    "shallow_interpolant",
    "shallow_multiply",
    "multiply_comparison",
    "smooth_rates_steps",
    "taylor_network",
    "smooth_rates_2d_steps",
    "taylor_network_2d",
    "square_curve",
    "square_rates",
]
