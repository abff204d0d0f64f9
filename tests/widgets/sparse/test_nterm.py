"""Headless tests of the lecture 04 panels."""

import numpy as np
import pytest

from course.sparse.relu import SIZES
from widgets.sparse import AtomPanel, CartoonPanel, NTermPanel, RatePanel, RateState


@pytest.fixture
def nterm_panel(reuse):
    return reuse("nterm_panel", lambda: NTermPanel(), 60)


def test_cartoon_panel_controls():
    p = CartoonPanel()
    assert p.wait(30) and p.state.ok
    first = p.state.result.image.copy()
    for name, value in [
        ("modes", 9),
        ("amplitude", 0.4),
        ("smoothness", 0.5),
        ("seed", 4),
        ("supersample", 2),
    ]:
        p.controls[name].value = value
        assert p.wait(30) and p.state.ok, p.state.status
    assert not np.allclose(first, p.state.result.image)
    assert p._im.get_array().shape == (128, 128)
    assert p._im.get_extent() == [-0.5, 127.5, 127.5, -0.5]  # the image fills its axes
    np.testing.assert_array_equal(p._im.get_array(), p.state.result.image)
    p.controls["show_edge"].value = False
    assert p.wait(30)
    assert len(p._edge.get_xdata()) == 0


def test_nterm_panel_errors_match_images(nterm_panel):
    p = nterm_panel
    for n in (20, 300, 3000):
        p.controls["n_terms"].value = n
        assert p.wait(30) and p.state.ok
        r = p.state.result
        assert r.n_terms == n
        for s, img in r.images.items():
            err = np.linalg.norm(r.original - img) / np.linalg.norm(r.original)
            assert err == pytest.approx(r.errors[s], rel=1e-12)
            np.testing.assert_array_equal(p._ims[s].get_array(), img)
    p.controls["seed"].value = 1
    assert p.wait(60) and p.state.result.n_terms == 3000


def test_nterm_errors_decrease(nterm_panel):
    p = nterm_panel
    errs = []
    for n in (50, 500, 5000):
        p.controls["n_terms"].value = n
        assert p.wait(30) and p.state.ok
        errs.append(p.state.result.errors)
    for s in errs[0]:
        assert errs[0][s] > errs[1][s] > errs[2][s]


@pytest.mark.parametrize("bad", [1e9, float("nan"), "abc", -5])
def test_hostile_values(nterm_panel, bad):
    p = nterm_panel
    before = p.state.n_terms
    p.controls["n_terms"].set_state({"value": bad})
    assert p.state.ok is False
    assert "n_terms" in p.state.status
    assert p.state.n_terms == before


def test_atom_panel():
    p = AtomPanel()
    assert p.wait(30) and p.state.ok
    lengths = {}
    for j in (0, 3):
        p.controls["scale"].value = j
        p.controls["shear"].value = 0
        p.controls["cone"].value = "h"
        assert p.wait(30) and p.state.ok
        r = p.state.result
        assert r.scale == j and r.shear == 0 and r.cone == "h"
        lengths[j] = r.extent
        assert r.frequency.max() <= 1 + 1e-12
    # finer scale: a smaller atom
    assert lengths[3][0] < lengths[0][0] and lengths[3][1] < lengths[0][1]
    p.controls["cone"].value = "seam"
    p.controls["shear"].value = -1
    assert p.wait(30)
    assert abs(p.state.result.shear) == 4 and p.state.result.shear < 0
    p.controls["cone"].value = "v"
    p.controls["shear"].value = 4
    assert p.wait(30)
    assert p.state.result.shear == 3 and "clipped" in p.state.result.label
    p.controls["scale"].set_state({"value": 7})
    assert not p.state.ok and "scale" in p.state.status


class _Store(dict):
    """A store like the class server's: the rate panels of these tests share finished curves
    (as the lecture's kernels would), so the default pursuit runs once for both tests."""

    def set(self, key, value):
        self[key] = value


_STORE = _Store()


@pytest.fixture
def shared_curves():
    RateState.store = _STORE
    yield
    RateState.store = None


def test_rate_panel_and_relu_job(shared_curves):
    p = RatePanel()
    assert p.wait(300) and p.state.ok  # the default pursuit: seconds idle, minutes under load
    comp = p.state.result.comparison
    assert {c.system for c in comp.curves} == {"fourier", "wavelet", "shearlet", "curvelet"}
    line = p._lines["wavelet"]
    np.testing.assert_array_equal(line.get_ydata(), comp.curve("wavelet").error)
    p.controls["fit_min"].value = 100
    p.controls["fit_max"].value = 1600
    assert p.wait(60) and p.state.result.comparison.fit_range == (100.0, 1600.0)
    p.controls["fit_max"].value = 100
    p.controls["fit_min"].value = 2000
    assert p.wait(60)
    assert not p.state.ok and "fit_min" in p.state.status
    p.controls["fit_min"].set_state({"value": 123})
    assert not p.state.ok and "fit_min" in p.state.status and p.state.fit_min == 2000
    p.controls["fit_min"].value = 50
    p.controls["fit_max"].value = 819
    p.controls["method"].value = "largest"  # quick curves for the training part of the test
    p.controls["seed"].value = 2
    assert p.wait(60) and p.state.ok
    # a tiny training job on the runner: partial results then a final sweep
    p.state.train(steps=20, sizes=((4,), (8,)))
    assert p.wait(120) and p.state.ok, p.state.status
    sweep = p.state.result.relu
    assert len(sweep.fits) == 2 and sweep.current is None
    assert np.all(sweep.n_weights == [17, 33])
    np.testing.assert_array_equal(p._relu.get_xdata(), sweep.n_weights)
    # the networks belong to seed 2: another fit range keeps them, another seed drops them
    p.controls["fit_max"].value = 1600
    assert p.wait(60) and p.state.result.relu is sweep
    p.controls["seed"].value = 3
    assert p.wait(60) and p.state.result.relu is None
    assert len(p._relu.get_xdata()) == 0


def test_relu_job_can_be_stopped(shared_curves):
    p = RatePanel()
    assert p.wait(300)
    p.action_buttons["train"].click()  # the default sweep: minutes; the stop button ends it
    assert p.state.runner.busy
    p.stop_button.click()
    assert p.wait(60)  # idle long before the sweep could have finished
    r = p.state.result
    assert r.relu is None or len(r.relu.fits) < len(SIZES)  # the sweep did not finish


def test_rate_panel_pursuit_streams_and_is_reused_for_a_new_fit_range():
    p = RatePanel()  # its own cache: the pursuit runs here, whatever ran before
    drawn = []
    p.state.observe(lambda ch: drawn.append(ch["new"]), "result")
    assert p.wait(120) and p.state.ok, p.state.status
    comp = p.state.result.comparison
    assert comp.method == "pursuit"
    sh, wav = comp.curve("shearlet"), comp.curve("wavelet")
    assert np.all(sh.error <= sh.largest) and np.all(sh.error < wav.error)
    # partial results were shown while the pursuit ran (first: the N largest coefficients)
    assert len(drawn) > 3 and np.array_equal(
        drawn[0].comparison.curve("shearlet").error, sh.largest
    )
    np.testing.assert_array_equal(p._largest["shearlet"].get_ydata(), sh.largest)
    # another fit range refits the finished curves: no new pursuit
    assert not p.state.from_cache
    p.controls["fit_max"].value = 400
    assert p.wait(30) and p.state.ok and p.state.from_cache
    again = p.state.result.comparison.curve("shearlet")
    np.testing.assert_array_equal(again.error, sh.error)
    assert again.fit.n_max <= 400 and again.fit.slope != sh.fit.slope


def test_nterm_panel_pursuit_improves_the_frames(nterm_panel):
    p = nterm_panel
    p.controls["method"].value = "largest"
    p.controls["n_terms"].value = 400
    assert p.wait(30)
    largest = p.state.result.errors
    p.controls["method"].value = "pursuit"
    assert p.wait(60) and p.state.ok
    r = p.state.result
    assert r.method == "pursuit"
    assert set(r.pursued) == {"shearlet", "curvelet"}
    assert (
        "(IHT)" in p._axes["shearlet"].get_title() and "(IHT)" not in p._axes["wavelet"].get_title()
    )
    for s in ("shearlet", "curvelet"):
        assert r.errors[s] < largest[s]
    for s in ("fourier", "wavelet"):
        assert r.errors[s] == largest[s]


def test_n_slider_readout_shows_the_default_n(nterm_panel):
    # a log slider shows the nearest point of its grid; the default must read as itself
    import math

    c = nterm_panel.controls["n_terms"]
    default = type(nterm_panel.state).n_terms.default_value
    k = round((math.log10(default) - c.min) / c.step)
    assert format(10 ** (c.min + k * c.step), c.readout_format) == f"{default:g}"
