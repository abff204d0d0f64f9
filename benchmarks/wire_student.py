"""A student without a browser: what a Voila page asks of the server, spoken on the wire.

The class benchmark in headless Chromium runs the students' browsers on the server's own two
cores; a trivial Voila page costs Chromium about 3 core-seconds to draw, so ten pages at once
measure mostly the browsers. This client asks the server for exactly what the page's scripts ask
for, and draws nothing: the page's HTML (Voila executes the notebook, or takes a preheated
kernel), the kernel's websocket in the v1 protocol, every widget's state (the widget manager's
``request_states`` on a ``jupyter.widget.control`` comm), and for every ipympl canvas the
messages its view sends when it appears (``refresh``, ``send_image_mode``, ``initialized``) and
the ``draw`` requests it answers, until each canvas has received an image. Ready is the same
rule as in Chromium: every canvas drawn, some status line 'up to date', none 'computing', and
nothing new for 1 s; the time reported is when the last change arrived.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid

from jupyter_client.session import Session
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)

__all__ = ["load_page"]

V1 = "v1.kernel.websocket.jupyter.org"
CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S
)


class _Wire:
    def __init__(self, ws, session: Session):
        self.ws, self.session = ws, session

    def send(self, msg_type: str, content: dict, metadata=None) -> None:
        msg = self.session.msg(msg_type, content, metadata=metadata)
        pack = lambda part: json.dumps(part, default=str).encode()  # noqa: E731
        self.ws.send_binary(serialize_msg_to_ws_v1(msg, "shell", pack))

    def custom(self, comm_id: str, content: dict) -> None:
        data = {"method": "custom", "content": content}
        self.send("comm_msg", {"comm_id": comm_id, "data": data})

    def receive(self, timeout: float):
        self.ws.settimeout(timeout)
        raw = self.ws.recv()
        if isinstance(raw, str):  # not sent by a v1 server
            raise RuntimeError("text frame on a v1 kernel websocket")
        channel, parts = deserialize_msg_from_ws_v1(raw)
        header, _parent, _meta, content = (json.loads(p) for p in parts[:4])
        return channel, header["msg_type"], content, parts[4:]


def load_page(url: str, timeout: float = 300.0) -> dict:
    """Open one page as its scripts would; seconds until it settled, and what it holds."""
    import websocket

    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as response:
        html = response.read().decode("utf-8", "replace")
    found = CONFIG.search(html)
    if not found:
        return {"seconds": float("nan"), "error": "no kernel in the page (class full?)"}
    kid = json.loads(found.group(1))["kernelId"]
    session = Session(username="student")
    ws_url = url.replace("http://", "ws://").split("?")[0].rstrip("/")
    ws_url = re.sub(r"/voila/render/.*$", "", ws_url)
    ws = websocket.create_connection(
        f"{ws_url}/api/kernels/{kid}/channels?session_id={session.session}",
        subprotocols=[V1],
        timeout=timeout,
    )
    wire = _Wire(ws, session)
    control = uuid.uuid4().hex
    wire.send(
        "comm_open",
        {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
        {"version": "1.0.0"},  # the widget control protocol
    )
    wire.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
    canvases, drawn, texts = set(), set(), {}
    last_change, deadline = time.perf_counter(), t0 + timeout
    try:
        while time.perf_counter() < deadline:
            settled = (
                canvases
                and drawn >= canvases
                and any("up to date" in t for t in texts.values())
                and not any("computing" in t for t in texts.values())
            )
            wait = 1.0 - (time.perf_counter() - last_change) if settled else 1.0
            if settled and wait <= 0:
                return {"seconds": last_change - t0, "kernel": kid, "canvases": len(canvases)}
            try:
                _channel, msg_type, content, buffers = wire.receive(max(wait, 0.05))
            except websocket.WebSocketTimeoutException:
                continue
            if msg_type != "comm_msg":
                continue
            comm, data = content.get("comm_id"), content.get("data", {})
            method = data.get("method")
            if method == "update_states" and comm == control:
                for model_id, model in data["states"].items():
                    state = model.get("state", {})
                    if model.get("model_name") == "MPLCanvasModel":
                        canvases.add(model_id)
                        for kind in ("refresh", "send_image_mode", "initialized"):
                            wire.custom(model_id, {"type": kind})
                    elif isinstance(state.get("value"), str):
                        texts[model_id] = state["value"]
                last_change = time.perf_counter()
            elif method == "update" and isinstance(data.get("state", {}).get("value"), str):
                if comm in texts and texts[comm] != data["state"]["value"]:
                    texts[comm] = data["state"]["value"]
                    last_change = time.perf_counter()
            elif method == "custom" and comm in canvases:
                event = data.get("content", {}).get("data")
                kind = json.loads(event).get("type") if isinstance(event, str) else None
                if kind == "draw":  # the view answers a draw event with a draw request
                    wire.custom(comm, {"type": "draw"})
                elif kind == "binary" and buffers:
                    drawn.add(comm)
                    last_change = time.perf_counter()
        return {"seconds": float("nan"), "kernel": kid, "error": "did not settle"}
    finally:
        ws.close()
