"""nbgrader's execute step, replaced: sandboxed, crash-isolated, verdicts decided outside.

``SandboxExecute`` takes the place of nbgrader's ``Execute`` in ``Autograde.autograde_preprocessors``
(``./mathdl grade`` writes that into the course's ``nbgrader_config.py``); everything else of
``nbgrader autograde`` (sanitising, restoring locked cells, the gradebook, late penalties) stays.

1. The student's notebook runs cell by cell in a kernel inside the sandbox
   (:mod:`homework.grading.sandbox`), in a scratch copy of the submission. Test cells are sent
   without their ``@check`` functions: the kernel only exports the answers.
2. A cell past ``cell_timeout`` (the kernel is killed, signals or not) or one that kills the
   kernel (``os._exit``, a segfault, the memory limit) is recorded and skipped: a new kernel
   replays the cells that worked before it and grading goes on. After ``max_restarts`` restarts,
   or once ``notebook_timeout`` is spent, the remaining cells are not run.
3. Each test cell's verdict is decided in this process (:func:`homework.grading.verdict.judge`)
   and written as the cell's only output: nothing printed by the kernel, stderr included, and
   nothing a kernel-side patch does can change it. ``SaveAutoGrades`` then scores the outputs.
4. A per-student report (timeouts, crashes, non-plain answers, changed locked cells, suspicious
   code) goes to ``<course>/reports/<assignment>/<student>.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Any, Integer, Unicode

from .sandbox import Limits, Sandbox, probe
from .verdict import cell_kind, given_namespace, judge, kernel_source

__all__ = ["SandboxExecute", "SUSPICIOUS"]

SUSPICIOUS = {
    "input transformer": r"input_transformers|register_transformer|ast_transformers",
    "exits the process": r"os\._exit|sys\.exit|os\.kill|signal\.signal",
    "rebinds a builtin": r"builtins|__builtins__",
    "rebinds a library name": r"^\s*(np|numpy|torch|course|pywt|scipy)(\.\w+)+\s*=[^=]",
    "overrides comparisons": r"def __(eq|ne|lt|le|gt|ge|bool|abs|float)__",
    "touches files": r"\bopen\(|shutil|os\.(remove|unlink|rmdir|rename)|pathlib|\.ipynb|gradebook",
    "runs programs": r"subprocess|os\.system|os\.popen|ctypes",
    "patches attributes": r"setattr\(|__dict__\[|__code__",
}


class _SandboxedKernelManager(AsyncKernelManager):
    sandbox = Any(None)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", self.connection_file]
        cmd += ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=CRITICAL"]
        return self.sandbox.wrap(cmd)


def _error(ename: str, message: str) -> dict:
    return nbformat.v4.new_output("error", ename=ename, evalue=message, traceback=[message])


class SandboxExecute(NbGraderPreprocessor):
    """Run a submission in the sandbox and write the verdicts of its test cells."""

    cell_timeout = Integer(60, help="Seconds a cell may run when graded.").tag(config=True)
    given_timeout = Integer(
        120, help="Seconds for a given (instructor's, locked) cell: imports, data, models."
    ).tag(config=True)
    notebook_timeout = Integer(600, help="Seconds for a whole notebook.").tag(config=True)
    startup_timeout = Integer(60, help="Seconds for a kernel to start.").tag(config=True)
    max_restarts = Integer(3, help="Kernel restarts after crashes or timeouts.").tag(config=True)
    memory_mb = Integer(8192, help="Address-space limit of the kernel (MB).").tag(config=True)
    course_root = Unicode("", help="The nbgrader course root.").tag(config=True)
    sandbox = Unicode("auto", help="auto, bwrap, nobody or none (trusted work only).").tag(
        config=True
    )

    _namespaces: dict = {}

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        student, assignment, notebook = info["student"], info["assignment"], info["notebook"]
        root = Path(self.course_root or os.getcwd())
        source_nb = nbformat.read(root / "source" / assignment / f"{notebook}.ipynb", 4)
        source = {
            c.metadata.nbgrader.grade_id: c for c in source_nb.cells if "nbgrader" in c.metadata
        }
        started = time.monotonic()
        mode = probe() if self.sandbox == "auto" else self.sandbox
        if mode == "unavailable":
            raise RuntimeError(
                "no sandbox for student code: bubblewrap does not run here and user nobody "
                "cannot run this Python; install bubblewrap (apt-get install bubblewrap) or, "
                "for trusted submissions only, pass --sandbox none"
            )
        plan = []  # (index in nb, source to run)
        for i, cell in enumerate(nb.cells):
            kind = cell_kind(cell)
            if cell.cell_type != "code":
                continue
            text = cell.source
            if kind == "test":
                text = kernel_source(source[cell.metadata.nbgrader.grade_id].source)
            elif kind == "given":
                text = source[cell.metadata.nbgrader.grade_id].source
            limit = max(self.cell_timeout, self.given_timeout) if kind == "given" else None
            plan.append((i, text, limit))
        work = Path(resources.get("metadata", {}).get("path") or ".")
        outputs, events = asyncio.run(self._run_all(plan, work, mode))

        key = (str(root), assignment, notebook)
        if key not in self._namespaces:
            self._namespaces[key] = given_namespace(source_nb)
        namespace = self._namespaces[key]
        exercises, not_plain = [], []
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                cell.outputs = outputs.get(i, [])
                cell.execution_count = None
            if cell_kind(cell) != "test":
                continue
            grade_id = cell.metadata.nbgrader.grade_id
            event = events.get(i, "")
            v = judge(source[grade_id].source, cell.outputs, namespace, event)
            points = float(cell.metadata.nbgrader.points)
            if v.passed:
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=v.message)]
            else:
                cell.outputs = [_error("AssertionError", v.message)]
            not_plain += list(v.not_plain)
            exercises.append(
                {"grade_id": grade_id, "points": points if v.passed else 0.0, "max": points}
                | {"verdict": v.kind, "message": v.message}
            )
        self._report(
            root, student, assignment, notebook, mode, exercises, events, not_plain, nb, started
        )
        return nb, resources

    async def _run_all(self, plan, work: Path, mode: str):
        """Execute ``plan`` with restarts; return outputs and events by cell index."""
        deadline = time.monotonic() + self.notebook_timeout
        limits = Limits(cpu_s=self.notebook_timeout, memory_mb=self.memory_mb)
        outputs, events = {}, {}
        done: list[tuple[int, str, int | None]] = []
        restarts = 0
        tmp = Path(tempfile.mkdtemp(prefix="mathdl-grade-"))
        if mode == "nobody":
            os.chmod(tmp, 0o711)  # the unprivileged kernel may enter, not list
        try:
            scratch = tmp / "work"
            shutil.copytree(work, scratch, symlinks=False, ignore=shutil.ignore_patterns("*.ipynb"))
            session = None
            for n, (i, text, limit) in enumerate(plan):
                left = deadline - time.monotonic()
                if left <= 1 or restarts > self.max_restarts:
                    why = "notebook time limit" if left <= 1 else "too many crashes"
                    for j, *_ in plan[n:]:
                        events[j] = f"not run ({why})"
                    break
                if session is None:
                    session, restarts = await self._session(
                        scratch, tmp, limits, mode, deadline, done, events, restarts
                    )
                    if session is None:
                        for j, *_ in plan[n:]:
                            events[j] = "not run (no kernel: it did not start or kept crashing)"
                        break
                _, cell_outputs, event = await self._cell(session, i, text, deadline, limit)
                outputs[i] = cell_outputs
                if event:
                    events[i] = event
                    await self._stop(session)
                    session = None
                    restarts += 1
                else:
                    done.append((i, text, limit))
            if session is not None:
                await self._stop(session)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return outputs, events

    async def _session(self, scratch, tmp, limits, mode, deadline, done, events, restarts):
        """A new kernel that has replayed the cells in ``done`` (a cell that now fails is
        dropped from ``done`` and recorded)."""
        while restarts <= self.max_restarts and deadline - time.monotonic() > 1:
            sandbox = Sandbox(scratch, tmp / f"run{restarts}", limits, mode)
            session = await self._start(sandbox, deadline)
            if session is None:
                return None, restarts
            for item in list(done):
                i, text, limit = item
                _, _, event = await self._cell(session, i, text, deadline, limit)
                if event:
                    done.remove(item)
                    events.setdefault(item[0], f"replayed after a crash: {event}")
                    await self._stop(session)
                    session = None
                    restarts += 1
                    break
            if session is not None:
                return session, restarts
        return None, restarts

    async def _start(self, sandbox: Sandbox, deadline: float):
        sandbox.prepare()
        km = _SandboxedKernelManager(
            kernel_name="python3",
            transport="ipc",
            ip=str(sandbox.runtime / "kernel"),
            connection_file=str(sandbox.runtime / "kernel.json"),
        )
        km.sandbox = sandbox
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")]
        )
        nb = nbformat.v4.new_notebook()
        client = NotebookClient(
            nb,
            km=km,
            timeout=self.cell_timeout,
            startup_timeout=max(1, min(self.startup_timeout, int(deadline - time.monotonic()))),
            allow_errors=True,
            interrupt_on_timeout=False,
            raise_on_iopub_timeout=False,
            iopub_timeout=5,
            record_timing=False,
        )
        try:
            await client.async_start_new_kernel(env=env, cwd=str(sandbox.scratch))
            await client.async_start_new_kernel_client()
        except Exception as e:  # noqa: BLE001 - any failure to start is reported, not raised
            self.log.error("sandboxed kernel did not start: %s", e)
            await self._stop((client, km))
            return None
        return client, km

    async def _cell(self, session, index: int, text: str, deadline: float, limit=None):
        client, km = session
        cell = nbformat.v4.new_code_cell(text)
        client.nb.cells = [cell]
        left = deadline - time.monotonic()
        client.timeout = max(1, int(min(limit or self.cell_timeout, left)))
        t0 = time.monotonic()
        try:
            await client.async_execute_cell(cell, 0, execution_count=None)
        except CellTimeoutError:
            msg = f"timed out: ran past {client.timeout} s and was stopped"
            return None, [_error("CellTimeoutError", f"This cell {msg}.")], msg
        except DeadKernelError:
            msg = f"the kernel died in this cell after {time.monotonic() - t0:.1f} s"
            return None, [_error("DeadKernelError", f"In grading, {msg}.")], msg
        except Exception as e:  # noqa: BLE001 - the kernel's misbehaviour costs this cell only
            msg = f"the kernel stopped answering ({type(e).__name__})"
            return None, [_error("KernelError", msg)], msg
        if not await km.is_alive():
            msg = "the kernel exited in this cell"
            return None, list(cell.outputs) + [_error("DeadKernelError", msg)], msg
        return True, list(cell.outputs), ""

    async def _stop(self, session) -> None:
        client, km = session
        proc = getattr(km.provisioner, "process", None) if km.provisioner else None
        try:
            if client.kc is not None:
                client.kc.stop_channels()
            await asyncio.wait_for(km.shutdown_kernel(now=True), timeout=10)
        except Exception:  # noqa: BLE001
            pass
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(os.getpgid(proc.pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                proc.kill()

    def _report(self, root, student, assignment, notebook, mode, exercises, events, nplain, nb, t0):
        submitted = root / "submitted" / student / assignment / f"{notebook}.ipynb"
        changed, suspicious = [], []
        source_nb = nbformat.read(root / "release" / assignment / f"{notebook}.ipynb", 4)
        locked = {
            c.metadata.nbgrader.grade_id: c.source
            for c in source_nb.cells
            if c.metadata.get("nbgrader", {}).get("locked")
        }
        try:
            sub = nbformat.read(submitted, 4)
        except Exception:  # noqa: BLE001
            sub = nbformat.v4.new_notebook()
        for c in sub.cells:
            gid = c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid in locked and c.source != locked[gid]:
                changed.append(gid)
            if c.cell_type == "code" and gid not in locked:
                for what, pattern in SUSPICIOUS.items():
                    for line in c.source.splitlines():
                        if re.search(pattern, line):
                            suspicious.append({"what": what, "cell": gid, "line": line.strip()})
        cell_ids = {
            i: c.metadata.get("nbgrader", {}).get("grade_id", f"cell {i}")
            for i, c in enumerate(nb.cells)
        }
        report = {
            "student": student,
            "assignment": assignment,
            "notebook": notebook,
            "sandbox": mode,
            "score": sum(e["points"] for e in exercises),
            "max_score": sum(e["max"] for e in exercises),
            "exercises": exercises,
            "events": [{"cell": cell_ids[i], "event": e} for i, e in sorted(events.items())],
            "not_plain": nplain,
            "changed_locked_cells": changed,
            "suspicious": suspicious,
            "seconds": round(time.monotonic() - t0, 2),
        }
        out = root / "reports" / assignment / f"{student}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1))
