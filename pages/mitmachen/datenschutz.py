"""Privacy notice in plain German (English when switched)."""

import streamlit as st

from ui.i18n import t

st.title(t("Privacy"))
st.markdown(
    t(
        "**What we store.** Where you set a note, what it is about, when it feels unsafe, "
        "how unsafe (if you say), your text (if you write one), the lab you took part in and "
        "the time.\n\n"
        "**What we do not store.** No name, no e-mail, no IP address, no device identifier. "
        "You take part without an account. A random number for this browser tab only keeps "
        "you from adding many notes at once and from supporting a note twice; it is gone "
        "when you close the tab.\n\n"
        "**Who sees what.** Everyone sees notes on the public map a little shifted (to a "
        "25-metre grid), and texts only after a moderator read them. Where there are very "
        "few notes, single places are hidden so nobody can be recognised. City staff "
        "working on the plan of measures see the exact places.\n\n"
        "**Please do not write names or other personal details.** A moderator removes them.\n\n"
        "**How long.** Free texts are deleted after the plan of measures is adopted; the "
        "category, place and counts stay for the plan.\n\n"
        "**Questions.** Ask the team at your lab or the city's data protection officer "
        "(Stadt Dortmund, Datenschutzbeauftragte)."
    )
)
