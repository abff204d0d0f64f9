"""Lecture 03: Yarotsky's explicit ReLU constructions, approximation rates and depth separation.

Modules: :mod:`.calculus` (composition, parallelisation and sums of networks),
:mod:`.constructions` (tooth, sawtooth, square, multiplication, polynomials),
:mod:`.smooth` (rates for :math:`C^s` functions, deep construction against shallow networks),
:mod:`.depth` (how wide a shallow network must be to match a sawtooth).
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
]
