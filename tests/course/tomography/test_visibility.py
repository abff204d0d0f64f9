"""Visibility: Quinto's rule on ellipse edges, the bowtie, the split of the shearlets."""

from __future__ import annotations

import numpy as np
import pytest

from course.sparse import shearlet_system
from course.tomography import (
    bowtie_mask,
    edge_visibility,
    measured_range,
    scan_angles,
    shearlet_visibility,
    shepp_logan,
)
from course.tomography.phantoms import Ellipse, Phantom


@pytest.mark.parametrize("shape", [(64, 64), (63, 65)])
@pytest.mark.parametrize("missing", [0, 30, 60, 90, 150, 180])
def test_split_partitions_the_atoms(shape, missing):
    system = shearlet_system(shape, scales=2)
    split = shearlet_visibility(system, *measured_range(missing))
    vis, inv = set(split.i_vis), set(split.i_inv)
    assert vis.isdisjoint(inv) and vis | inv == set(range(system.n_atoms))
    if missing == 0:
        assert len(inv) == 0
    if missing == 180:
        assert len(vis) == 0


def test_more_missing_never_makes_an_atom_visible():
    system = shearlet_system((64, 64), scales=3)
    previous = None
    for missing in range(0, 181, 15):
        vis = shearlet_visibility(system, *measured_range(missing)).visible
        if previous is not None:
            assert not np.any(vis & ~previous)
        previous = vis


def test_atoms_of_horizontal_edges_are_invisible_when_vertical_normals_are_missing():
    # edges along the columns' direction (x1) have vertical normals (angle pi/2): missing for
    # any wedge around pi/2. Such edges oscillate along axis 0: the "h" cone, shear 0.
    system = shearlet_system((64, 64), scales=2)
    split = shearlet_visibility(system, *measured_range(60))
    for j in range(2):
        assert not split.visible[system.index(scale=j, shear=0, cone="h")]
        assert split.visible[system.index(scale=j, shear=0, cone="v")]


def test_bowtie_covers_the_measured_fraction_of_frequencies():
    mask = bowtie_mask((256, 256), *measured_range(60))
    k = np.fft.fftfreq(256)
    disc = k[:, None] ** 2 + k[None, :] ** 2 < 0.25
    # directions within 60 degrees of the x1 axis: 2/3 of the frequencies in a disc (the
    # square's corners, at 45 degrees, are measured, so the whole grid has more)
    assert abs(mask[disc].mean() - 2 / 3) < 0.005
    assert mask.mean() > 2 / 3
    assert mask[0, 0] and not bowtie_mask((8, 8), 0.0, 0.0).any()


def test_quinto_rule_on_a_circle_and_on_shepp_logan():
    disc = Phantom((Ellipse(1.0, 0.4, 0.4, 0.1, 0.0, 0.0),))
    for missing in (0, 45, 90, 135):
        frac = edge_visibility(disc, *measured_range(missing), points_per_ellipse=720)
        # a circle's normals are uniform over directions
        assert abs(frac.fraction_visible - (180 - missing) / 180) < 1 / 360 + 1e-12
    full = edge_visibility(shepp_logan(), *measured_range(0))
    assert full.visible.all()
    none = edge_visibility(shepp_logan(), *measured_range(180))
    assert not none.visible.any()


def test_normals_are_normal_to_the_boundary():
    e = Phantom((Ellipse(1.0, 0.5, 0.2, 0.1, -0.1, 0.6),))
    ev = edge_visibility(e, 0.0, 1.0, points_per_ellipse=400)
    tangents = np.roll(ev.points, -1, axis=0) - np.roll(ev.points, 1, axis=0)
    cos = np.abs(np.sum(tangents * ev.normals, axis=1)) / np.linalg.norm(tangents, axis=1)
    assert cos.max() < 1e-3


def test_scan_angles_and_bad_wedges():
    assert scan_angles(0).size == 180 and scan_angles(60).size == 120
    assert scan_angles(180).size == 0
    with pytest.raises(ValueError, match="missing_deg must be a number in"):
        measured_range(200)
    with pytest.raises(ValueError, match="missing_deg"):
        measured_range(True)
