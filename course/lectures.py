"""The table of lectures: the one place that says which lectures exist and where each lives.

Every lecture theme has one name, the same in every folder (``course/<theme>/``,
``widgets/<theme>/``, ``tests/course/<theme>/``, ``tests/widgets/<theme>/``), and one notebook
stem (``lectures/<stem>.ipynb``, ``homework/source/<stem>.ipynb``). The landing page, the
README's table, the homework tooling and the tests read this table; ``./mathdl lectures`` prints
it. Only the standard library is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Lecture", "LECTURES", "ROOT", "BINDER", "lecture", "format_table"]

#: The repository (or installed source tree) root: the folder holding ``lectures/``.
ROOT = Path(__file__).resolve().parents[1]
#: The course's repository opened on a BinderHub (files in ``binder/``).
BINDER = "https://mybinder.org/v2/gh/mathdl/mathdl/HEAD"


@dataclass(frozen=True)
class Lecture:
    """One lecture of the course.

    Attributes
    ----------
    number : int
        Its number in the course (1-8).
    title : str
        The heading of its notebook.
    summary : str
        One line: what the student does.
    stem : str
        File stem of the notebook and of its homework: ``NN_<name>``.
    theme : str
        The package name of its theme in ``course/`` and ``widgets/``.
    """

    number: int
    title: str
    summary: str
    stem: str
    theme: str

    @property
    def notebook(self) -> Path:
        """``lectures/<stem>.ipynb``."""
        return ROOT / "lectures" / f"{self.stem}.ipynb"

    @property
    def homework(self) -> Path:
        """``homework/source/<stem>.ipynb``."""
        return ROOT / "homework" / "source" / f"{self.stem}.ipynb"

    @property
    def binder_url(self) -> str:
        """The lecture's dashboard on Binder (Voila, no installation)."""
        return f"{BINDER}?urlpath=voila/render/lectures/{self.stem}.ipynb"

    @property
    def written(self) -> bool:
        """Whether its notebook exists yet."""
        return self.notebook.is_file()


LECTURES: tuple[Lecture, ...] = (
    Lecture(
        1,
        "Neurons and activations",
        "one neuron's w, b and activation; random networks and their linear regions; "
        "training by SGD on 2D data",
        "01_neurons_and_activations",
        "neurons",
    ),
    Lecture(
        2,
        "The universal approximation theorem, live",
        "the width N against the sup error for ReLU, sigmoid, tanh, Heaviside and polynomial "
        "networks; fitted against predicted rates; d = 1 and d = 2",
        "02_universal_approximation",
        "universal",
    ),
    Lecture(
        3,
        "Yarotsky's rates and the role of depth",
        "the sawtooth g_s and the square f_m with exact error; deep against shallow for x^2, "
        "products and C^s functions",
        "03_yarotsky_rates",
        "yarotsky",
    ),
    Lecture(
        4,
        "Best N-term approximation: wavelets versus shearlets",
        "cartoon-like images, shearlet atoms, N-term approximations by Fourier, wavelets, "
        "shearlets and curvelets, and their rates",
        "04_best_n_term_approximation",
        "sparse",
    ),
    Lecture(
        5,
        "Double descent, or why large networks do not overfit",
        "the number of features N through the interpolation threshold N = n, the norm blow-up, "
        "ridge, more data hurting, trained networks",
        "05_double_descent",
        "double_descent",
    ),
    Lecture(
        6,
        "Limited-angle CT: from the missing wedge to Learn the Invisible",
        "the missing angle against filtered back projection, visible and invisible "
        "singularities, shearlet regularisation and a network that learns the invisible",
        "06_limited_angle_ct",
        "tomography",
    ),
    Lecture(
        7,
        "Relevance maps: why did the network decide this?",
        "gradient, integrated gradients, SmoothGrad, occlusion, LRP and RDE on digits; "
        "conservation, pixel flipping, rate-distortion",
        "07_relevance_maps",
        "relevance",
    ),
    Lecture(
        8,
        "Deep learning for PDEs",
        "physics-informed networks and Deep Ritz, the deep BSDE method in 100 dimensions, "
        "and a network for a parametric diffusion equation",
        "08_deep_learning_for_pdes",
        "pdes",
    ),
)


def lecture(number: int) -> Lecture:
    """The lecture with this number.

    >>> lecture(4).theme
    'sparse'
    """
    for item in LECTURES:
        if item.number == number:
            return item
    valid = ", ".join(str(item.number) for item in LECTURES)
    raise ValueError(f"number must be one of {valid}; got {number!r}")


def format_table() -> str:
    """The table as plain text: number, title, theme, notebook, and whether it is written."""
    rows = [("#", "lecture", "theme", "notebook", "")]
    for item in LECTURES:
        rows.append(
            (
                f"{item.number:02d}",
                item.title,
                item.theme,
                f"lectures/{item.stem}.ipynb",
                "" if item.written else "(not written yet)",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r[:4], widths)).rstrip()
        + ("  " + r[4] if r[4] else "")
        for r in rows
    )


if __name__ == "__main__":
    print(format_table())
