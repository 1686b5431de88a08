"""Sichere Quartiere: the frame around the pages (config, sidebar, navigation)."""

from pathlib import Path

import streamlit as st

from ui import resources
from ui.auth import current_login, sidebar_login_state, sso_login
from ui.i18n import language, language_switch, t
from ui.page_metrics import run_measured
from ui.theme import apply_style, hide_menu_entries

# A local image: a ":material/…" page icon makes every visitor's browser fetch it from
# a Google font server.
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"
# Residents (no staff login) start with the menu closed: on a tablet the open menu took a
# third of the width from the map and the form.
st.set_page_config(
    page_title="Sichere Quartiere",
    page_icon=str(FAVICON),
    layout="wide",
    initial_sidebar_state="expanded" if current_login(touch=False) else "collapsed",
)
apply_style()

st.sidebar.markdown("### Sichere Quartiere")
st.sidebar.caption(t("Safety map of the Dortmund neighbourhood labs"))
language_switch()
# Read by static/page.js: the page's lang attribute and whether to translate Streamlit.
st.sidebar.html(f'<span id="sq-language" data-language="{language()}"></span>')
sso_login(resources.store())
sidebar_login_state()

# The page files sit in sub-folders of pages/: a .py file directly in pages/ would make
# Streamlit run it as an old-style page, without this frame, whenever a server's first
# request asks for it. Every staff page checks the role itself; the menu only groups them.
# The staff pages: file pages/stadt/<name>.py at address /<name>.
STAFF_PAGES = (
    ("anmelden", t("Log in"), ":material/login:"),
    ("sitzungen", t("Lab sessions"), ":material/groups:"),
    ("moderation", t("Moderation"), ":material/fact_check:"),
    ("planer", t("Planning map"), ":material/map:"),
    ("vergleich", t("Comparison of quarters"), ":material/compare:"),
    ("massnahmen", t("Plan of measures"), ":material/checklist:"),
    ("daten", t("Data layers"), ":material/layers:"),
    ("verwaltung", t("Administration"), ":material/admin_panel_settings:"),
)
# The residents' pages: file pages/mitmachen/<file>.py at address /<url path>; one
# without an icon is in nobody's menu, reached by its links only.
RESIDENT_PAGES = (
    ("karte", "karte", t("Shared map"), ":material/pin_drop:"),
    ("mein_hinweis", "mein-hinweis", t("What became of my note?"), ":material/track_changes:"),
    ("plan", "plan", t("What the city does"), ":material/checklist:"),
    # One measure's own public address (/massnahme?nr=12), linked from the plan,
    # from "What became of my note?" and as a QR on the printed plan.
    ("massnahme", "massnahme", t("Measure"), None),
    # A follower's confirmation and unsubscribe links from the mails.
    ("folgen", "folgen", t("Follow my note"), None),
    ("datenschutz", "datenschutz", t("Privacy"), ":material/shield:"),
    ("leichte_sprache", "leichte-sprache", t("Easy read"), ":material/menu_book:"),
    ("barrierefreiheit", "barrierefreiheit", t("Accessibility"), ":material/accessibility_new:"),
)
pages = {
    t("Take part"): [
        st.Page(
            f"pages/mitmachen/{file}.py",
            title=title,
            icon=icon,
            url_path=url_path,
            default=file == "karte",
            visibility="visible" if icon else "hidden",
        )
        for file, url_path, title, icon in RESIDENT_PAGES
    ],
    t("City staff"): [
        *(
            st.Page(f"pages/stadt/{name}.py", title=title, icon=icon, url_path=name)
            for name, title, icon in STAFF_PAGES
        ),
        # A lab's view for the projector: opened from its code card, in nobody's menu.
        st.Page(
            "pages/stadt/praesentation.py",
            title=t("Presentation view"),
            url_path="praesentation",
            visibility="hidden",
        ),
    ],
}
if current_login(touch=False) is None:
    # Residents see the staff pages' entries only as "Log in" (each page checks the role
    # itself; the pages stay reachable by address, for a staff member's bookmark).
    hide_menu_entries(name for name, _title, _icon in STAFF_PAGES if name != "anmelden")
# Every entry shown: the collapsed menu's "View 3 more" is Streamlit's English.
run_measured(st.navigation(pages, expanded=True))
