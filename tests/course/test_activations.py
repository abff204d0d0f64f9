"""The activation registry: numpy and torch agree, derivatives are derivatives."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course.activations import ACTIVATIONS, LEAKY_SLOPE, get_activation


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_numpy_and_torch_compute_the_same_function(name, rng):
    act = get_activation(name)
    x = np.concatenate([rng.normal(scale=3, size=501), [-50.0, -1.0, 1.0, 50.0]])
    ours = act(x)
    ref = act.torch(torch.as_tensor(x, dtype=torch.float64)).numpy()
    # float64 on both sides; GELU's erf and softplus may differ in the last bits
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_derivative_matches_central_differences_away_from_kinks(name, rng):
    act = get_activation(name)
    x = rng.uniform(-4, 4, 400)
    x = x[np.abs(x) > 1e-3]  # the kink of ReLU-type activations and the Heaviside jump sit at 0
    h = 1e-6
    fd = (act(x + h) - act(x - h)) / (2 * h)
    # central differences are exact up to O(h^2) + rounding O(eps / h) ~ 1e-10
    np.testing.assert_allclose(act.derivative(x), fd, atol=1e-7)


def test_known_values():
    x = np.array([-2.0, 0.0, 3.0])
    assert get_activation("relu")(x).tolist() == [0.0, 0.0, 3.0]
    assert get_activation("heaviside")(x).tolist() == [0.0, 0.0, 1.0]
    assert get_activation("leaky_relu")(x).tolist() == [-2.0 * LEAKY_SLOPE, 0.0, 3.0]
    assert get_activation("sigmoid")(np.array([0.0]))[0] == 0.5
    # softplus(x) - softplus(-x) = x exactly in real arithmetic
    np.testing.assert_allclose(
        get_activation("softplus")(x) - get_activation("softplus")(-x), x, atol=1e-15
    )
    # no overflow for large arguments
    assert np.isfinite(get_activation("softplus")(np.array([1e4]))).all()


@pytest.mark.parametrize("bad", ["ReLU", "", None, 3, "polynomial"])
def test_unknown_name_names_the_valid_ones(bad):
    with pytest.raises(ValueError, match="activation must be one of heaviside, sigmoid, relu"):
        get_activation(bad)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_zero_gradient_flag_says_whether_the_derivative_vanishes(name, rng):
    act = get_activation(name)
    x = rng.uniform(-4, 4, 400)
    x = x[np.abs(x) > 1e-3]  # away from the kink / jump at 0
    assert act.zero_gradient == (not np.any(act.derivative(x)))
