"""Lecture 06: what the panels share (phantoms, the 256 x 256 scan, image axes with colour bars)."""

from __future__ import annotations

import functools

import numpy as np

from course.tomography import (
    MissingAngleFBP,
    RadonGeometry,
    add_noise,
    analytic_sinogram,
    random_ellipses,
    rasterize,
    scan_angles,
    shepp_logan,
)

from ..cache import shared_arrays

#: Image side of the live panels (1)-(3).
N = 256
#: The phantoms a student can pick: Shepp-Logan and a few held-out random ellipse phantoms.
PHANTOM_CHOICE = {
    "shepp": "Shepp-Logan",
    **{f"random{k}": f"random ellipses #{k}" for k in range(4)},
}
NOISE_CHOICE = {0.0: "none", 0.005: "0.5%", 0.01: "1%", 0.03: "3%", 0.05: "5%"}
FILTER_CHOICE = {
    "ramp": "ramp",
    "shepp-logan": "Shepp-Logan",
    "cosine": "cosine",
    "hann": "Hann",
}
#: Held-out phantoms of the panels: seeds far from the training range.
PANEL_SEED = 2_000_000


def phantom_of(name: str):
    """The phantom behind a choice key."""
    if name == "shepp":
        return shepp_logan()
    return random_ellipses(PANEL_SEED + int(name.removeprefix("random")))


@functools.lru_cache(maxsize=4)
def image_of(name: str, n: int = N) -> np.ndarray:
    return rasterize(phantom_of(name), n)


@functools.lru_cache(maxsize=2)
def full_scan(name: str, noise: float):
    """``(angles, sinogram)`` of the full scan (180 angles, 1 degree) from exact line integrals."""
    angles = scan_angles(0)
    detectors = RadonGeometry(N, N, ()).detectors()  # the geometry only: no matrix is built
    g = analytic_sinogram(phantom_of(name), angles, detectors, aperture=2.0 / N)
    return angles, add_noise(g, noise, seed=1).astype(np.float32)


@functools.lru_cache(maxsize=4)
def missing_angle_fbp(name: str, noise: float, filter: str) -> MissingAngleFBP:
    """Prefix sums of the FBP over angle (47 MB), once per phantom, noise and filter for the
    whole server: every kernel maps the same arrays and reads two slices per slider move."""

    def make():
        angles, g = full_scan(name, noise)
        return MissingAngleFBP(g, angles, filter=filter).arrays()

    key = ("missing_angle_fbp", name, float(noise), filter, N)
    return MissingAngleFBP.from_arrays(**shared_arrays(key, make))


def image_axes(fig, ax, title, *, cmap="gray", vmin=0.0, vmax=1.0, n=N, label=None):
    """An image on [-1, 1]^2 with x1 and x2 axes and a colour bar; returns the AxesImage."""
    im = ax.imshow(
        np.zeros((n, n)), cmap=cmap, vmin=vmin, vmax=vmax, extent=(-1, 1, -1, 1), origin="upper"
    )
    ax.set_title(title)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    fig.colorbar(im, ax=ax, shrink=0.8, label=label)
    return im


def shade_missing(ax, low_deg, high_deg, spans):
    """Grey bands over the unmeasured angles of a sinogram drawn with angle on the y axis."""
    for s in spans:
        s.remove()
    spans.clear()
    if low_deg > -90:
        spans.append(ax.axhspan(-90, low_deg, color="tab:red", alpha=0.25, lw=0))
    if high_deg < 90:
        spans.append(ax.axhspan(high_deg, 90, color="tab:red", alpha=0.25, lw=0))
