"""A lab under load: participants and staff as simulated browser tabs on a real app server.

Participants join one lab by its code (every second one through the deep link
`/?code=...`, the others through the code form), keep the shared map open with its
timed refresh, and place notes: a tap at a random spot near the map's centre, a pause
to think, category and time chosen, every second note with a text, save (a "me too"
offer is declined). Staff log in on the login page and then act in turns: moderators
release a waiting text, planners change the category filter of the planning map.

Measured: `save_s` (the save click sent to the finished run that shows the note's
number), `visible_s` (that confirmation to the moment every other participant's map
holds the note's id), `staff_action_s` (the click to the finished run), and the join
time. Every wait has a timeout and the whole run a deadline. Afterwards the store is
read: confirmed numbers not stored are `lost`, a submission (its token) stored twice is
`duplicated`, and a note stored whose confirmation never came is `stored_unconfirmed`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.labs import LabSession
from rules.roles import Actor
from store import Store, open_store
from tests.load.st_client import Node, Tab

NUMBER = re.compile(r"Ihr Hinweis hat die Nummer (\d+)")
ACTION_TIMEOUT_S = 90.0
TAP_SPREAD_DEG = 0.003  # about 300 m around the map's centre
TEXTS = (
    "Kein Licht am Fußweg nach 18 Uhr",
    "Unübersichtliche Ecke",
    "Hier wird zu schnell gefahren",
)


@dataclass(frozen=True)
class Scenario:
    participants: int = 50
    notes_each: int = 3
    staff: int = 5
    join_spread_s: float = 30.0  # the joins are spread evenly over this time
    notes_span_s: float = 90.0  # each participant's notes fall in this time after joining
    think_s: tuple[float, float] = (1.0, 3.0)  # between the tap and the save click
    staff_pause_s: tuple[float, float] = (4.0, 8.0)  # between two staff actions
    drain_s: float = 30.0  # after the last save: time for the maps to catch up
    seed: int = 12


@dataclass
class Records:
    join_s: list[float] = field(default_factory=list)
    save_s: list[float] = field(default_factory=list)
    visible_s: list[float] = field(default_factory=list)
    staff_action_s: list[float] = field(default_factory=list)
    staff_actions: Counter[str] = field(default_factory=Counter)
    confirmed: list[int] = field(default_factory=list)
    saved_by: Counter[int] = field(default_factory=Counter)
    offers: int = 0
    taps_retried: int = 0
    errors: list[str] = field(default_factory=list)


def map_node(tab: Tab) -> Node | None:
    """The shared map (the st_folium component)."""
    for node in tab.find_all("component_instance"):
        if "folium" in node.widget.component_name:
            return node
    return None


def map_centre(node: Node) -> tuple[float, float]:
    """(lat, lng) of the map's centre, from the Leaflet script in the component's args."""
    script = json.loads(node.widget.json_args)["script"]
    found = re.search(r"center:\s*\[([-\d.]+),\s*([-\d.]+)\]", script)
    if found is None:
        raise ValueError("no map centre in the map's script")
    return float(found.group(1)), float(found.group(2))


def map_note_ids(node: Node) -> set[int]:
    """The ids of the notes drawn: `var rows = [[lon, lat, cat, band, sev, text, date, id,
    supports], ...]` in the map's script (the pins are a dynamic layer: `feature_group`)."""
    args = json.loads(node.widget.json_args)
    script = f"{args.get('feature_group') or ''}\n{args.get('script') or ''}"
    start = script.find("var rows = ")
    if start < 0:
        return set()
    rows, _ = json.JSONDecoder().raw_decode(script, start + len("var rows = "))
    return {int(row[7]) for row in rows}


class Visibility:
    """When each confirmed note reached every other open map."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self.watchers: dict[int, Tab] = {}
        self.seen: dict[int, set[int]] = {}
        self.pending: dict[int, tuple[float, set[int]]] = {}  # note -> (confirmed at, who)

    def watch(self, who: int, tab: Tab) -> None:
        self.watchers[who] = tab
        self.seen[who] = set()
        tab.on_finished = lambda t: self._update(who, t)
        self._update(who, tab)

    def unwatch(self, who: int) -> None:
        self.watchers.pop(who, None)
        for note in list(self.pending):
            self._tick(note, who)

    def confirmed(self, note: int, owner: int) -> None:
        waiting = {w for w in self.watchers if w != owner and note not in self.seen[w]}
        self.pending[note] = (time.perf_counter(), waiting)
        self._tick(note)

    def _update(self, who: int, tab: Tab) -> None:
        node = map_node(tab)
        if node is None or who not in self.watchers:
            return
        try:
            self.seen[who] = map_note_ids(node)
        except (ValueError, KeyError, IndexError) as exc:
            self.records.errors.append(f"map rows unreadable: {exc!r}")
            return
        for note in list(self.pending):
            if note in self.seen[who]:
                self._tick(note, who)

    def _tick(self, note: int, who: int | None = None) -> None:
        """`who` has the note now (or left); the note is visible once nobody waits."""
        confirmed_at, waiting = self.pending[note]
        waiting.discard(-1 if who is None else who)
        if not waiting:
            del self.pending[note]
            self.records.visible_s.append(time.perf_counter() - confirmed_at)


@dataclass
class Lab:
    """What every simulated person shares: the server, the lab code, the records."""

    url: str
    code: str
    scenario: Scenario
    records: Records = field(default_factory=Records)
    tabs: list[Tab] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    # Behind nginx (deploy/nginx-site.conf.in): person i goes to process routes[i % n].
    routes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.visibility = Visibility(self.records)

    async def open_tab(self, who: int, page: str = "", query_string: str = "") -> Tab:
        route = f"sq_route={self.routes[who % len(self.routes)]}" if self.routes else ""
        tab = Tab(self.url, page=page, query_string=query_string, cookie=route)
        self.tabs.append(tab)
        await tab.connect()
        return tab


async def participant(lab: Lab, who: int, rng: random.Random) -> None:
    sc = lab.scenario
    started = time.perf_counter()
    deep_link = who % 2 == 0
    tab = await lab.open_tab(who, query_string=f"code={lab.code}" if deep_link else "")
    await tab.run(timeout=ACTION_TIMEOUT_S)
    if not deep_link:
        code, join = tab.find("Code", "text_input"), tab.find("Mitmachen", "button")
        if code is None or join is None:
            raise RuntimeError(f"no code form: {tab.texts()[:5]}")
        await tab.run([tab.set_value(code, lab.code), tab.click(join)], timeout=ACTION_TIMEOUT_S)
    await tab.wait_until(lambda: map_node(tab) is not None, ACTION_TIMEOUT_S)
    lab.records.join_s.append(time.perf_counter() - started)
    lab.visibility.watch(who, tab)
    note_times = sorted(rng.uniform(2.0, sc.notes_span_s) for _ in range(sc.notes_each))
    numbers: set[int] = set()
    try:
        for number, at in enumerate(note_times):
            await asyncio.sleep(max(0.0, started + at - time.perf_counter()))
            await place_note(lab, who, tab, rng, numbers, with_text=(who + number) % 2 == 0)
    except Exception:
        lab.visibility.unwatch(who)  # the others' notes need not wait for this map
        raise


async def place_note(
    lab: Lab, who: int, tab: Tab, rng: random.Random, numbers: set[int], *, with_text: bool
) -> None:
    """Tap, think, fill the form, save; the note's number once the page confirms it."""
    for attempt in range(4):
        spread = TAP_SPREAD_DEG / (attempt + 1)  # a refused tap (outside): try closer in
        if await tap_map(tab, rng, spread):
            break
        lab.records.taps_retried += 1
    else:
        raise RuntimeError("four taps refused")
    await asyncio.sleep(rng.uniform(*lab.scenario.think_s))
    category, when = tab.find("Was macht", "radio"), tab.find("Wann", "radio")
    save = save_button(tab)
    if category is None or when is None or save is None:
        raise RuntimeError("the note form is incomplete")
    values = [
        tab.set_value(category, rng.randrange(len(category.widget.options))),
        tab.set_value(when, rng.randrange(len(when.widget.options))),
    ]
    texts = tab.find_all("text_area")
    if with_text and texts:
        values.append(tab.set_value(texts[0], rng.choice(TEXTS)))
    await confirm_save(lab, who, tab, [*values, tab.click(save)], numbers)


async def tap_map(tab: Tab, rng: random.Random, spread: float) -> bool:
    """Tap the map near its centre (st_folium's click value, a run of its fragment);
    whether the note form opened."""
    node = map_node(tab)
    if node is None:
        raise RuntimeError("the map is gone")
    lat, lng = map_centre(node)
    spot = {"lat": lat + rng.uniform(-spread, spread), "lng": lng + rng.uniform(-spread, spread)}
    before = tab.full_runs
    tap = tab.set_value(node, {"last_clicked": spot, "last_object_clicked": None})
    await tab.send([tap], fragment_id=node.fragment_id)
    # The tap ends in a full run (st.rerun(scope="app")): with the form, or with a notice.
    await tab.wait_until(
        lambda: save_button(tab) is not None or tab.full_runs > before, ACTION_TIMEOUT_S
    )
    return save_button(tab) is not None


def save_button(tab: Tab) -> Node | None:
    button = tab.find("Hinweis speichern", "button")
    return button if button is not None and "eigenen" not in button.label else None


async def confirm_save(lab: Lab, who: int, tab: Tab, click: list[Any], numbers: set[int]) -> None:
    def outcome() -> str | int | None:
        for text in tab.texts():
            if (found := NUMBER.search(text)) and int(found.group(1)) not in numbers:
                return int(found.group(1))
            if "nicht gespeichert" in text or "konnte nicht" in text:
                return "error: " + text[:80]
        return "offer" if tab.find("eigenen Hinweis speichern", "button") else None

    for _ in range(3):
        sent, before = time.perf_counter(), tab.full_runs
        await tab.send(click)
        # The save (and the decline of an offer) ends in a full run; until it has, the
        # page still shows the run before, an offer included.
        await tab.wait_until(functools.partial(_answered, tab, before, outcome), ACTION_TIMEOUT_S)
        result = outcome()
        if result == "offer":  # a similar note close by: save an own one all the same
            lab.records.offers += 1
            decline = tab.find("eigenen Hinweis speichern", "button")
            assert decline is not None
            click = [tab.click(decline)]
            continue
        if isinstance(result, int):
            lab.records.save_s.append(time.perf_counter() - sent)
            lab.records.confirmed.append(result)
            lab.records.saved_by[who] += 1
            numbers.add(result)
            lab.visibility.confirmed(result, who)
            return
        raise RuntimeError(f"save refused: {result}")
    raise RuntimeError("three offers in a row")


def _answered(tab: Tab, runs_before: int, outcome: Callable[[], object]) -> bool:
    """A full run finished since `runs_before` and the page says how the save went."""
    return tab.full_runs > runs_before and outcome() is not None


async def staff_member(lab: Lab, who: int, username: str, password: str, page: str) -> None:
    rng = random.Random(lab.scenario.seed * 1000 + who)
    tab = await lab.open_tab(who, page="anmelden")
    await tab.run(timeout=ACTION_TIMEOUT_S)
    name, secret = tab.find("Benutzername", "text_input"), tab.find("Passwort", "text_input")
    button = tab.find("Anmelden", "button")
    if name is None or secret is None or button is None:
        raise RuntimeError(f"no login form: {tab.texts()[:5]}")
    fields = [tab.set_value(name, username), tab.set_value(secret, password)]
    await tab.run([*fields, tab.click(button)], timeout=ACTION_TIMEOUT_S)
    await tab.wait_until(lambda: tab.has_text("Angemeldet als"), ACTION_TIMEOUT_S)
    await tab.goto(page, timeout=ACTION_TIMEOUT_S)
    while not lab.stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(lab.stop.wait(), rng.uniform(*lab.scenario.staff_pause_s))
        if lab.stop.is_set():
            return
        if page == "moderation":
            await release_text(lab, tab, who)
        else:
            await change_filter(lab, tab, rng)


async def release_text(lab: Lab, tab: Tab, who: int) -> None:
    """Release one waiting text (moderators pick different ones); time until it is gone."""
    buttons = tab.find_all("button")
    release = [b for b in buttons if b.label == "Freigeben"]
    if not release:
        await tab.run(timeout=ACTION_TIMEOUT_S)  # look again for new texts
        return
    target = release[(who // 2) % len(release)]
    started, before = time.perf_counter(), tab.full_runs
    await tab.send([tab.click(target)])
    await tab.wait_until(
        lambda: (
            tab.full_runs > before
            and all(n.widget_id != target.widget_id for n in tab.find_all("button"))
        ),
        ACTION_TIMEOUT_S,
    )
    lab.records.staff_action_s.append(time.perf_counter() - started)
    lab.records.staff_actions["release"] += 1


async def change_filter(lab: Lab, tab: Tab, rng: random.Random) -> None:
    """Leave out one category on the planning map, or show all of them again."""
    node = tab.find("Kategorie", "multiselect")
    if node is None:
        raise RuntimeError("no category filter on the planning map")
    options = list(node.widget.options)
    current = tab.widget_states.get(node.widget_id)
    everything = current is None or len(current.string_array_value.data) == len(options)
    chosen = [o for o in options if o != rng.choice(options)] if everything else options
    elapsed = await tab.run([tab.set_value(node, chosen)], timeout=ACTION_TIMEOUT_S)
    lab.records.staff_action_s.append(elapsed)
    lab.records.staff_actions["filter"] += 1


async def _guarded(lab: Lab, name: str, work: Any) -> None:
    try:
        await work
    except Exception as exc:  # one failed person is a finding, not the end of the run
        lab.records.errors.append(f"{name}: {exc!r}"[:300])


async def run_lab(
    url: str,
    code: str,
    scenario: Scenario,
    staff_accounts: list[tuple[str, str, str]],
    routes: tuple[str, ...] = (),
) -> Records:
    """Run the scenario against a running server; staff_accounts: (user, password, page);
    `routes`: the processes behind nginx to spread the people over."""
    lab = Lab(url, code, scenario, routes=routes)
    rng = random.Random(scenario.seed)
    n = scenario.participants
    people = [
        _delayed(
            scenario.join_spread_s * i / max(1, n), participant(lab, i, random.Random(rng.random()))
        )
        for i in range(n)
    ]
    staff = [
        asyncio.create_task(_guarded(lab, f"staff {i}", staff_member(lab, i, *account)))
        for i, account in enumerate(staff_accounts[: scenario.staff])
    ]
    deadline = scenario.join_spread_s + scenario.notes_span_s + 4 * ACTION_TIMEOUT_S
    try:
        await asyncio.wait_for(
            asyncio.gather(*(_guarded(lab, f"participant {i}", p) for i, p in enumerate(people))),
            deadline,
        )
        # The maps catch up with the last notes within a refresh or two.
        drain_until = time.monotonic() + scenario.drain_s
        while lab.visibility.pending and time.monotonic() < drain_until:
            await asyncio.sleep(0.2)
    except TimeoutError:
        lab.records.errors.append(f"the participants did not finish within {deadline:.0f} s")
    finally:
        lab.stop.set()
        if staff:  # asyncio.wait refuses an empty set
            await asyncio.wait(staff, timeout=ACTION_TIMEOUT_S)
        for task in staff:
            task.cancel()
        await asyncio.gather(*(tab.close() for tab in lab.tabs), return_exceptions=True)
    lab.records.errors.extend(f"map not updated for note {k}" for k in lab.visibility.pending)
    lab.records.errors.extend(e for tab in lab.tabs for e in tab.errors)
    return lab.records


async def _delayed(delay: float, work: Any) -> None:
    await asyncio.sleep(delay)
    await work


def check_store(
    db_url: str, quarter_id: str, lab_session_id: int, confirmed: list[int]
) -> dict[str, int]:
    """Confirmed notes not stored (`lost`), submissions stored twice (`duplicated`), and
    notes stored without a confirmation the participant saw (`stored_unconfirmed`)."""
    store = open_store(db_url)
    try:
        pins = [p for p in store.pins_in_quarter(quarter_id) if p.session_id == lab_session_id]
    finally:
        store.close()
    stored = {p.id for p in pins}
    tokens = Counter(p.token for p in pins)
    repeated = sum(count - 1 for count in tokens.values() if count > 1)
    unconfirmed = len(stored - set(confirmed))  # e.g. a save still running at a timeout
    return {
        "stored": len(pins),
        "lost": len(set(confirmed) - stored),
        # One submission (its token) stored twice. A note stored whose confirmation never
        # arrived (a timeout) is `stored_unconfirmed`, not a duplicate.
        "duplicated": repeated,
        "repeated_tokens": repeated,
        "stored_unconfirmed": unconfirmed,
    }


def open_lab(store: Store, title: str, actor: Actor, quarter_id: str = "320") -> LabSession:
    """An open lab table today (Brackel unless told), as the benchmarks seed it."""
    return store.open_session(
        quarter_id=quarter_id,
        title=title,
        held_on=date.today(),
        place="Bürgerhaus",
        format="lab_table",
        actor=actor,
    )


# -- the server process, from /proc -------------------------------------------------
def process_cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
