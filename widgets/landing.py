"""The course's landing page as HTML: one shell and one row per lecture, shared by the course's
own server (:func:`widgets.server.handlers.landing_page`) and a student's hub server
(:func:`widgets.hub.landing_html`), which differ only in their links."""

from __future__ import annotations

import html

__all__ = ["course_page", "lecture_row"]


def lecture_row(lec, links: str) -> str:
    """The table row of lecture ``lec``: number, title, one line, and ``links`` (HTML)."""
    return (
        f"<tr id='lecture-{lec.number:02d}'><td class='number'>{lec.number:02d}</td>"
        f"<td><strong class='title'>{html.escape(lec.title)}</strong><br>"
        f"<span class='summary'>{html.escape(lec.summary)}</span></td>"
        f"<td class='links'>{links}</td></tr>"
    )


def course_page(intro: str, rows, footer: str = "") -> str:
    """The whole page: the course's title, ``intro`` (HTML), the lectures' ``rows``, ``footer``."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>The Mathematics of Deep Learning</title>
<style>
body {{ font-family: sans-serif; max-width: 62em; margin: 2em auto; line-height: 1.45 }}
td {{ padding: 0.5em 0.8em; vertical-align: top; border-bottom: 1px solid #ddd }}
td.number {{ font-size: 1.4em; color: #555 }}
td.links {{ white-space: nowrap }}
</style></head>
<body>
<h1>The Mathematics of Deep Learning</h1>
<p>An interactive course after Gitta Kutyniok's lecture at the 8th European Congress of
Mathematics (2021). {intro}</p>
<table>
{chr(10).join(rows)}
</table>
{footer}
</body></html>"""
