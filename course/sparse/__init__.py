"""Sparse approximation of cartoon-like images: generator, shearlets, best N-term approximation.

``course.sparse.cartoon`` renders cartoon-like functions, ``course.sparse.shearlets`` is a
digital cone-adapted shearlet system (Parseval, undecimated and decimated), and
``course.sparse.nterm`` computes N-term approximations in Fourier, wavelet, shearlet and
curvelet systems and trains a ReLU network on the same image.
"""

from .cartoon import Cartoon, cartoon
from .shearlets import DecimatedShearletSystem, ShearletSystem, shearlet_system

__all__ = [
    "Cartoon",
    "cartoon",
    "DecimatedShearletSystem",
    "ShearletSystem",
    "shearlet_system",
]
