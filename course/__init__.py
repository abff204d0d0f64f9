"""The mathematics of the course as a library: no Jupyter, no plotting.

Subpackages, one per theme, are imported by name (``course.networks``, ``course.yarotsky``, ...);
this module re-exports only the basics so that ``import course`` stays fast.
"""

from .activations import ACTIVATIONS, Activation, get_activation
from .networks import Network, complexity, count_linear_pieces_1d, random_network
from .rates import RateFit, fit_rate

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "Network",
    "complexity",
    "count_linear_pieces_1d",
    "random_network",
    "RateFit",
    "fit_rate",
]
