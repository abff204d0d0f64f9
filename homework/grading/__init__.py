"""The grader: nbgrader autograde with a sandboxed, crash-isolated execute step whose verdicts are
decided outside the student's kernel (see ``execute.py``, ``sandbox.py``, ``verdict.py``)."""
