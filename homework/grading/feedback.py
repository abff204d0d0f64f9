"""Feedback without the checks' code: test cells show the answer call and the verdict only."""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

from .verdict import cell_kind, kernel_source

__all__ = ["HideChecks"]


class HideChecks(NbGraderPreprocessor):
    """Replace each test cell's source by what the student's kernel ran of it."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell_kind(cell) == "test":
            cell.source = kernel_source(cell.source)
        return cell, resources
