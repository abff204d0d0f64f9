"""The figure and markup checker (widgets.figcheck) catches bad figures and passes good ones.

Each bad figure below carries exactly one deliberate fault; its good twin differs only by the
fix, so a check that passes everything or refuses everything fails here.
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from widgets.figcheck import figure_problems, text_problems
from widgets.figures import new_figure


def _fig(width=420, height=320, **kw):
    """A figure on an ipympl canvas with constrained layout, as every panel makes them."""
    fig, ax = new_figure(width, height, **kw)
    return fig, ax


def _has(problems, *words):
    return any(all(w in p for w in words) for p in problems)


# ---------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    "text",
    [
        "error $N^{-2}$ at width $N = 8$",
        "for each $k$, train",
        "<span style='color:#2e7d32'>up to date</span>",
        "<b>Train</b> the network: $\\|f - f_N\\|_\\infty \\le 0.1$",
        "a log axis: $\\mathdefault{10^{-2}}$, minus \u22121",
    ],
)
def test_clean_texts_pass(text):
    assert text_problems(text) == []


@pytest.mark.parametrize(
    "text,word",
    [
        ("rate N^-2", "^"),
        ("rate $N^-2$", "^-"),
        ("bound max|f''| / 8", "|"),
        ("for each **$k$$**", "$"),
        ("for each **k**", "**"),
        ("table header g_k", "_"),
        ("the map \\frac{1}{2} x", "\\frac"),
        ("error $1.53e-05$", "e-05"),
        ("error $1.53e - 05$", "e - 05"),
        ("<span>&#9888; a price of $5</span>", "$"),
        ("$2^10$ pieces", "^10"),
    ],
)
def test_untypeset_markup_is_found(text, word):
    problems = text_problems(text)
    assert problems, text
    assert any(word in p for p in problems), problems


def test_dollars_in_a_widget_without_math_are_untypeset():
    # ipywidgets' HTML (unlike HTMLMath) shows $k$ as it is
    assert text_problems("for each $k$") == []
    assert _has(text_problems("for each $k$", math=False), "$")


def test_escaped_dollar_is_a_dollar():
    assert text_problems("a price of \\$5 and $x$") == []


# ---------------------------------------------------------------------------------- figures


def _good_line_figure():
    fig, ax = _fig()
    x = np.linspace(0, 1, 200)
    ax.plot(x, x**2, label="$x^2$")
    ax.plot(x, x**3, label="$x^3$")
    ax.set_title("powers of $x$")
    ax.set_xlabel("$x$")
    ax.set_ylabel("value")
    ax.legend(loc="upper left")
    return fig, ax


def test_a_good_figure_passes():
    fig, _ = _good_line_figure()
    assert figure_problems(fig) == []


def test_a_plain_agg_figure_can_be_checked():
    fig = Figure(figsize=(4, 3), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title("a line")
    assert figure_problems(fig) == []


def test_a_title_outside_the_figure_is_found():
    fig, ax = _good_line_figure()
    ax.set_title("powers of $x$", x=1.5)
    problems = figure_problems(fig)
    assert _has(problems, "outside the figure", "powers of"), problems


def test_overlapping_labels_are_found():
    fig, ax = _good_line_figure()
    ax.text(0.5, 1.02, "a second title", transform=ax.transAxes, ha="center")
    ax.set_title("a first title, long enough", pad=2)
    problems = figure_problems(fig)
    assert _has(problems, "overlap", "a second title"), problems


def test_colliding_tick_labels_are_found():
    fig, ax = _fig(300, 240)
    ax.plot([0, 1], [0, 1])
    ax.set_xticks(np.linspace(0, 1, 11), [f"{v:.6f}" for v in np.linspace(0, 1, 11)])
    problems = figure_problems(fig)
    assert _has(problems, "tick labels", "collide"), problems


def test_a_legend_over_the_data_is_found():
    fig, ax = _fig()
    x = np.linspace(0.4, 0.6, 50)
    ax.plot(x, 0.5 + 0.02 * np.sin(20 * x), label="a curve with a long legend entry")
    ax.plot(x, 0.5 - 0.02 * np.cos(20 * x), label="another curve, also long")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="center")
    problems = figure_problems(fig)
    assert _has(problems, "legend", "covers"), problems
    ax.legend(loc="upper left")  # the free corner: the same data, nothing covered
    assert figure_problems(fig) == []


def test_a_legend_over_a_scatter_is_found():
    fig, ax = _fig()
    rng = np.random.default_rng(0)
    ax.scatter(0.5 + 0.03 * rng.standard_normal(100), 0.5 + 0.03 * rng.standard_normal(100))
    ax.plot([], [], label="points of a tight cluster")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="center")
    assert _has(figure_problems(fig), "legend", "covers")


def test_ascii_math_in_a_label_is_found():
    fig, ax = _good_line_figure()
    ax.set_ylabel("error ~ N^-2")
    problems = figure_problems(fig)
    assert _has(problems, "N^-2"), problems


def test_raw_power_in_mathtext_is_found():
    fig, ax = _good_line_figure()
    ax.set_xlabel("$x**2$")
    assert _has(figure_problems(fig), "**")


def test_an_image_without_colorbar_is_found():
    fig, ax = _fig()
    im = ax.imshow(np.arange(12.0).reshape(3, 4))
    ax.set_title("values")
    problems = figure_problems(fig)
    assert _has(problems, "colorbar"), problems
    fig.colorbar(im, ax=ax)
    assert figure_problems(fig) == []


def test_a_pcolormesh_without_colorbar_is_found():
    fig, ax = _fig()
    ax.pcolormesh(np.arange(12.0).reshape(3, 4))
    assert _has(figure_problems(fig), "colorbar")


def test_the_colorbar_opt_outs():
    fig, ax = _fig()
    im = ax.imshow(np.arange(12.0).reshape(3, 4), cmap="gray")
    im._mathdl_no_colorbar = True  # e.g. a picture of a digit: grey is ink, not a value
    assert figure_problems(fig) == []
    fig2, ax2 = _fig()
    ax2.imshow(np.arange(12.0).reshape(3, 4))
    ax2.set_gid("no-colorbar")
    assert figure_problems(fig2) == []
    fig3, ax3 = _fig()
    ax3.imshow(np.zeros((3, 4, 3)))  # an RGB picture: its colours carry no value
    assert figure_problems(fig3) == []


def test_a_colorbar_label_over_the_title_is_found():
    fig, ax = _fig()
    im = ax.imshow(np.arange(12.0).reshape(3, 4))
    ax.set_title("a title that runs wide over the whole axes and more")
    cbar = fig.colorbar(im, ax=ax, location="top")
    cbar.set_label("the colorbar label")
    assert figure_problems(fig) == []  # constrained layout keeps them apart
    # move the colorbar's label onto the title (the layout is frozen, as after a bad layout)
    fig.set_layout_engine("none")
    box = ax.title.get_window_extent()
    y = cbar.ax.transAxes.inverted().transform((0, (box.y0 + box.y1) / 2))[1]
    cbar.ax.xaxis.set_label_coords(0.5, y)
    problems = figure_problems(fig)
    assert _has(problems, "overlap"), problems


def test_hidden_texts_are_ignored():
    fig, ax = _good_line_figure()
    ax.set_title("hidden, far out", x=3.0)
    ax.title.set_visible(False)
    assert figure_problems(fig) == []
    ax.set_axis_off()
    assert figure_problems(fig) == []
