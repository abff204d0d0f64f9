"""Lecture 07: every panel's figures and text lines pass the figure check after computing."""

from __future__ import annotations

import pytest

from course.relevance.explain import METHODS
from widgets.figcheck import figure_problems, text_problems
from widgets.relevance import ComparePanel, EvaluationPanel, ExplainPanel, RateDistortionPanel


def problems(panel, *texts):
    found = {name: figure_problems(fig) for name, fig in panel.figures.items()}
    found["status"] = text_problems(panel.status.value)
    for t in texts:
        found[t[:30]] = text_problems(t)
    return {k: v for k, v in found.items() if v}


@pytest.fixture
def explain_panel(reuse):
    return reuse("figcheck_explain", lambda: ExplainPanel(rde_iterations=20), 60)


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("contrast", [-2, -1])
def test_explain_panel_figures(explain_panel, method, contrast):
    p = explain_panel
    p.state.set(method=method, contrast=contrast, rule="alpha_beta" if contrast == -1 else "zero")
    assert p.wait(60) and p.state.ok and p.state.final
    assert problems(p, p.check.value) == {}


def test_explain_panel_figures_for_a_drawing(explain_panel):
    p = explain_panel
    p.copy_button.click()
    assert p.wait(60) and p.state.ok
    assert problems(p, p.check.value) == {}


@pytest.mark.parametrize("model", ["cnn", "mlp"])
def test_compare_panel_figures(model):
    p = ComparePanel(model=model)
    assert p.wait(90) and p.state.ok and p.state.final
    assert problems(p) == {}


def test_evaluation_panel_figures():
    p = EvaluationPanel(n_images=3, n_steps=4, n_draws=1, with_slow=False)
    assert p.wait(60)
    assert problems(p, p.table.value) == {}


@pytest.mark.parametrize("lam", [0.003, 0.05])
def test_rate_distortion_panel_figures(lam):
    p = RateDistortionPanel(lam=lam, iterations=40)
    assert p.wait(90) and p.state.ok
    assert problems(p) == {}
