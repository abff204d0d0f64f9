r"""Homework answers as plain data, and the checks that read them.

A graded homework cell ends with ``answer("ex2", nets=[most_pieces(N) for N in (1, 2, 5)])``.
:func:`answer` turns every value into plain data (numbers, strings, arrays of a numeric dtype,
networks as their weights; containers of these), checked by *exact* type, so that an object
whose comparisons always hold, or any other object that could run code when compared, is
refused. The encoding is JSON (arrays as base64 bytes with dtype and shape): it cannot carry
code. The answer is shown as an output of the cell with the MIME type :data:`MIME`; the grader
(``homework/grading``) reads it from there and runs the checks in its own clean process.

Checks are functions decorated with :func:`check`, defined in the same cell above the
``answer(...)`` call. Each takes the decoded answer ``a`` (a dict from names to values) and
raises ``AssertionError`` with a message saying what was expected and what came. In the
student's kernel, :func:`answer` runs the checks of its cell on the decoded data (what the
grader will see), for the student's own information; the grade never depends on that run.

Examples
--------
>>> import numpy as np
>>> payload = encode({"x": np.arange(3.0), "n": 4})
>>> decode(payload)["n"], decode(payload)["x"].tolist()
(4, [0.0, 1.0, 2.0])
>>> class Always(float):
...     def __eq__(self, other):
...         return True
>>> encode(Always(1.0))
Traceback (most recent call last):
...
course.answers.NotPlainData: answer: Always is not plain data (numbers, strings, numeric arrays, networks, and lists, tuples or dicts of these)
"""

from __future__ import annotations

import base64
import json
import sys

import numpy as np

from .networks import Network

__all__ = ["MIME", "NotPlainData", "answer", "check", "decode", "encode", "pending_checks"]

MIME = "application/vnd.mathdl.answer+json"
_KINDS = "biufc"  # numpy dtype kinds that are plain numbers
_MAX_BYTES = 64 * 2**20
_SCALARS = (bool, int, float, complex, str, type(None))
_NUMPY_SCALARS = (np.bool_, np.integer, np.floating, np.complexfloating)


class NotPlainData(TypeError):
    """An answer holds a value that is not plain data."""


def _array(a: np.ndarray, where: str = "answer") -> dict:
    if a.dtype.kind not in _KINDS or a.dtype.hasobject:
        raise NotPlainData(f"{where}: array of dtype {a.dtype} is not plain data (numbers only)")
    a = np.ascontiguousarray(a)
    return {
        "__array__": base64.b64encode(a.tobytes()).decode("ascii"),
        "dtype": a.dtype.str,
        "shape": list(a.shape),
    }


def encode(value, where: str = "answer"):
    """Return ``value`` as JSON-compatible plain data, or raise :class:`NotPlainData`.

    Types are checked exactly (``type(v) is float``, not ``isinstance``): subclasses may
    override comparisons and are refused.
    """
    t = type(value)
    if t in _SCALARS:
        if t is complex:
            return {"__complex__": [value.real, value.imag]}
        if t is float and not np.isfinite(value):
            return {"__float__": repr(value)}
        return value
    if t.__module__ == "numpy" and issubclass(t, _NUMPY_SCALARS):
        return encode(value.item(), where)
    if t is np.ndarray:
        return _array(value, where)
    if t.__module__ == "torch" and t.__name__ == "Tensor":
        return _array(value.detach().cpu().numpy(), where)
    if t is Network:
        return {
            "__network__": {
                "weights": [_array(w) for w in value.weights],
                "biases": [_array(b) for b in value.biases],
                "activation": encode(value.activation, where),
            }
        }
    if t is list or t is tuple:
        items = [encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return items if t is list else {"__tuple__": items}
    if t is dict:
        if not all(type(k) is str for k in value):
            raise NotPlainData(f"{where}: dict keys must be str")
        return {"__dict__": {k: encode(v, f"{where}[{k!r}]") for k, v in value.items()}}
    raise NotPlainData(
        f"{where}: {t.__name__} is not plain data (numbers, strings, numeric arrays, networks, "
        "and lists, tuples or dicts of these)"
    )


def _decode_array(d: dict) -> np.ndarray:
    if set(d) != {"__array__", "dtype", "shape"}:
        raise ValueError(f"malformed array: keys {sorted(d)}")
    dtype = np.dtype(d["dtype"])
    if dtype.kind not in _KINDS or dtype.hasobject:
        raise ValueError(f"array dtype {dtype} is not plain data")
    shape = tuple(int(n) for n in d["shape"])
    raw = base64.b64decode(d["__array__"].encode("ascii"), validate=True)
    if len(raw) > _MAX_BYTES or len(raw) != dtype.itemsize * int(np.prod(shape, dtype=np.int64)):
        raise ValueError(f"array of shape {shape} and dtype {dtype} has {len(raw)} bytes")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def decode(data):
    """Inverse of :func:`encode`; raises ``ValueError`` on anything it did not produce."""
    t = type(data)
    if t in (bool, int, float, str, type(None)):
        return data
    if t is list:
        return [decode(v) for v in data]
    if t is not dict or len(data) == 0:
        raise ValueError(f"malformed answer: {t.__name__}")
    if "__array__" in data:
        return _decode_array(data)
    if len(data) != 1:
        raise ValueError(f"malformed answer: keys {sorted(data)[:5]}")
    ((tag, body),) = data.items()
    if tag == "__tuple__" and type(body) is list:
        return tuple(decode(v) for v in body)
    if tag == "__dict__" and type(body) is dict:
        return {str(k): decode(v) for k, v in body.items()}
    if tag == "__complex__" and type(body) is list and len(body) == 2:
        return complex(float(body[0]), float(body[1]))
    if tag == "__float__" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "__network__" and type(body) is dict:
        if set(body) != {"weights", "biases", "activation"} or type(body["activation"]) is not str:
            raise ValueError("malformed network")
        return Network(
            [_decode_array(w) for w in body["weights"]],
            [_decode_array(b) for b in body["biases"]],
            activation=body["activation"],
        )
    raise ValueError(f"malformed answer: tag {tag!r}")


_pending: list = []


def check(fn):
    """Mark ``fn(a)`` as a check of the answer given by the next :func:`answer` call."""
    _pending.append(fn)
    return fn


def pending_checks() -> list:
    """The checks registered since the last :func:`answer` call (and forget them)."""
    out = list(_pending)
    _pending.clear()
    return out


class _Shown:
    """An answer as a cell output: the payload under :data:`MIME` and a short text."""

    def __init__(self, payload: dict, text: str):
        self.payload, self.text = payload, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {MIME: self.payload, "text/plain": self.text}

    def __repr__(self):
        return self.text


def answer(exercise: str, **values) -> None:
    """Record the answer to ``exercise`` as plain data and run the cell's checks on it.

    Each keyword is one named value. A value that is not plain data is recorded as such (the
    grader gives the exercise 0) and reported here with a ``TypeError``.
    """
    if type(exercise) is not str or not exercise:
        raise ValueError(f"exercise must be a non-empty str; got {exercise!r}")
    encoded, refused = {}, []
    for name, value in values.items():
        try:
            encoded[name] = encode(value, name)
        except NotPlainData as e:
            encoded[name] = {"__notplain__": str(e).split(" is not plain data")[0][:200]}
            refused.append(str(e))
    payload = {"exercise": exercise, "values": encoded}
    text = f"answer to {exercise} recorded: {', '.join(values) or 'nothing'}"
    checks = pending_checks()
    json.dumps(payload)  # fails here, not in the grader, if something is not JSON
    sys.displayhook(_Shown(payload, text))
    if refused:
        raise NotPlainData("; ".join(refused))
    decoded = {name: decode(v) for name, v in encoded.items()}
    for fn in checks:
        fn(decoded)
