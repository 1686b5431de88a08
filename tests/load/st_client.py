"""One simulated browser tab of a Streamlit app, over the app's own WebSocket protocol.

The client speaks to `ws://127.0.0.1:<port>/_stcore/stream` with the protobuf messages
from `streamlit.proto` (Streamlit 1.67), as the browser frontend does: it sends
`BackMsg.rerun_script` (page, query string, every widget value, the fragment to run,
the hashes of the messages it holds cached) and keeps the element tree that the
`ForwardMsg` deltas build. What the frontend does and this client copies:

- a message sent as `ref_hash` is taken from the tab's cache of cacheable messages;
  cached messages age out after `max_cached_message_age` runs (from `new_session`);
- after a finished run, elements the run did not send again are dropped (for a
  fragment run: only elements of that fragment, and anything below a block it replaced);
- widget values persist and go with every rerun; a button click is a `trigger_value`
  sent once; a form submit sends the form's values with the submit button's trigger;
- `auto_rerun` (st.fragment(run_every=...)) starts a timer that asks for the fragment
  run with `is_auto_rerun`, as the browser's setInterval does;
- the `navigation` message names the pages: `goto(url_path)` opens one of them.

No browser, no AppTest; only loopback servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

_STATUS = ForwardMsg.ScriptFinishedStatus
FULL_DONE = frozenset({_STATUS.FINISHED_SUCCESSFULLY, _STATUS.FINISHED_WITH_COMPILE_ERROR})
FRAGMENT_DONE = frozenset({_STATUS.FINISHED_FRAGMENT_RUN_SUCCESSFULLY})
_STRING_KINDS = frozenset({"text_input", "text_area", "date_input", "time_input", "color_picker"})


class ClientError(RuntimeError):
    pass


@dataclass(slots=True)
class Node:
    """One element or block of the page, at its delta path."""

    path: tuple[int, ...]
    kind: str  # the element type ("text_input", "button", ...) or "block:<type>"
    proto: Any  # the Element or Block message
    fragment_id: str
    run_id: str

    @property
    def widget(self) -> Any:
        return None if self.kind.startswith("block:") else getattr(self.proto, self.kind)

    @property
    def label(self) -> str:
        widget = self.widget
        return str(getattr(widget, "label", "") or "") if widget is not None else ""

    @property
    def widget_id(self) -> str:
        return str(getattr(self.widget, "id", "") or "")

    @property
    def text(self) -> str:
        widget = self.widget
        for attr in ("body", "label", "value"):
            value = getattr(widget, attr, None)
            if isinstance(value, str) and value:
                return value
        return ""


class Tab:
    """One browser tab on the app: connect, run, set widgets, find them by label."""

    def __init__(
        self, url: str, *, page: str = "", query_string: str = "", cookie: str = ""
    ) -> None:
        if not url.startswith("ws://127.0.0.1:"):
            raise ClientError(f"only loopback servers: {url}")
        self.url = url
        self.http_base = "http://" + url.removeprefix("ws://").split("/", 1)[0]
        self.page = page  # URL path of the first run ("" is the default page)
        self.query_string = query_string
        self.cookie = cookie  # e.g. "sq_route=sq2": the process nginx sends this tab to
        self.page_script_hash = ""  # from new_session / navigation after the first run
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash
        self.nodes: dict[tuple[int, ...], Node] = {}
        self.widget_states: dict[str, WidgetState] = {}
        self.run_id = ""
        self.fragments_this_run: list[str] = []
        self.full_runs = 0  # finished full script runs
        self.fragment_runs = 0
        self.errors: list[str] = []
        self.on_finished: Callable[[Tab], None] | None = None
        self._cache: dict[str, tuple[Any, int]] = {}  # hash -> (ForwardMsg, run seen)
        self._cache_runs = 0
        self._max_cached_age = 2
        self._timers: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._finished = asyncio.Event()
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._closed = False

    # -- connection ----------------------------------------------------------------
    async def connect(self, timeout: float = 30.0) -> None:
        # An anonymous session needs no cookie and no XSRF token; a load balancer's
        # routing cookie goes with the handshake, as a browser sends it.
        self._ws = await websockets.connect(
            self.url,
            subprotocols=[websockets.Subprotocol("streamlit")],
            max_size=None,
            origin=websockets.Origin(self.http_base),
            open_timeout=timeout,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
        )
        self._reader = asyncio.create_task(self._read_loop())

    async def close(self) -> None:
        self._closed = True
        for _, task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # -- sending ---------------------------------------------------------------------
    async def send(
        self, triggers: Iterable[WidgetState] = (), *, fragment_id: str = "", auto: bool = False
    ) -> None:
        """Ask for a run with every widget value, the `triggers` first (clicks, new values)."""
        message = BackMsg()
        rerun = message.rerun_script
        rerun.query_string = self.query_string
        rerun.page_script_hash = self.page_script_hash
        if not self.page_script_hash:
            rerun.page_name = self.page
        rerun.fragment_id = fragment_id
        rerun.is_auto_rerun = auto
        sent = set()
        for state in triggers:
            rerun.widget_states.widgets.append(state)
            sent.add(state.id)
        for widget_id, state in self.widget_states.items():
            if widget_id not in sent:
                rerun.widget_states.widgets.append(state)
        rerun.cached_message_hashes.extend(self._cache)
        info = rerun.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/Berlin", -60, "de-DE"
        query = f"?{self.query_string}" if self.query_string else ""
        info.url = f"{self.http_base}/{self.page}{query}"
        info.color_scheme = "light"
        await self._ws.send(message.SerializeToString())

    async def wait_until(self, done: Callable[[], bool], timeout: float) -> float:
        """Wait for finished runs until `done()` holds after one; the time it took."""
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        while not done():
            left = deadline - time.monotonic()
            if self._closed:
                raise ClientError("the connection closed while waiting")
            if left <= 0:
                raise TimeoutError(f"condition not met within {timeout:.0f} s")
            self._finished.clear()
            try:
                await asyncio.wait_for(self._finished.wait(), left)
            except TimeoutError:
                continue
        return time.perf_counter() - started

    async def run(self, triggers: Iterable[WidgetState] = (), *, timeout: float = 60.0) -> float:
        """A full rerun (a click, a new value, a page load); seconds until it finished."""
        before = self.full_runs
        started = time.perf_counter()
        await self.send(triggers)
        await self.wait_until(lambda: self.full_runs > before, timeout)
        return time.perf_counter() - started

    async def act(
        self, node: Node, triggers: Iterable[WidgetState], *, timeout: float = 60.0
    ) -> float:
        """What the browser does when `node` (a widget) is used: it reruns the fragment the
        widget lies in, or else the whole page; seconds until that run finished."""
        if not node.fragment_id:
            return await self.run(triggers, timeout=timeout)
        before = self.fragment_runs
        started = time.perf_counter()
        await self.send(triggers, fragment_id=node.fragment_id)
        await self.wait_until(lambda: self.fragment_runs > before, timeout)
        return time.perf_counter() - started

    async def goto(self, url_path: str, *, timeout: float = 60.0) -> float:
        """Open another page of the app, as its link in the menu does."""
        if url_path not in self.pages:
            raise ClientError(f"no page {url_path!r} in the navigation: {sorted(self.pages)}")
        self.page, self.page_script_hash, self.query_string = url_path, self.pages[url_path], ""
        return await self.run(timeout=timeout)

    # -- widgets ---------------------------------------------------------------------
    def set_value(self, node: Node, value: Any) -> WidgetState:
        """A persistent widget value; radio options go by index or by their label."""
        state = WidgetState(id=node.widget_id)
        kind = node.kind
        if kind in _STRING_KINDS:
            state.string_value = str(value)
        elif kind in ("radio", "selectbox"):
            options = list(node.widget.options)
            state.string_value = options[value] if isinstance(value, int) else str(value)
        elif kind == "multiselect":
            state.string_array_value.data.extend(str(v) for v in value)
        elif kind in ("checkbox", "toggle"):
            state.bool_value = bool(value)
        elif kind == "number_input":
            state.double_value = float(value)
        elif kind == "component_instance":
            state.json_value = json.dumps(value)
        else:
            raise ClientError(f"no setter for a {kind}")
        self.widget_states[state.id] = state
        return state

    @staticmethod
    def click(node: Node) -> WidgetState:
        """A button click: a trigger, sent once."""
        return WidgetState(id=node.widget_id, trigger_value=True)

    def find(self, label: str, kind: str | None = None) -> Node | None:
        """The first element (in page order) whose label contains `label`."""
        wanted = label.lower()
        return next(
            (n for n in self.find_all(kind) if wanted in n.label.lower()),
            None,
        )

    def find_all(self, kind: str | None = None) -> list[Node]:
        return [self.nodes[p] for p in sorted(self.nodes) if kind in (None, self.nodes[p].kind)]

    def texts(self) -> list[str]:
        return [n.text for n in self.find_all() if n.text]

    def has_text(self, part: str) -> bool:
        return any(part in text for text in self.texts())

    # -- receiving -------------------------------------------------------------------
    async def _read_loop(self) -> None:
        try:
            async for data in self._ws:
                message = ForwardMsg()
                message.ParseFromString(data)
                self._handle(message)
        except websockets.ConnectionClosed as exc:
            if not self._closed:
                self.errors.append(f"connection closed: {exc}")
        except Exception as exc:  # reported by the scenario, never swallowed silently
            self.errors.append(repr(exc))
        finally:
            self._closed = True
            self._finished.set()

    def _handle(self, message: Any) -> None:
        kind = message.WhichOneof("type")
        if kind == "ref_hash":  # the server: "your cache holds this one"
            entry = self._cache.get(message.ref_hash)
            if entry is None:
                self.errors.append(f"cache miss {message.ref_hash}")
                return
            self._cache[message.ref_hash] = (entry[0], self._cache_runs)
            full = ForwardMsg()
            full.CopyFrom(entry[0])
            full.metadata.CopyFrom(message.metadata)
            message, kind = full, full.WhichOneof("type")
        elif message.metadata.cacheable and message.hash and message.hash not in self._cache:
            self._cache[message.hash] = (message, self._cache_runs)

        if kind == "new_session":
            new = message.new_session
            self.page_script_hash = new.page_script_hash
            self._max_cached_age = new.config.max_cached_message_age or self._max_cached_age
            self.run_id = message.metadata.run.script_run_id
            self.fragments_this_run = list(message.metadata.run.fragment_ids)
        elif kind == "navigation":
            nav = message.navigation
            self.page_script_hash = nav.page_script_hash or self.page_script_hash
            self.pages = {p.url_pathname: p.page_script_hash for p in nav.app_pages}
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "delta":
            self._add_node(message)
        elif kind == "auto_rerun":
            self._start_timer(message.auto_rerun.fragment_id, message.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in message.stop_auto_rerun.fragment_ids:
                _, task = self._timers.pop(fragment_id, (0.0, None))
                if task is not None:
                    task.cancel()
        elif kind == "script_finished":
            self._run_finished(message.script_finished)

    def _add_node(self, message: Any) -> None:
        delta = message.delta
        which = delta.WhichOneof("type")
        if which not in ("new_element", "add_block"):
            return  # transient elements (spinners)
        sub = getattr(delta, which)
        kind = sub.WhichOneof("type") or ""
        if which == "add_block":
            kind = f"block:{kind}"
        path = tuple(message.metadata.delta_path)
        self.nodes[path] = Node(path, kind, sub, delta.fragment_id, self.run_id)

    def _run_finished(self, status: int) -> None:
        if status not in FULL_DONE | FRAGMENT_DONE:
            return  # e.g. finished early for a rerun: the next run follows
        self._drop_stale()
        self._age_cache()
        if status in FULL_DONE:
            self.full_runs += 1
            live = {n.widget_id for n in self.nodes.values() if n.widget_id}
            self.widget_states = {k: v for k, v in self.widget_states.items() if k in live}
        else:
            self.fragment_runs += 1
        if self.on_finished is not None:
            self.on_finished(self)
        self._finished.set()

    def _drop_stale(self) -> None:
        """The frontend's rule for elements a finished run did not send again."""
        running = set(self.fragments_this_run)
        current = self.run_id
        if not running:
            self.nodes = {p: n for p, n in self.nodes.items() if n.run_id == current}
            return
        replaced = {
            p
            for p, n in self.nodes.items()
            if n.run_id == current and n.fragment_id in running and n.kind.startswith("block:")
        }

        def stale(path: tuple[int, ...], node: Node) -> bool:
            if node.run_id == current:
                return False
            if node.fragment_id in running:
                return True
            return any(path[:i] in replaced for i in range(1, len(path)))

        self.nodes = {p: n for p, n in self.nodes.items() if not stale(p, n)}

    def _age_cache(self) -> None:
        self._cache_runs += 1
        running = set(self.fragments_this_run)
        for key, (message, seen) in list(self._cache.items()):
            if running and message.delta.fragment_id not in running:
                continue
            if self._cache_runs - seen > self._max_cached_age:
                del self._cache[key]

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        if not fragment_id:
            return
        old = self._timers.get(fragment_id)
        if old is not None and old[0] == interval:
            return  # the browser keeps its timer while the interval stays the same
        if old is not None:
            old[1].cancel()

        async def tick() -> None:
            while not self._closed:
                await asyncio.sleep(interval)
                try:
                    await self.send(fragment_id=fragment_id, auto=True)
                except websockets.ConnectionClosed:
                    return

        self._timers[fragment_id] = (interval, asyncio.create_task(tick()))
