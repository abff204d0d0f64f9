"""Lecture 04's table of trained ReLU networks: the shipped file states facts that hold, and its
seed reproduces it."""

import numpy as np
import pytest

from course.sparse import nterm_curve, relu_line, relu_table
from course.sparse.cartoon import cartoon
from course.sparse.relu import SIZES
from course.sparse.trained import TABLE_PATH, load_network_table, network_table


@pytest.fixture(scope="module")
def shipped():
    return load_network_table()


def _dense_count(widths):
    # weights and biases of a fully connected net 2 -> widths -> 1 (all nonzero after training)
    dims = (2, *widths, 1)
    return sum(a * b + b for a, b in zip(dims[:-1], dims[1:]))


def test_shipped_table_is_the_panels_recipe(shipped):
    # the rate panel's Train button: the default sizes, 1000 Adam steps, 2048 pixels per batch,
    # seed 0, on the 256 x 256 default cartoon
    assert TABLE_PATH.is_file() and TABLE_PATH.parent.name == "data"
    assert tuple(r.widths for r in shipped.rows) == SIZES
    assert (shipped.size, shipped.cartoon_seed, shipped.steps, shipped.batch, shipped.seed) == (
        256,
        0,
        1000,
        2048,
        0,
    )
    assert [r.n_weights for r in shipped.rows] == [_dense_count(w) for w in SIZES]


def test_trained_networks_are_above_the_n_term_errors_and_decay_more_slowly(shipped):
    # the lecture's claim: at every size the trained network's error is above both N-term
    # errors with as many terms, and its fitted decay C(Phi)^slope is negative but shallower
    # than both systems' at the same counts
    for r in shipped.rows:
        assert r.relu > r.wavelet and r.relu > r.shearlet
    relu, wavelet, shearlet = (shipped.fit(k).slope for k in ("relu", "wavelet", "shearlet"))
    assert relu < 0
    assert relu > wavelet and relu > shearlet
    assert np.all(np.diff([r.relu for r in shipped.rows]) < 0)


def test_shipped_n_term_columns_are_recomputed(shipped):
    # numpy only, deterministic: the N-term errors at N = C(Phi) to rounding
    f = cartoon(shipped.size, seed=shipped.cartoon_seed).image
    n = [r.n_weights for r in shipped.rows]
    wavelet = nterm_curve(f, "wavelet", n_terms=n).error
    shearlet = nterm_curve(f, "shearlet", n_terms=n, method="pursuit").error
    np.testing.assert_allclose(wavelet, [r.wavelet for r in shipped.rows], rtol=1e-9)
    np.testing.assert_allclose(shearlet, [r.shearlet for r in shipped.rows], rtol=1e-9)


def test_rendered_table_and_line(shipped):
    table = relu_table(shipped).splitlines()
    assert len(table) == 2 + len(shipped.rows)
    assert table[2].startswith("| 8, 8, 8 | 177 |")
    assert "C(\\Phi)^{-" in relu_line(shipped)


@pytest.mark.slow
def test_the_seed_reproduces_the_shipped_table(shipped):
    # Training is deterministic on one CPU thread for one torch build; across builds float32
    # kernels may round differently and 1000 Adam steps can amplify that, hence 2% on the
    # network's error. The N-term columns are float64 numpy: to rounding.
    again = network_table(sizes=SIZES[:2])
    for new, old in zip(again.rows, shipped.rows, strict=False):
        assert new.widths == old.widths and new.n_weights == old.n_weights
        assert new.relu == pytest.approx(old.relu, rel=0.02)
        assert new.wavelet == pytest.approx(old.wavelet, rel=1e-9)
        assert new.shearlet == pytest.approx(old.shearlet, rel=1e-6)
