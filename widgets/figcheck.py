r"""A check of what a student sees: figures and status lines, typeset and unclipped.

Two functions, used by the tests of every panel (``tests/widgets/test_figures_all_panels.py``):

- :func:`text_problems` (:mod:`widgets.textcheck`, re-exported here) finds untypeset markup in
  a text: an unpaired ``$``, a raw ``**``, ``^`` or ``_`` outside math, a LaTeX command,
  ASCII math; HTML (a status line) is stripped of its tags first.
- :func:`figure_problems` draws a matplotlib figure with Agg and checks every visible text
  (titles, axis and colorbar labels, tick labels, legend texts, suptitle, annotations): it lies
  inside the figure; titles and labels do not overlap each other or tick labels; the tick labels
  of one axis do not collide; a legend covers at most a small share of the data of the axes it
  lies over; every text passes :func:`text_problems`; an image or pcolormesh whose colour
  carries values has a colorbar in the figure.

Opting out of the colorbar rule (where colour is not a value, e.g. a picture of a digit drawn in
ink): set ``artist._mathdl_no_colorbar = True`` on the image/mesh, or ``ax.set_gid("no-colorbar")``
on its axes. RGB(A) images carry no value and need no colorbar.

Each problem is one sentence naming the text or artist, so a failing test says what to fix.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PathCollection, QuadMesh
from matplotlib.image import AxesImage
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .figures import DRAW_LOCK
from .textcheck import text_problems

__all__ = ["text_problems", "figure_problems", "LEGEND_SHARE", "TOLERANCE_PX"]

#: A legend may lie over at most this share of the data (points, lines, image area) of an axes.
LEGEND_SHARE = 0.15
#: A text may reach this many pixels past the figure's edge (antialiasing, rounding).
TOLERANCE_PX = 2.0
#: Two boxes overlap when they share more than this many pixels in both directions.
_OVERLAP_PX = 1.0


def _render(fig):
    """Draw ``fig`` with Agg (layout included) and return the renderer."""
    with DRAW_LOCK:
        canvas = fig.canvas
        if hasattr(canvas, "get_renderer"):  # Agg and ipympl canvases
            renderer = canvas.get_renderer()
            renderer.clear()
            fig._mathdl_skip_layout = False  # the throttled layout of widgets.figures: run it
            fig.draw(renderer)
        else:
            fig.draw_without_rendering()
            renderer = fig._get_renderer()
    return renderer


def _axes_name(ax) -> str:
    title = ax.get_title() or ax.get_title("left") or ax.get_title("right")
    if title:
        return f"axes {title[:40]!r}"
    index = ax.figure.axes.index(ax) if ax in ax.figure.axes else -1
    return f"axes #{index}"


def _visible(artist) -> bool:
    return artist.get_visible() and (artist.get_alpha() is None or artist.get_alpha() > 0)


class _T:
    """A visible text of the figure: the artist, a description, its box, its group."""

    def __init__(self, text, kind, box, group=None):
        self.text, self.kind, self.box, self.group = text, kind, box, group

    def __str__(self):
        return f"{self.kind} {self.text.get_text()[:50]!r}"


def _texts(fig, renderer):
    """Every visible text: ``(_T list of ticks, _T list of others)``."""
    ticks, others = [], []
    colorbar_axes = {id(ax) for ax in fig.axes if hasattr(ax, "_colorbar")}

    def add(text, kind, group=None, tick=False):
        if not isinstance(text, Text) or not _visible(text) or not text.get_text().strip():
            return
        box = text.get_window_extent(renderer)
        if text.get_clip_on() and text.get_clip_box() is not None:
            if Bbox.intersection(box, text.get_clip_box()) is None:
                return  # clipped away entirely: not seen
        (ticks if tick else others).append(_T(text, kind, box, group))

    def axis_texts(ax, axis, name, cbar):
        if not _visible(axis):
            return
        add(axis.label, "colorbar label" if cbar else f"{name} label")
        add(axis.offsetText, f"{name} offset text")
        for tick in axis._update_ticks():  # the ticks that are drawn (within the view)
            if not _visible(tick):
                continue
            for label in (tick.label1, tick.label2):
                add(label, f"{name} tick label", group=id(axis), tick=True)

    def legend_texts(legend):
        if legend is None or not _visible(legend):
            return
        for t in legend.get_texts():
            add(t, "legend text", group=id(legend))
        add(legend.get_title(), "legend title", group=id(legend))

    for name in ("_suptitle", "_supxlabel", "_supylabel"):
        add(getattr(fig, name, None), name.strip("_"))
    for t in fig.texts:
        add(t, "figure text")
    for legend in fig.legends:
        legend_texts(legend)
    for ax in fig.axes:
        if not _visible(ax):
            continue
        cbar = id(ax) in colorbar_axes
        for t in (ax.title, ax._left_title, ax._right_title):
            add(t, "title")
        if ax.axison:
            for name, axis in ax._axis_map.items():
                axis_texts(ax, axis, name, cbar)
        for t in ax.texts:
            add(t, "annotation" if hasattr(t, "xyann") else "text")
        legend_texts(ax.get_legend())
        for child in ax.get_children():  # anything else: an annotation added as an artist
            if isinstance(child, Text) and child not in ax.texts and child.axes is ax:
                if child not in (ax.title, ax._left_title, ax._right_title):
                    add(child, "text")
    return ticks, others


def _overlap(a: Bbox, b: Bbox) -> bool:
    box = Bbox.intersection(a, b)
    return box is not None and box.width > _OVERLAP_PX and box.height > _OVERLAP_PX


def _densify(xy: np.ndarray, spacing: float = 3.0, cap: int = 2000) -> np.ndarray:
    """Points every ``spacing`` pixels along a polyline (display coordinates), NaNs split it."""
    finite = np.isfinite(xy).all(axis=1)
    out = []
    runs = np.split(np.arange(len(xy)), np.flatnonzero(~finite))
    for run in runs:
        run = run[finite[run]]
        if len(run) == 0:
            continue
        pts = xy[run]
        if len(pts) == 1:
            out.append(pts)
            continue
        d = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pts, axis=0).T))])
        n = int(np.clip(np.ceil(d[-1] / spacing), 2, cap))
        s = np.linspace(0.0, d[-1], n)
        out.append(np.column_stack([np.interp(s, d, pts[:, 0]), np.interp(s, d, pts[:, 1])]))
    return np.concatenate(out) if out else np.empty((0, 2))


def _inside(points: np.ndarray, box: Bbox) -> np.ndarray:
    x, y = points[:, 0], points[:, 1]
    return (x >= box.x0) & (x <= box.x1) & (y >= box.y0) & (y <= box.y1)


def _data_of(ax, renderer):
    """``(points in display coordinates, image boxes)`` of what ``ax`` draws as data."""
    parts = []
    for line in ax.lines:
        if not _visible(line) or not isinstance(line, Line2D):
            continue
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), float))
        if line.get_linestyle() in ("None", "none", " ", ""):
            parts.append(xy[np.isfinite(xy).all(axis=1)])
        else:
            parts.append(_densify(xy))
    boxes = []
    for coll in ax.collections:
        if not _visible(coll):
            continue
        if isinstance(coll, QuadMesh):
            boxes.append(coll.get_window_extent(renderer))
        elif isinstance(coll, LineCollection):
            transform = coll.get_transform()
            for seg in coll.get_segments():
                if len(seg):
                    parts.append(_densify(transform.transform(np.asarray(seg, float))))
        elif isinstance(coll, PathCollection):
            offsets = np.asarray(coll.get_offsets(), float)
            if offsets.size:
                xy = coll.get_offset_transform().transform(offsets.reshape(-1, 2))
                parts.append(xy[np.isfinite(xy).all(axis=1)])
    for im in ax.images:
        if _visible(im):
            boxes.append(im.get_window_extent(renderer))
    points = np.concatenate(parts) if parts else np.empty((0, 2))
    points = points[_inside(points, ax.bbox)]  # clipped away: not seen, not covered
    boxes = [b for b in (Bbox.intersection(b, ax.bbox) for b in boxes) if b is not None]
    return points, boxes


def _legend_problems(fig, renderer, share) -> list[str]:
    legends = [ax.get_legend() for ax in fig.axes] + list(fig.legends)
    data_axes = [ax for ax in fig.axes if _visible(ax) and not hasattr(ax, "_colorbar")]
    problems = []
    for legend in legends:
        if not isinstance(legend, Legend) or not _visible(legend):
            continue
        lbox = legend.get_window_extent(renderer)
        for ax in data_axes:
            if Bbox.intersection(lbox, ax.bbox) is None:
                continue
            points, boxes = _data_of(ax, renderer)
            covered = []
            if len(points):
                covered.append(_inside(points, lbox).mean())
            area = sum(b.width * b.height for b in boxes)
            if area > 0:
                hidden = 0.0
                for b in boxes:
                    cut = Bbox.intersection(b, lbox)
                    hidden += 0.0 if cut is None else cut.width * cut.height
                covered.append(hidden / area)
            worst = max(covered, default=0.0)
            if worst > share:
                labels = ", ".join(repr(t.get_text()[:30]) for t in legend.get_texts()[:3])
                problems.append(
                    f"legend ({labels}) covers {worst:.0%} of the data drawn in "
                    f"{_axes_name(ax)} (at most {share:.0%}): move it outside or to a free corner"
                )
    return problems


def _colorbar_problems(fig) -> list[str]:
    has_colorbar = any(hasattr(ax, "_colorbar") and _visible(ax) for ax in fig.axes)
    if has_colorbar:
        return []
    problems = []
    for ax in fig.axes:
        if not _visible(ax) or hasattr(ax, "_colorbar") or ax.get_gid() == "no-colorbar":
            continue
        mappables = [im for im in ax.images if isinstance(im, AxesImage)]
        mappables += [c for c in ax.collections if isinstance(c, QuadMesh)]
        for m in mappables:
            if not _visible(m) or getattr(m, "_mathdl_no_colorbar", False):
                continue
            array = m.get_array()
            if array is None or (isinstance(m, AxesImage) and np.ndim(array) == 3):
                continue  # one colour, or an RGB(A) picture: no value to read off
            kind = "image" if isinstance(m, AxesImage) else "pcolormesh"
            problems.append(
                f"{kind} in {_axes_name(ax)} has no colorbar in the figure (its colour carries a "
                "value; opt out with artist._mathdl_no_colorbar = True or ax.set_gid('no-colorbar'))"
            )
            break
    return problems


def figure_problems(
    fig, *, legend_share: float = LEGEND_SHARE, tolerance: float = TOLERANCE_PX
) -> list[str]:
    """What a student would see wrong in ``fig``, one sentence per problem (``[]`` when none).

    The figure is drawn with Agg first (its layout engine runs), so the boxes are the ones the
    browser shows. See the module's docstring for the checks and the colorbar opt-out.
    """
    renderer = _render(fig)
    problems = []
    ticks, others = _texts(fig, renderer)
    page = fig.bbox
    for t in ticks + others:
        b = t.box
        out = max(page.x0 - b.x0, page.y0 - b.y0, b.x1 - page.x1, b.y1 - page.y1)
        if out > tolerance:
            problems.append(f"{t} lies outside the figure (by {out:.0f} px)")
    for i, a in enumerate(others):
        for b in others[i + 1 :]:
            if a.group is not None and a.group == b.group:
                continue  # texts of one legend
            if _overlap(a.box, b.box):
                problems.append(f"{a} and {b} overlap")
        for t in ticks:
            if _overlap(a.box, t.box):
                problems.append(f"{a} overlaps {t}")
    by_axis: dict[int, list[_T]] = {}
    for t in ticks:
        by_axis.setdefault(t.group, []).append(t)
    for group in by_axis.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if _overlap(a.box, b.box):
                    problems.append(
                        f"tick labels {a.text.get_text()!r} and "
                        f"{b.text.get_text()!r} of one axis collide"
                    )
    seen = set()
    for t in ticks + others:
        content = t.text.get_text()
        if content in seen:
            continue
        seen.add(content)
        for p in text_problems(content, math=True, html=False):
            problems.append(f"{t}: {p}")
    problems += _legend_problems(fig, renderer, legend_share)
    problems += _colorbar_problems(fig)
    return problems
