r"""A check of the text a student reads: untypeset markup in a figure's text or a status line.

:func:`text_problems` finds an unpaired ``$``, a raw ``**``, ``^`` or ``_`` outside math, a LaTeX
command outside ``$...$``, ASCII math (``N^-2``, ``max|f''|``), and inside math what TeX
typesets wrongly (``N^-2``, ``2^10``, ``1.53e-05``). HTML (a status line) is stripped of its
tags first; ``<code>`` is code, not checked. :func:`widgets.figcheck.figure_problems` runs it on
every visible text of a figure. It imports no matplotlib and no ipywidgets.

Each problem is one sentence naming the text, so a failing test says what to fix.
"""

from __future__ import annotations

import html as _html
import re

__all__ = ["text_problems"]

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_CODE = re.compile(r"<(code|tt|pre|kbd)\b[^>]*>.*?</\1>", re.S | re.I)

#: (pattern, what it is) outside math
_PLAIN = [
    (re.compile(r"\*\*"), "a raw ** (markdown bold or a Python power)"),
    (re.compile(r"\^"), "a raw ^ (a power written in ASCII)"),
    (re.compile(r"(?<![\w\\])[A-Za-z]_(?:\{|[A-Za-z0-9])"), "a raw _ subscript"),
    (re.compile(r"\\[A-Za-z]+"), "a LaTeX command outside $...$"),
    (re.compile(r"\|[^|\s<>][^|<>]{0,30}\|"), "ASCII |...| (a norm or absolute value)"),
    (re.compile(r"(?<![\w'])[A-Za-z]'+(?=[(|\s,.;:)]|$)"), "an ASCII prime (f', f'')"),
]
#: (pattern, what it is) inside $...$: what TeX/mathtext typesets other than meant
_MATH = [
    (re.compile(r"\*\*"), "a raw ** inside math (shown as two asterisks)"),
    (re.compile(r"\^\s*[-+\u2212]"), "a superscript sign without braces (^- sets only the sign)"),
    (re.compile(r"\^\s*\d{2,}"), "a superscript of several digits without braces"),
    (
        re.compile(r"\d\s*e\s*[-+\u2212]\s*\d"),
        "a number in e-notation inside math (typeset as e minus ...)",
    ),
]


def _snippet(text: str, start: int, end: int, width: int = 18) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return ("..." if a else "") + text[a:b] + ("..." if b < len(text) else "")


def _split_math(text: str):
    """``(plain text, [math segments], unpaired position or None)``; ``\\$`` is a dollar."""
    plain, maths = [], []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("\\$", i):
            plain.append("$")
            i += 2
            continue
        if text[i] != "$":
            plain.append(text[i])
            i += 1
            continue
        delim = "$$" if text.startswith("$$", i) else "$"
        j = i + len(delim)
        while True:
            j = text.find(delim, j)
            if j == -1 or text[j - 1] != "\\":
                break
            j += 1
        if j == -1:
            return "".join(plain), maths, i
        maths.append(text[i + len(delim) : j])
        plain.append(" ")  # math is a word of the sentence
        i = j + len(delim)
    return "".join(plain), maths, None


def text_problems(text: str, *, math: bool = True, html: bool | None = None) -> list[str]:
    """Untypeset markup in ``text``, one sentence per problem (``[]`` when clean).

    Parameters
    ----------
    text : str
        A figure's text or a status line.
    math : bool
        Whether ``$...$`` is typeset where the text is shown (matplotlib, ipywidgets'
        ``HTMLMath``, markdown); ``False`` for ipywidgets' ``HTML`` and ``Label``, which show
        the dollars as they are.
    html : bool or None
        Whether ``text`` is HTML (tags are removed and entities decoded first); ``None``:
        when it contains a tag.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    if html is None:
        html = bool(_TAG.search(text))
    if html:
        text = _html.unescape(_TAG.sub(" ", _CODE.sub(" ", text)))
    problems = []
    plain, maths, unpaired = _split_math(text)
    if unpaired is not None:
        problems.append(f"an unpaired $ in {_snippet(text, unpaired, unpaired + 1)!r}")
        plain = plain + text[unpaired:]
    if maths and not math:
        problems.append(
            f"$...$ is shown untypeset here (no math rendering): {_snippet(text, 0, 0, 40)!r}"
        )
    for pattern, what in _PLAIN:
        for m in pattern.finditer(plain):
            problems.append(f"{what}: {m.group(0)!r} in {_snippet(plain, m.start(), m.end())!r}")
            break
    for segment in maths:
        for pattern, what in _MATH:
            m = pattern.search(segment)
            if m:
                problems.append(f"{what}: {m.group(0)!r} in ${segment}$")
    return problems
