"""Lecture 03 panels, headless: every control changes the state and the figures' data."""

from __future__ import annotations

import io

import numpy as np
import pytest

from course.networks import count_linear_pieces_1d
from course.yarotsky import multiply_error_bound, sawtooth
from widgets.live import NOT_COMPUTED
from widgets.yarotsky import (
    DepthPanel,
    ProductPanel,
    SawtoothPanel,
    SmoothPanel,
    SquarePanel,
)

PANELS = {
    "sawtooth": SawtoothPanel,
    "square": SquarePanel,
    "product": ProductPanel,
    "smooth": SmoothPanel,
    "depth": DepthPanel,
}


@pytest.fixture
def panels(reuse):
    return {name: reuse(name, cls) for name, cls in PANELS.items()}


def line(fig, k, ax=0):
    artist = fig.axes[ax].lines[k]
    return np.asarray(artist.get_xdata(), float), np.asarray(artist.get_ydata(), float)


@pytest.mark.parametrize("s", [1, 2, 6, 9, 12, 5])
def test_sawtooth_slider_draws_g_s_through_its_breakpoints(panels, s):
    p = panels["sawtooth"]
    p.controls["s"].value = s
    assert p.wait(30) and p.state.ok
    r = p.state.result
    assert r.s == s and r.pieces == 2**s == count_linear_pieces_1d(sawtooth(s), 0, 1)
    x, y = line(p.figures["sawtooth"], 0)
    np.testing.assert_allclose(x, np.arange(2**s + 1) / 2**s, atol=1e-12)
    np.testing.assert_allclose(y, (np.arange(2**s + 1) % 2).astype(float), atol=1e-12)
    assert f"<b>{2**s}</b>" in p.info.value
    # the drawn graph has the network's layers: input, s hidden layers, output
    nodes = p.figures["network"].axes[0].lines[0]
    assert len(set(np.asarray(nodes.get_xdata()).tolist())) == s + 2


@pytest.mark.parametrize("m", [0, 1, 4, 7, 12])
def test_square_slider_shows_f_m_and_its_exact_error(panels, m):
    p = panels["square"]
    p.controls["m"].value = m
    assert p.wait(30) and p.state.ok
    c = p.state.result.curve
    assert c.m == m and c.sup_error == pytest.approx(2.0 ** (-2 * m - 2), abs=1e-12)
    fig = p.figures["square"]
    x, fm = line(fig, 1)
    nodes = np.arange(2**m + 1) / 2**m
    np.testing.assert_allclose(fm, np.interp(x, nodes, nodes**2), atol=1e-14)
    _, err = line(fig, 0, ax=1)
    assert np.max(err) == pytest.approx(2.0 ** (-2 * m - 2), abs=1e-12)
    _, level = line(fig, 1, ax=1)
    assert level[0] == 2.0 ** (-2 * m - 2)
    # the highlighted point on the rates plot is this m's network
    cx, cy = line(p.figures["rates"], 4)
    assert cx[0] == c.complexity and cy[0] == c.sup_error
    assert f"{c.complexity}" in p.info.value


@pytest.mark.parametrize("m, poly", [(0, "x3"), (3, "exp5"), (5, "mixed"), (2, "cheb4")])
def test_product_panel_error_surface_and_polynomial(panels, m, poly):
    p = panels["product"]
    p.controls["m"].value = m
    p.controls["poly"].value = poly
    assert p.wait(30) and p.state.ok
    r = p.state.result
    assert r.m == m and r.poly == poly
    # the image shows the error in units of the bound 2^-2m (a power of two: exact)
    surface = np.asarray(p.figures["surface"].axes[0].images[0].get_array(), float)
    surface = surface * multiply_error_bound(m)
    np.testing.assert_array_equal(surface, r.error)
    assert -multiply_error_bound(m) - 1e-14 <= surface.min() and surface.max() <= 1e-14
    mid = surface.shape[0] // 2  # the axes x = 0 and y = 0 lie on the odd grid
    assert np.all(surface[mid, :] == 0) and np.all(surface[:, mid] == 0)
    assert r.zero_max == 0.0
    x, phi = line(p.figures["polynomial"], 1)
    assert np.max(np.abs(phi - r.exact)) <= r.poly_bound


def test_smooth_panel_sweeps_and_fits(panels):
    p = panels["smooth"]
    p.controls["s"].value = 2
    assert p.wait(60) and p.state.ok
    r = p.state.result
    assert r.s == 2 and p.state.final
    c, e = line(p.figures["rates"], 0)
    np.testing.assert_array_equal(c, r.deep_complexity)
    np.testing.assert_array_equal(e, r.deep_error)
    assert np.all(r.deep_error <= r.deep_bound)
    assert r.theorem_slope == -2.0 and r.deep_fit.slope < -1.5
    assert "fitted slope" in p.info.value
    # back to a value already computed: served from the cache, same object
    p.controls["s"].value = 3
    assert p.wait(60)
    first = p.state.result
    p.controls["s"].value = 2
    assert p.wait(60)
    p.controls["s"].value = 3
    assert p.wait(60)
    assert p.state.result is first


def test_smooth_panel_in_two_dimensions(panels):
    p = panels["smooth"]
    p.controls["s"].value = 1
    p.controls["d"].value = 2
    assert p.wait(60) and p.state.ok
    r = p.state.result
    assert r.s == 1 and r.theorem_slope == -0.5
    c, e = line(p.figures["rates"], 0)
    np.testing.assert_array_equal(c, r.deep_complexity)
    _, shallow = line(p.figures["rates"], 2)
    assert shallow.size == 0  # no shallow comparison in d = 2
    assert "d = 2" in p.info.value
    p.controls["d"].value = 1
    assert p.wait(60) and p.state.result.theorem_slope == -1.0


def test_depth_panel_trains_on_the_button_and_remembers(panels):
    p = panels["depth"]
    p.controls["k_max"].value = 2
    p.controls["tol"].value = 0.1
    assert p.wait(30)
    assert p.state.result is NOT_COMPUTED  # nothing runs before the button is pressed
    p.start_button.click()
    assert p.wait(120) and p.state.ok
    r = p.state.result
    np.testing.assert_array_equal(r.ks, [1, 2])
    assert r.tol == 0.1
    k, widths = line(p.figures["widths"], 0)
    np.testing.assert_array_equal(k, [1, 2])
    np.testing.assert_array_equal(widths, r.width_needed)
    assert "<table" in p.table.value
    assert p.state.cached()


@pytest.mark.parametrize("panel_name", list(PANELS))
def test_hostile_values_on_every_control(panel_name):
    p = PANELS[panel_name]()
    assert p.wait(60)
    for name, control in p.controls.items():
        for bad in (1e9, float("nan"), "abc", None, -5):
            if bad == -5 and name == "poly":
                continue
            before = p.state.params()
            control.set_state({"value": bad})
            assert p.state.params() == before, (name, bad)
            assert not p.state.ok and p.state.status.startswith(name), (name, bad)
    assert p.wait(60)


def _draw_all(panel):
    """Render every figure with Agg, as the browser's frame request would (catches bad LaTeX)."""
    for name, fig in panel.figures.items():
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        assert buf.tell() > 1000, name


@pytest.mark.parametrize(
    "panel_name, settings",
    [
        ("sawtooth", [{"s": 1}, {"s": 12}]),
        ("square", [{"m": 0}, {"m": 12}]),
        (
            "product",
            [
                {"m": 0, "poly": "x3"},
                {"m": 8, "poly": "exp5"},
                {"poly": "cheb4"},
                {"poly": "mixed"},
            ],
        ),
        ("smooth", [{"s": 1}, {"s": 5}, {"s": 1, "d": 2}]),
        ("depth", [{"k_max": 1, "tol": 0.2}]),
    ],
)
def test_every_figure_draws(panel_name, settings):
    p = PANELS[panel_name]()
    assert p.wait(60)
    for values in settings:
        for name, value in values.items():
            p.controls[name].value = value
        if panel_name == "depth":
            p.start_button.click()
        assert p.wait(120) and p.state.ok, p.state.status
        _draw_all(p)


def test_depth_training_stops_on_the_stop_button():
    p = DepthPanel(k_max=6, tol=0.01)
    assert p.wait(30)
    p.start_button.click()
    assert not p.wait(0.3)  # k up to 6 at tolerance 0.01: many seconds of training
    p.stop_button.click()
    assert p.wait(5)  # the job honours the stop at its next step (every 50 Adam steps)
    assert not p.state.cached()
