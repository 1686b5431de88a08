"""The presentation view of a lab session: code, QR code and a live count, big enough for a
projector in the hall (the code readable from 10 m), without the app's menu.

It is a page of its own (pages/stadt/praesentation.py, address
/praesentation?sitzung=<id>) that the code card opens in a new tab: that tab keeps the
staff login through its cookie, can be dragged to the projector and put on full screen,
and reloads into the same view. Only the count refreshes itself (a fragment every
REFRESH_S seconds, one query, no map); when the session is closed or reopened, the whole
view is drawn again.

The timed refresh neither checks nor renews the login: the view was opened by staff, it
shows only what the hall sees anyway (the code and two numbers), and a projector left on
for hours must not turn into a login page, nor keep a login alive.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable

import streamlit as st

from geo.districts import DistrictPack
from layers.qr import qr_png
from rules.labs import LabSession
from services.lab_presentation import short_address
from store import Store
from store.session_tally import SessionTally
from ui import resources
from ui.i18n import t, tn
from ui.quarter_picker import quarter_label

URL_PATH = "praesentation"  # registered under this address in app.py
SESSION_PARAM = "sitzung"
REFRESH_S = 5.0
_LONGEST_ID = 18  # digits: any longer overflows a 64-bit integer

# Scoped to this view: the style element is part of this page only, so the menu, the
# header and the top bar's language button come back on every other page. Sizes follow
# the viewport (vh on a projector, vw on a screen held upright; the code also its
# column's width); black on white, like the QR code.
_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], .st-key-language_top { display: none !important; }
.stApp, [data-testid="stMain"] { background: #ffffff; }
[data-testid="stMainBlockContainer"] {
    max-width: none; min-height: 100vh; box-sizing: border-box; padding: 3vh 3vw;
    display: flex; flex-direction: column; justify-content: safe center;
}
[data-testid="stMainBlockContainer"] > div { flex: 0 0 auto; }
[data-stale="true"] { opacity: 1 !important; }
.sq-show { color: #111111; line-height: 1.1; }
.sq-show h1 {
    font-size: 7vh; font-weight: 700; margin: 0; padding: 0; color: #111111; line-height: 1.1;
}
.sq-show .sq-title { font-size: 3.6vh; margin: 0.6vh 0 0 0; }
.sq-show .sq-step { font-size: 4vh; margin: 2.5vh 0 0 0; }
.sq-show .sq-address { font-size: 6vh; font-weight: 700; margin: 0.5vh 0 0 0; }
/* Monospaced: every code is 6 x 0.6 em wide plus the gap (3.9 em), so 25 % of the
   column's width (cqi) always fits, however wide its letters; 26 vh is the aim. */
.sq-show .sq-fit { container-type: inline-size; }
.sq-show .sq-code {
    font-family: "Source Code Pro", monospace; font-size: min(26vh, 25cqi); font-weight: 700;
    line-height: 1; margin: 0.5vh 0 0 0; white-space: nowrap;
}
.sq-show .sq-code span + span { margin-left: 0.3em; }
.sq-show .sq-qr { display: flex; flex-direction: column; align-items: center; }
.sq-show .sq-qr img {
    width: min(55vh, 31vw); max-width: 100%; height: auto; image-rendering: pixelated;
}
.sq-show .sq-scan { font-size: 4vh; margin: 1vh 0 0 0; text-align: center; }
.sq-show .sq-count { font-size: min(6.5vh, 3.2vw); font-weight: 700; margin: 1vh 0 0 0; }
.sq-show .sq-count span { white-space: nowrap; }
.sq-show .sq-closed {
    font-size: 9vh; font-weight: 800; margin: 6vh 0 2vh 0;
    border-left: 2vw solid #111111; padding-left: 2vw;
}
.sq-show .sq-note { font-size: max(2.4vh, 0.875rem); margin: 1vh 0 0 0; }
.sq-show p, .sq-show h1 { overflow-wrap: anywhere; }
/* A screen held upright (a tablet): one column, sizes by the width. */
@media (orientation: portrait) {
    [data-testid="stHorizontalBlock"] { flex-direction: column; }
    [data-testid="stColumn"] { width: 100% !important; flex: 1 1 auto !important; }
    .sq-show h1 { font-size: max(7vw, 1.6rem); }
    .sq-show .sq-title { font-size: max(3.6vw, 1rem); }
    .sq-show .sq-step { font-size: max(4vw, 1rem); margin-top: 2vw; }
    .sq-show .sq-address { font-size: max(6vw, 1.3rem); }
    .sq-show .sq-qr img { width: min(80vw, 36vh); }
    .sq-show .sq-scan { font-size: max(4vw, 1rem); }
    .sq-show .sq-count { font-size: max(6vw, 1.3rem); }
    .sq-show .sq-closed { font-size: max(8vw, 1.6rem); }
    .sq-show .sq-note { font-size: max(2.4vw, 0.875rem); }
}
</style>
"""


def presentation_link(session_id: int) -> str:
    """The view's address relative to a staff page's (so it holds behind a base path)."""
    return f"{URL_PATH}?{SESSION_PARAM}={session_id}"


def presentation_view(store: Store, pack: DistrictPack, *, link_for: Callable[[str], str]) -> None:
    """The whole view for the session in the address; a plain message if there is none.
    `link_for` makes a code's join link (the link of the code card's QR code)."""
    session = _session_asked_for(store)
    if session is None:
        st.error(
            t(
                "This presentation view needs an existing lab session. Open it from the "
                "code card on the lab sessions page."
            )
        )
        st.page_link("pages/stadt/sitzungen.py", label=t("Lab sessions"), icon=":material/groups:")
        return
    st.html(_CSS)
    tally = store.session_tally(session.id)
    is_open = tally is not None and tally.is_open
    header = _header(quarter_label(pack, session.quarter_id), session.title)
    if not is_open:
        closed = _para("sq-closed", t("This lab session is closed."))
        no_more = _para("sq-step", t("Notes can no longer be added to it."))
        st.html(f'<div class="sq-show">{header}{closed}{no_more}</div>')
        _live_count(store, session.id, False)
        return
    join_link = link_for(session.join_code)
    words, picture = st.columns([13, 7], vertical_alignment="center", gap="large")
    with words:
        st.html(f'<div class="sq-show">{header}{_joining(session.join_code, join_link)}</div>')
        _live_count(store, session.id, True)
        if resources.settings().demo:
            demo = _para(
                "sq-note", t("Demo mode: every note and every demo layer here is invented.")
            )
            st.html(f'<div class="sq-show">{demo}</div>')
    with picture:
        st.html(_qr(join_link))


def _session_asked_for(store: Store) -> LabSession | None:
    raw = str(st.query_params.get(SESSION_PARAM, "")).strip()
    # ASCII digits only ("²" is a digit to str.isdigit), and short enough for the database.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > _LONGEST_ID:
        return None
    return store.session(int(raw))


def _para(css_class: str, text: str) -> str:
    """A paragraph of plain text (escaped: titles are user text, never markup)."""
    return f'<p class="{css_class}">{html.escape(text)}</p>'


def _header(quarter: str, title: str) -> str:
    return f"<h1>{html.escape(quarter)}</h1>{_para('sq-title', title)}"


def _joining(code: str, link: str) -> str:
    """How to take part without the QR code: open the short address, type the code."""
    halves = (code[: len(code) // 2], code[len(code) // 2 :])
    spans = "".join(f"<span>{html.escape(half)}</span>" for half in halves if half)
    return (
        _para("sq-step", t("On your phone, open"))
        + _para("sq-address", short_address(link))
        + _para("sq-step", t("and enter the code:"))
        + f'<div class="sq-fit"><p class="sq-code">{spans}</p></div>'
    )


def _qr(link: str) -> str:
    encoded = base64.b64encode(qr_png(link, scale=6)).decode("ascii")
    alt = t("QR code with the address of the lab")
    caption = _para("sq-scan", t("Scan to take part"))
    return (
        f'<div class="sq-show"><div class="sq-qr">'
        f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt)}">'
        f"{caption}</div></div>"
    )


def _count_html(tally: SessionTally) -> str:
    """ "N Hinweise · M Unterstützungen", broken (if at all) only at the dot."""
    notes = tn("{count} note", "{count} notes", tally.notes)
    supports = tn("{count} support", "{count} supports", tally.supports)
    return (
        f'<p class="sq-count"><span>{html.escape(notes)}</span> · '
        f"<span>{html.escape(supports)}</span></p>"
    )


@st.fragment(run_every=REFRESH_S)
def _live_count(store: Store, session_id: int, drawn_open: bool) -> None:
    """The session's count, read again every REFRESH_S seconds; the whole view again when
    the session was closed or reopened meanwhile."""
    tally = store.session_tally(session_id)
    if tally is None or tally.is_open != drawn_open:
        st.rerun()
    assert tally is not None  # st.rerun does not return
    st.html(f'<div class="sq-show">{_count_html(tally)}</div>')
