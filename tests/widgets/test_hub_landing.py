"""The course's landing page on a student's hub server: every lecture with its links, no kernel."""

from __future__ import annotations

import html
import re

from course.lectures import LECTURES
from widgets.hub import COURSE_DIR, landing_html


def test_every_lecture_is_listed_with_its_links(tmp_path):
    course = tmp_path / COURSE_DIR
    (course / "homework").mkdir(parents=True)
    written = [lec for lec in LECTURES if lec.written]
    (course / "homework" / f"{written[0].stem}.ipynb").write_text("{}")
    page = landing_html("/user/ada/", course)
    assert "<h1>The Mathematics of Deep Learning</h1>" in page
    for lec in LECTURES:
        row = re.search(rf"<tr id='lecture-{lec.number:02d}'>(.*?)</tr>", page, re.S).group(1)
        assert html.escape(lec.title) in row and html.escape(lec.summary) in row
        if not lec.written:
            assert "not written yet" in row and "href" not in row
            continue
        name = f"{lec.stem}.ipynb"
        assert f"href='/user/ada/voila/render/{COURSE_DIR}/{name}'" in row
        assert f"href='/user/ada/lab/tree/{COURSE_DIR}/{name}'" in row
        # homework only where the student's copy holds it
        assert ("homework/" + name in row) == (lec is written[0])


def test_the_base_url_is_escaped():
    page = landing_html("/user/a'b<c/")
    assert "a'b<c" not in page and "a&#x27;b&lt;c" in page
