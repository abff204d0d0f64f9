"""Lecture 06 panels, headless: set controls, assert on the state and on the figures' data."""

from __future__ import annotations

import numpy as np
import pytest

from course.tomography import fbp, measured_range, scan_angles
from widgets.live import NOT_COMPUTED
from widgets.tomography import (
    ComparisonPanel,
    ShearletPanel,
    TablePanel,
    VisibilityPanel,
)
from widgets.tomography._common import full_scan


@pytest.mark.slow
def test_missing_angle_slider_shows_the_fbp_of_the_measured_angles(missing):
    p = missing
    p.controls["phi_deg"].value = 45
    assert p.wait(60) and p.state.ok
    r = p.state.result
    assert r.phi_deg == 45 and r.n_angles == 90
    # the image handed to the figure is the FBP of exactly those angles
    angles, g = full_scan("shepp", 0.0)
    keep = np.abs(angles) <= np.deg2rad(45)
    direct = fbp(g[keep].astype(np.float64), angles[keep], filter="shepp-logan")
    shown = np.asarray(p._fbp.get_array())
    assert np.abs(shown - direct).max() < 1e-4 * np.abs(direct).max()  # float32 prefix sums
    assert "missing wedge 90°" in p._fbp_axes.get_title()
    # more angles, smaller error
    errors = []
    for phi in (15, 45, 90):
        p.controls["phi_deg"].value = phi
        assert p.wait(60)
        errors.append(p.state.result.error)
    assert errors[0] > errors[1] > errors[2]


@pytest.mark.slow
def test_a_bad_value_from_a_client_is_refused(missing):
    p = missing
    before = p.state.phi_deg
    p.controls["phi_deg"].set_state({"value": 500})
    assert p.state.phi_deg == before and not p.state.ok
    assert "phi_deg must be an integer in [1, 90]" in p.state.status


def test_visibility_panel_colours_edges_by_quinto():
    p = VisibilityPanel()
    assert p.wait(60)
    p.controls["phi_deg"].value = 90
    assert p.wait(60)
    assert p.state.result.fraction_visible == 1.0 and len(p._inv.get_xdata()) == 0
    p.controls["phi_deg"].value = 30
    assert p.wait(60)
    r = p.state.result
    assert 0 < r.fraction_visible < 1
    assert len(p._vis.get_xdata()) == len(r.visible_points)
    # the grey overlay covers exactly the unmeasured frequencies
    overlay = np.asarray(p._mask.get_array())
    assert np.array_equal(overlay[..., 3] > 0, ~r.bowtie)
    assert abs(r.bowtie.mean() - 1 / 3) < 0.08


def test_shearlet_panel_bars_follow_the_split():
    p = ShearletPanel()
    assert p.wait(60)
    p.controls["phi_deg"].value = 90
    assert p.wait(60)
    assert p.state.result.visible.all() and p.state.result.lost_energy == 0.0
    p.controls["phi_deg"].value = 20
    assert p.wait(60)
    r = p.state.result
    colours = [bar.get_facecolor()[:3] for bar in p._bars]
    red = np.array([c[0] > 0.5 and c[1] < 0.5 for c in colours])
    assert np.array_equal(red, ~r.visible) and red.any()
    # the visible and the invisible part add up to the image (Parseval frame)
    from widgets.tomography._common import image_of

    np.testing.assert_allclose(r.visible_part + r.invisible_part, image_of("shepp"), atol=1e-10)
    assert 0 < r.lost_energy < 1
    lo, hi = measured_range(180 - 40)
    assert lo < 0 < hi


@pytest.mark.slow
def test_comparison_waits_for_its_button_then_orders_the_methods():
    p = ComparisonPanel()
    assert p.wait(60)
    assert p.state.result is NOT_COMPUTED and p.start_button is not None
    # before any reconstruction the truth is shown (what the methods try to find), the
    # methods' axes say what to press
    truth = p._truth.get_array()
    assert truth.shape == (64 * 2, 128) and truth.max() > 0.5
    assert "press Reconstruct" in p._axes["fbp"][0].get_title()
    p.start_button.click()
    assert p.wait(600) and p.state.ok, p.state.status
    r = p.state.result
    assert set(r.images) == {"fbp", "tv", "shearlet", "postprocessing", "ltI"}
    assert r.scores["shearlet"].rel_l2 < r.scores["fbp"].rel_l2
    assert r.images["shearlet"].min() >= 0
    assert "computing" not in p._axes["ltI"][0].get_title()
    assert len(p._objective.get_xdata()) > 3
    np.testing.assert_array_equal(p._truth.get_array(), truth)  # the same phantom was measured


def test_table_panel_shows_the_shipped_table():
    p = TablePanel()
    assert p.wait(60)
    p.controls["metric"].value = "ssim"
    assert p.wait(60)
    r = p.state.result
    heights = [b.get_height() for b in p._bars["ltI"]]
    np.testing.assert_allclose(heights, r.values["ltI"])
    assert "Learn the Invisible" in p.table.value and "60° missing" in p.table.value
    assert scan_angles(60).size == 120
