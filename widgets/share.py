"""Shareable state: a dashboard's controls in its page's URL, and the projector layout.

Voila passes the page's query string to the kernel (the ``QUERY_STRING`` environment variable).
Every panel of a lecture gets a key (its class name without ``Panel``, in lower case, numbered
from the second of a kind: ``builder``, ``builder-2``), and each of its controls is read from the
query as ``<key>.<parameter>=<value>``::

    /voila/render/lectures/01_neurons_and_activations.ipynb?builder.depth=5&neuron.w=-1.5

Query values are untrusted input: each is parsed from text for its parameter's spec and checked
by the same :meth:`widgets.params.Spec.validate` as the controls, so a bad value gets the same
message (in the panel's status line, after ``in the link:``) and the panel keeps its last good
state. Every panel shows a "copy link" control whose link reproduces the current state of the
whole page (every control that differs from how the page started).

``mode=projector`` in the query (or ``MATHDL_MODE=projector`` in the server's environment) gives
the projector layout: larger fonts, figures scaled so that each panel's controls and figures fit
1280 x 720 side by side, and controls whose spec says ``advanced=True`` hidden.

Pre-heated kernels (``widgets.serve --preheat N``) execute the notebook before any page asks for
it, so the query string is not there yet: the panels start with their defaults, a background
thread waits for Voila's request information (:func:`voila.utils.wait_for_request`) and then
applies the query to every panel.
"""

from __future__ import annotations

import os
import threading
import urllib.parse
import weakref

import anywidget
import traitlets

from .params import Choice, Flag, FloatRange, IntRange, Spec

__all__ = [
    "MAX_QUERY",
    "ShareLink",
    "attach",
    "encode",
    "new_page",
    "from_text",
    "page_query",
    "parse",
    "to_text",
]

#: Longer query strings are refused whole (a link of every control of a lecture is ~1 kB).
MAX_QUERY = 4000
PROJECTOR = "projector"

_CSS = """
.mathdl-share { font-size: 12px; color: #555; gap: 6px; align-items: center; display: flex; }
.mathdl-share a { color: #1565c0; word-break: break-all; }
.mathdl-projector { font-size: 19px; max-width: 100%; }
.mathdl-projector h3 { font-size: 28px !important; }
.mathdl-projector .widget-label, .mathdl-projector .widget-readout,
.mathdl-projector .widget-html-content, .mathdl-projector .widget-dropdown select,
.mathdl-projector .widget-toggle-button, .mathdl-projector .widget-button,
.mathdl-projector .widget-checkbox, .mathdl-projector .widget-text input {
    font-size: 18px !important; }
.mathdl-projector .widget-inline-hbox { height: auto !important; min-height: 34px; }
.mathdl-projector > .mathdl-row { flex-wrap: nowrap !important; max-width: 100%; }
.mathdl-projector > .mathdl-row > .widget-vbox:first-child { flex: 0 0 auto; max-width: 380px; }
.mathdl-projector > .mathdl-row > :last-child { flex: 0 0 auto; }
.mathdl-projector > .mathdl-row > :last-child .widget-box { flex-wrap: nowrap !important; }
.mathdl-projector .mathdl-share { font-size: 14px; }
"""

_ESM = """
function render({ model, el }) {
  el.classList.add('mathdl-share');
  const button = document.createElement('button');
  button.className = 'jupyter-button mathdl-copy-link';
  button.textContent = 'copy link';
  button.title = 'a link that opens this page with every control as it is now';
  const link = document.createElement('a');
  link.className = 'mathdl-share-link';
  link.target = '_blank';
  const note = document.createElement('span');
  const update = () => {
    const params = new URLSearchParams(model.get('query'));
    const mode = new URLSearchParams(window.location.search).get('mode');
    if (mode) params.set('mode', mode);
    // on a JupyterHub, /hub/user-redirect/ opens the same page on whoever follows the link
    const path = window.location.pathname.replace(/\\/user\\/[^/]+\\//, '/hub/user-redirect/');
    const query = params.toString();
    link.href = window.location.origin + path + (query ? '?' + query : '');
    link.textContent = query ? decodeURIComponent(query) : '(every control at its start value)';
  };
  button.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(link.href); note.textContent = 'copied'; }
    catch (e) {
      const range = document.createRange(); range.selectNodeContents(link);
      const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      note.textContent = 'selected: press Ctrl+C';
    }
  });
  const missing = document.createElement('span');
  missing.className = 'mathdl-share-missing';
  missing.style.color = '#b00020';
  const showMissing = () => {
    const m = model.get('missing');
    missing.textContent = m ? 'not on this page, ignored: ' + m : '';
  };
  // projector layout: zoom the panel's figure area so that it fits beside the controls on
  // the screen (1280 x 720 and up); the browser scales canvases and mouse positions alike
  const fit = () => {
    const panel = el.closest('.mathdl-panel');
    const row = panel && panel.querySelector(':scope > .mathdl-row');
    if (!row || row.children.length < 2) return;
    const body = row.children[1];
    if (!panel.classList.contains('mathdl-projector')) { body.style.zoom = ''; return; }
    const zoom = parseFloat(body.style.zoom || '1');
    const rect = body.getBoundingClientRect();
    if (rect.width === 0) return;
    const width = rect.width / zoom, height = rect.height / zoom;  // unzoomed size
    const room = document.documentElement.clientWidth - row.children[0].getBoundingClientRect().width - 48;
    const want = Math.max(0.3, Math.min(1, room / width, (window.innerHeight - 170) / height));
    if (Math.abs(want - zoom) > 0.005) body.style.zoom = want.toFixed(3);
  };
  const watch = () => {
    const panel = el.closest('.mathdl-panel');
    const row = panel && panel.querySelector(':scope > .mathdl-row');
    if (!row || row.children.length < 2) { setTimeout(watch, 200); return; }
    new ResizeObserver(fit).observe(row.children[1]);
    new MutationObserver(fit).observe(panel, { attributes: true, attributeFilter: ['class'] });
    window.addEventListener('resize', fit);
    fit();
  };
  setTimeout(watch, 0);
  model.on('change:query', update);
  model.on('change:missing', showMissing);
  update();
  showMissing();
  el.append(button, link, note, missing);
}
export default { render };
"""


class ShareLink(anywidget.AnyWidget):
    """The "copy link" control: the page's current state as a query string, shown as a link.

    Display-only: the browser's own updates to it are ignored (the kernel owns ``query``).
    """

    _esm = _ESM
    _css = _CSS
    query = traitlets.Unicode("").tag(sync=True)
    #: panel keys of the page's link that no panel of the page has
    missing = traitlets.Unicode("").tag(sync=True)

    def set_state(self, sync_data):  # a client may send anything; nothing of it is taken
        self.send_state(["query", "missing"])


# ---------------------------------------------------------------------------- text <-> values
def to_text(value) -> str:
    """A parameter value as it appears in a link (floats exactly, by ``repr``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def from_text(spec: Spec, name: str, text: str):
    """The value a link's ``text`` gives for a parameter, validated by its spec.

    Raises the spec's ``ValueError`` (the same message as the control's) for a bad value.

    >>> from_text(IntRange(default=3, min=1, max=10), "depth", "5")
    5
    >>> from_text(IntRange(default=3, min=1, max=10), "depth", "50")
    Traceback (most recent call last):
    ...
    widgets.params.InvalidValue: depth must be an integer in [1, 10]; got 50
    """
    value: object = text
    if isinstance(spec, Flag):
        value = {"true": True, "false": False}.get(text.lower(), text)
    elif isinstance(spec, (IntRange, FloatRange)) and len(text) <= 40:
        try:
            value = int(text) if isinstance(spec, IntRange) else float(text)
        except ValueError:
            try:
                value = float(text)  # "3.0" for an integer, or "1e3"
            except ValueError:
                value = text
    elif isinstance(spec, Choice):
        value = next((k for k in spec.labels if to_text(k) == text), text)
    return spec.validate(name, value)


def parse(query: str) -> tuple[dict, str, list]:
    """Split a query string into ``({key: {param: text}}, mode, messages)``.

    Keys without a dot (other than ``mode``) and oversized queries give messages.
    """
    if len(query) > MAX_QUERY:
        return {}, "", [f"the link is {len(query)} characters long; at most {MAX_QUERY} are read"]
    try:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, max_num_fields=200)
    except ValueError as exc:
        return {}, "", [str(exc)]
    values: dict = {}
    mode, messages = "", []
    for key, text in pairs:
        if key == "mode":
            mode = text
        elif key.count(".") == 1:
            panel, name = key.split(".")
            values.setdefault(panel, {})[name] = text
        else:
            messages.append(f"{key[:40]!r} is not <panel>.<parameter>")
    return values, mode, messages


def page_query() -> str | None:
    """The page's query string, or None when it has not arrived (a pre-heated kernel)."""
    if os.environ.get("VOILA_PREHEAT", "False") == "True" and "QUERY_STRING" not in os.environ:
        return None
    return os.environ.get("QUERY_STRING", "")


# ---------------------------------------------------------------------------- the page
class _Page:
    """The panels of this kernel's page, in the order they were made."""

    def __init__(self):
        self.panels: weakref.WeakValueDictionary = weakref.WeakValueDictionary()
        self.initial: dict = {}
        self.lock = threading.RLock()
        self.query: str | None = None
        self.waiting = False

    def key_for(self, panel) -> str:
        base = type(panel).__name__.removesuffix("Panel").lower() or "panel"
        key, n = base, 1
        while key in self.panels:
            n += 1
            key = f"{base}-{n}"
        return key


_PAGE = _Page()


def new_page(query: str | None = None) -> None:
    """Forget the panels made so far: the next panel is the first of a new page, read from
    ``query`` (default: the environment, as in a Voila kernel). For tests and scripts that make
    several pages in one process."""
    global _PAGE
    _PAGE = _Page()
    _PAGE.query = query


def encode() -> str:
    """The query string of the page's current state: every control off its start value."""
    pairs = []
    with _PAGE.lock:
        items = list(_PAGE.panels.items())
    for key, panel in items:
        start = _PAGE.initial.get(key, {})
        for name in panel.controls:
            value = getattr(panel.state, name)
            if name not in start or value != start[name]:
                pairs.append((f"{key}.{name}", to_text(value)))
    return urllib.parse.urlencode(pairs, safe="")


def _refresh(change=None) -> None:
    text = encode()
    with _PAGE.lock:
        panels = list(_PAGE.panels.values())
        wanted = parse(_PAGE.query or "")[0]
    # panels a link names that this page does not have (yet: they may be made by a later cell)
    missing = ", ".join(sorted(k[:40] for k in wanted if k not in _PAGE.panels))
    for panel in panels:
        panel.share_link.query = text
        panel.share_link.missing = missing


def _apply(key: str, panel, query: str) -> None:
    values, mode, messages = parse(query)
    first = key == next(iter(_PAGE.panels), key)
    if mode and mode != PROJECTOR:
        messages.append(f"mode must be {PROJECTOR!r}; got {mode[:40]!r}")
    if not first:
        messages = []  # messages about the link as a whole go to the first panel only
    mine = values.get(key, {})
    specs = panel.state.param_specs()
    clean = {}
    for name, text in mine.items():
        if name not in panel.controls:
            messages.append(
                f"unknown parameter {name[:40]!r}; the parameters are {', '.join(panel.controls)}"
            )
            continue
        try:
            clean[name] = from_text(specs[name], name, text)
        except ValueError as exc:
            messages.append(str(exc))
    if clean:
        panel.state.try_set(**clean)
    if mode == PROJECTOR or os.environ.get("MATHDL_MODE") == PROJECTOR:
        _projector(panel)
    if messages:
        panel.state.report("in the link: " + "; ".join(messages), until_change=True)


def _projector(panel) -> None:
    panel.projector = True
    panel.add_class("mathdl-projector")
    specs = panel.state.param_specs()
    for name, control in panel.controls.items():
        if getattr(specs[name], "advanced", False):
            control.layout.display = "none"


def _wait_for_query() -> None:
    """In a pre-heated kernel: wait for the page's request, then apply its query everywhere."""
    from voila.utils import wait_for_request

    wait_for_request()
    query = os.environ.get("QUERY_STRING", "")
    with _PAGE.lock:
        _PAGE.query = query
        items = list(_PAGE.panels.items())
    for key, panel in items:
        _apply(key, panel, query)


def attach(panel) -> str:
    """Give a panel its key, its "copy link" control and the page's query; return the key.

    Called once by :meth:`widgets.panel.LivePanel.assemble`.
    """
    with _PAGE.lock:
        key = _PAGE.key_for(panel)
        _PAGE.panels[key] = panel
        _PAGE.initial[key] = {name: getattr(panel.state, name) for name in panel.controls}
        if _PAGE.query is None:
            _PAGE.query = page_query()
        query = _PAGE.query
        start_waiter = query is None and not _PAGE.waiting
        _PAGE.waiting = _PAGE.waiting or start_waiter
    panel.add_class("mathdl-panel")
    panel.projector = False  # True in the projector layout
    panel.share_link = ShareLink()
    if "SERVER_SOFTWARE" not in os.environ and "VOILA_PREHEAT" not in os.environ:
        panel.share_link.layout.display = "none"  # not a Voila page: no URL to share
    panel.children = (*panel.children, panel.share_link)
    if query is not None:
        _apply(key, panel, query)
    elif start_waiter:
        threading.Thread(target=_wait_for_query, name="mathdl-query", daemon=True).start()
    panel.state.observe(_refresh, names=list(panel.controls))
    _refresh()
    return key
