r"""Windows of the digital shearlet system: Meyer radial bands and angular windows on the DFT grid.

Private helpers of :mod:`course.sparse.shearlets` (see its docstring for the mathematics and the
references): the partition of unity :math:`|\hat\phi|^2 + \sum |\hat\psi_{j,k}|^2 = 1` is made
here, the half supports of the atoms are folded onto their sampling lattices here, and the
arguments of both systems are checked here.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ._fft import sfft

__all__ = ["ShearletAtom", "default_shear_levels"]


@dataclass(frozen=True)
class ShearletAtom:
    """Label of one atom.

    Attributes
    ----------
    scale : int
        ``j`` (0 coarsest); -1 for the low-pass atom.
    shear : int
        ``k``, :math:`|k| \\le 2^{s_j}`; :math:`|k| = 2^{s_j}` is a seam atom shared by both cones.
    cone : str
        ``"h"`` for :math:`|\\xi_1| \\ge |\\xi_2|`, the "horizontal" cone of the continuum
        system with :math:`\\xi_1` the frequency along axis 0 (rows, matrix convention): the atom
        oscillates down the columns and responds to edges that run along axis 1. ``"v"`` for the
        other cone, ``"seam"`` for the glued diagonal atoms, ``"low"`` for the low-pass.
    slope : float
        Centre of the angular window, :math:`k / 2^{s_j}`, in the atom's cone coordinates.
    """

    scale: int
    shear: int
    cone: str
    slope: float

    @property
    def label(self) -> str:
        if self.cone == "low":
            return "low-pass"
        return f"j={self.scale}, k={self.shear:+d}, {self.cone}"


# -------------------------------------------------------------------------------- arguments
def _check_shape(shape, scales):
    if not isinstance(scales, (int, np.integer)) or not 1 <= scales <= 6:
        raise ValueError(f"scales must be an integer in [1, 6]; got {scales!r}")
    try:
        shape = tuple(int(s) for s in shape)
    except TypeError:
        raise ValueError(f"shape must be a pair of integers; got {shape!r}") from None
    least = 2 ** (scales + 1)
    if len(shape) != 2 or min(shape) < least or max(shape) > 4096:
        raise ValueError(
            f"shape must be two sizes in [{least}, 4096] for scales={scales}; got {shape!r}"
        )
    return shape


def _check_image(x, shape):
    x = np.asarray(x)
    if x.shape != shape:
        raise ValueError(f"x must have shape {shape}; got {x.shape}")
    if not np.issubdtype(x.dtype, np.floating) and not np.issubdtype(x.dtype, np.integer):
        raise ValueError(f"x must be a real array; got dtype {x.dtype}")
    return x if x.dtype in (np.float32, np.float64) else x.astype(np.float64)


# ---------------------------------------------------------------------------------- windows
def _nu(x):
    """Meyer's auxiliary function: 0 below 0, 1 above 1, and nu(x) + nu(1-x) = 1."""
    x = np.clip(x, 0.0, 1.0)
    return x**4 * (35 - 84 * x + 70 * x**2 - 20 * x**3)


def _lowpass(r, c, eps):
    """1 on r <= c, 0 on r >= c (1 + eps), cos(pi/2 nu) in between."""
    x = (r / c - 1.0) / eps
    return np.where(x >= 1.0, 0.0, np.cos(0.5 * np.pi * _nu(x)))  # exact zeros: compact support


def _angular(u, delta):
    """V(u): 1 on |u| <= (1-delta)/2, 0 on |u| >= (1+delta)/2, and V(u)^2 + V(u-1)^2 = 1."""
    x = (np.abs(u) - (1 - delta) / 2) / delta
    return np.where(x >= 1.0, 0.0, np.cos(0.5 * np.pi * _nu(x)))


def default_shear_levels(scales: int) -> tuple:
    """ShearLab's rule :math:`s_j = \\lceil (j+1)/2 \\rceil`, j = 0..scales-1."""
    return tuple((j + 2) // 2 for j in range(scales))


def _check_levels(levels, scales):
    levels = default_shear_levels(scales) if levels is None else tuple(int(v) for v in levels)
    if len(levels) != scales or min(levels) < 0 or max(levels) > 6:
        raise ValueError(f"shear_levels must be {scales} integers in [0, 6]; got {levels!r}")
    return levels


def _frequencies(shape):
    """Signed integer frequencies of each axis in DFT order (exact integers, as float64)."""
    return [
        np.concatenate([np.arange((n + 1) // 2), np.arange(-(n // 2), 0)]).astype(float)
        for n in shape
    ]


def _atoms(levels):
    atoms = [ShearletAtom(-1, 0, "low", 0.0)]
    for j, s in enumerate(levels):
        for k in range(-(2**s) + 1, 2**s):
            atoms.append(ShearletAtom(j, k, "h", k / 2**s))
        for k in range(-(2**s) + 1, 2**s):
            atoms.append(ShearletAtom(j, k, "v", k / 2**s))
        for k in (-(2**s), 2**s):
            atoms.append(ShearletAtom(j, k, "seam", k / 2**s))
    return tuple(atoms)


def _window_stack(ka, kb, shape, levels, eps, delta):
    """All windows at one choice of frequency representatives (arrays broadcast to a grid)."""
    wa, wb = ka / shape[0], kb / shape[1]
    scales = len(levels)
    r = np.maximum(np.abs(wa), np.abs(wb))
    cone_h = np.abs(wa) >= np.abs(wb)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_h = np.where(cone_h, wb / np.where(wa == 0, 1, wa), 0.0)
        t_v = np.where(~cone_h, wa / np.where(wb == 0, 1, wb), 0.0)
    c_top = 0.2
    cs = [c_top * 2.0 ** (j - scales + 1) for j in range(scales)]
    low = [_lowpass(r, c, eps) for c in cs]
    out = [low[0]]
    for j in range(scales):
        upper = low[j + 1] ** 2 if j + 1 < scales else 1.0
        band = np.sqrt(np.maximum(upper - low[j] ** 2, 0.0))
        s = levels[j]
        for k in range(-(2**s) + 1, 2**s):
            out.append(band * _angular(2**s * t_h - k, delta) * cone_h)
        for k in range(-(2**s) + 1, 2**s):
            out.append(band * _angular(2**s * t_v - k, delta) * ~cone_h)
        for k in (-(2**s), 2**s):
            ang_h = _angular(2**s * t_h - k, delta) * cone_h
            out.append(band * (ang_h + _angular(2**s * t_v - k, delta) * ~cone_h))
    return np.stack([np.broadcast_to(w, r.shape) for w in out])


def _filters(shape, levels, eps, delta):
    """Windows on the DFT grid (unshifted), float64, shape (n_atoms, n0, n1).

    For even sizes the grid point -n/2 stands for both +n/2 and -n/2: the squared window there
    is averaged over the representatives, which keeps every atom symmetric (real) and the sum of
    squares equal to one.
    """
    fa, fb = _frequencies(shape)
    reps_a = [fa] + ([np.where(fa == -shape[0] // 2, -fa, fa)] if shape[0] % 2 == 0 else [])
    reps_b = [fb] + ([np.where(fb == -shape[1] // 2, -fb, fb)] if shape[1] % 2 == 0 else [])
    acc = None
    for ra in reps_a:
        for rb in reps_b:
            w = _window_stack(ra[:, None], rb[None, :], shape, levels, eps, delta) ** 2
            acc = w if acc is None else acc + w
    return np.sqrt(acc / (len(reps_a) * len(reps_b)))


@dataclass(frozen=True)
class _Fold:
    """Where the half support of one atom goes in its m1 x m2 coefficient array."""

    grid: np.ndarray  # flat indices of the chosen frequencies in the n0 x n1 spectrum
    weight: np.ndarray  # sqrt(2) * window (1 * window for self-mirror frequencies)
    pos: np.ndarray  # flat indices in the m1 x m2 folded array
    m1: int
    m2: int
    twiddle: np.ndarray  # exp(-2 pi i r1 t p2 / (m1 m2)), shape (m1, m2)


def _fold_atom(window, atom, shape):
    """Choose the half support S+ and fold it injectively modulo a sheared lattice."""
    n0, n1 = shape
    support = np.flatnonzero(window.ravel() > 0)
    ia, ib = np.unravel_index(support, shape)
    fa, fb = _frequencies(shape)
    ka, kb = fa[ia], fb[ib]
    mirror = np.ravel_multi_index(((-ia) % n0, (-ib) % n1), shape)
    keep = support <= mirror
    support, mirror, ka, kb = support[keep], mirror[keep], ka[keep], kb[keep]
    self_mirror = support == mirror
    # direction of the wedge in (axis 0, axis 1) frequency coordinates
    if atom.cone == "v":
        d = np.array([atom.slope, 1.0])
    else:
        d = np.array([1.0, atom.slope])
    d /= np.hypot(*d)
    # candidate representatives: the grid point or its mirror, each with Nyquist alternatives
    cands, owners = [], []
    for ea in (0, 1):
        for eb in (0, 1):
            ra = np.where((ea == 1) & (n0 % 2 == 0) & (ka == -(n0 // 2)), -ka, ka)
            rb = np.where((eb == 1) & (n1 % 2 == 0) & (kb == -(n1 // 2)), -kb, kb)
            cands += [(ra, rb), (-ra, -rb)]
            owners += [support, mirror]
    ra = np.stack([c[0] for c in cands])
    rb = np.stack([c[1] for c in cands])
    norm = np.hypot(ra, rb)
    score = np.where(norm > 0, (ra * d[0] + rb * d[1]) / np.where(norm > 0, norm, 1), 0.0)
    best = np.argmax(score, axis=0)
    cols = np.arange(best.size)
    ra, rb = ra[best, cols], rb[best, cols]
    grid = np.stack(owners)[best, cols]
    weight = window.ravel()[grid] * np.where(self_mirror, 1.0, np.sqrt(2.0))
    # cone coordinates: rho1 along the cone axis, rho2 across; eta2 = rho2 - slope * rho1
    rho1, rho2 = (rb, ra) if atom.cone == "v" else (ra, rb)
    slope = Fraction(atom.slope).limit_denominator(1 << 12)
    q = slope.denominator
    eta2 = rho2 - float(slope) * rho1
    m1 = int(rho1.max() - rho1.min()) + 1
    m1 = -(-m1 // q) * q
    m2 = int(np.floor(eta2.max() - eta2.min() + 1e-9)) + 1
    t = m1 * slope.numerator // q
    r1 = np.mod(rho1, m1).astype(np.int64)
    a = ((rho1 - r1) // m1).astype(np.int64)
    r2 = np.mod(rho2 - a * t, m2).astype(np.int64)
    pos = r1 * m2 + r2
    if np.unique(pos).size != pos.size:  # cannot happen if the extents above are right
        raise RuntimeError(f"folding of atom {atom} is not injective")
    p2 = np.arange(m2)
    twiddle = np.exp(-2j * np.pi * np.outer(np.arange(m1), p2) * (t / (m1 * m2)))
    return _Fold(grid, weight, pos, m1, m2, twiddle)


class _CoarseWavelet:
    """The low-pass band as a small real image, expanded in an orthonormal wavelet basis.

    The window :math:`\\hat\\phi` is supported in the box :math:`|k_a| \\le r_a, |k_b| \\le r_b`
    of integer frequencies. Placing :math:`\\hat\\phi \\hat x` (unitary DFT) on an
    :math:`m_a \\times m_b` grid with :math:`m \\ge 2r + 2` and taking the unitary inverse DFT
    gives a real image (the window is even) whose norm is :math:`\\|\\hat\\phi \\hat x\\|_2`: the
    low-pass band sampled at its critical rate. An orthonormal periodized wavelet basis of that
    image (down to an ``coarsest x coarsest`` grid) keeps the map an isometry.
    """

    def __init__(self, window, shape, wavelet="db4", coarsest=8):
        fa, fb = _frequencies(shape)
        rows = np.flatnonzero(np.any(window > 0, axis=1))
        cols = np.flatnonzero(np.any(window > 0, axis=0))
        ra, rb = int(np.abs(fa[rows]).max()), int(np.abs(fb[cols]).max())
        if 2 * ra + 1 >= shape[0] or 2 * rb + 1 >= shape[1]:
            raise ValueError("the low-pass band fills an axis; use coarse='folded'")
        self.m = tuple(int(2 ** np.ceil(np.log2(2 * r + 2))) for r in (ra, rb))
        self.level = int(np.log2(max(min(self.m) // coarsest, 1)))
        ka, kb = np.meshgrid(np.arange(-ra, ra + 1), np.arange(-rb, rb + 1), indexing="ij")
        self.src = np.ravel_multi_index((ka % shape[0], kb % shape[1]), shape).ravel()
        self.dst = np.ravel_multi_index((ka % self.m[0], kb % self.m[1]), self.m).ravel()
        self.weight = window.ravel()[self.src]
        self.wavelet = wavelet
        import pywt  # imported where used: a kernel whose panels come from the store never loads it

        probe = pywt.wavedec2(np.zeros(self.m), wavelet, mode="periodization", level=self.level)
        arr, self.slices = pywt.coeffs_to_array(probe)
        self.size = arr.size

    @property
    def nbytes(self):
        return self.src.nbytes + self.dst.nbytes + self.weight.nbytes

    def analyze(self, spec_flat, dtype):
        g = np.zeros(self.m[0] * self.m[1], dtype=spec_flat.dtype)
        g[self.dst] = spec_flat[self.src] * self.weight.astype(dtype)
        import pywt

        img = sfft.ifft2(g.reshape(self.m), norm="ortho").real
        c = pywt.wavedec2(img, self.wavelet, mode="periodization", level=self.level)
        return pywt.coeffs_to_array(c)[0].ravel().astype(dtype, copy=False)

    def synthesize_into(self, coeffs, spec_flat):
        import pywt

        c = pywt.array_to_coeffs(coeffs.reshape(self.m), self.slices, output_format="wavedec2")
        img = pywt.waverec2(c, self.wavelet, mode="periodization")
        g = sfft.fft2(img, norm="ortho").ravel()
        spec_flat[self.src] += g[self.dst] * self.weight
