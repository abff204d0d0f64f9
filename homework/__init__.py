"""Homework of the course: nbgrader sources in ``source/``, and the grader (``grading/``)."""
