"""Privacy notice in plain German (English when switched): what is stored, what links
it, who sees it, how long, and who else the visitor's browser talks to."""

import streamlit as st

from ui import resources
from ui.i18n import t

st.title(t("Privacy"))
st.markdown(
    t(
        "**What we store.** Where you set a note, what it is about, when it feels unsafe, "
        "how unsafe (if you say), your text (if you write one), the lab you took part in and "
        "the time.\n\n"
        "**A random number for this browser, in a cookie.** When you open the app, it keeps a "
        "random number in a small cookie of your browser for 12 hours. The number is stored "
        "with every note, every “Me too” and every report you give. It keeps anyone from "
        "adding many notes at once and from supporting or reporting a note twice, also in "
        "another tab or after a reload. After a reload it also shows you the numbers of your "
        "own notes in the lab. It is drawn at random, not read from your device, and "
        "says nothing about who you are, but it does link the notes, supports and reports "
        "given in this browser to each other. The cookie goes only to this app. It needs no "
        "consent, because it is strictly necessary for taking part, which you ask for "
        "(§ 25 (2) no. 2 TDDDG). On a shared tablet, “Next person at this device” gives the "
        "next person a number of their own. When the free texts are deleted (below), this "
        "link is deleted too.\n\n"
        "**What we do not store.** No name, no IP address, no device identifier, and no "
        "e-mail address unless you give one to follow your note (below). You take part "
        "without an account.\n\n"
        "**Who sees what.** Everyone sees notes on the public map a little shifted (to a "
        "25-metre grid), and texts only after a moderator read them. Where there are very "
        "few notes, single places are hidden so nobody can be recognised. City staff "
        "working on the plan of measures see the exact places.\n\n"
        "**Please do not write names or other personal details.** A moderator removes them.\n\n"
        "**How long.** Free texts, and the random numbers that link notes, are deleted after the "
        "plan of measures is adopted; the category, place and counts stay for the plan.\n\n"
        "**Questions.** Ask the team at your lab or the city's data protection officer "
        "(Stadt Dortmund, Datenschutzbeauftragte)."
    )
)
basemap = resources.settings().basemap
if basemap is not None:
    st.markdown(
        t(
            "**The background map.** The map's streets come from {operator} ({host}). This "
            "app's server fetches them and keeps them; your browser loads them only from "
            "this app, so {operator} never sees your IP address or what you look at. It only "
            "sees that this server asks for map sections of Dortmund. Your notes are never "
            "sent there. No other service is contacted."
        ).format(operator=basemap.operator, host=basemap.host)
    )
st.markdown(
    t(
        "**Photos.** You may add up to three photos to a note. Before a photo is stored, the "
        "app removes everything a camera writes into it besides the picture (such as the "
        "place, the time and the device) and makes it smaller. A moderator looks at each "
        "photo first and can blur faces or number plates; only then is it shown to everyone. "
        "Photos are deleted together with the free texts.\n\n"
        "**Comments on measures.** While a measure is open for discussion, you can say that "
        "you like it and write a comment. Comments are shown after a moderator read them and "
        "are deleted together with the free texts.\n\n"
        "**If you want to be told by e-mail.** After saving a note you can give an e-mail "
        "address to be told what becomes of it. It is stored apart from the note and used "
        "only for these mails. It is deleted when the last measure for your note is done or "
        "rejected, when the free texts are deleted, if you do not confirm it within 7 days, "
        "or at once with the link in every mail.\n\n"
        "**Taking a note back.** Within 10 minutes of saving, you can take your note back "
        "from the same browser; it is then deleted completely."
    )
)
st.markdown(
    t(
        "**For city staff: a login cookie.** After logging in, staff get a second small "
        "cookie with a random login number, so that a reload or a new tab keeps them logged "
        "in. Only a fingerprint of the number is stored with the account. The login ends "
        "after 60 minutes without use or when they log out. The cookie is strictly necessary "
        "for the login they ask for (§ 25 (2) no. 2 TDDDG)."
    )
)
