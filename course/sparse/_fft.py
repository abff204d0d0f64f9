"""``scipy.fft``, imported on first use.

``import scipy.fft`` also loads ``scipy.special`` (about 0.1 s and 15 MB): a kernel whose lecture
04 panels are all read from the shared store transforms nothing, so it should pay neither.
"""

from __future__ import annotations

import importlib


class _OnFirstUse:
    """Stands for a module; the module is imported when an attribute is first asked for."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr):
        module = importlib.import_module(self._name)
        return getattr(module, attr)


#: ``sfft.fft2(...)`` as with ``import scipy.fft as sfft``.
sfft = _OnFirstUse("scipy.fft")
