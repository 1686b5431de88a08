"""Accessibility statement (BITV NRW / EU directive 2016/2102): how far the app meets
WCAG 2.1 AA, what does not yet, where to report a barrier, and the enforcement body."""

import streamlit as st

from ui import resources
from ui.i18n import t

st.title(t("Accessibility statement"))
st.markdown(
    t(
        "The City of Dortmund wants everyone to be able to use this safety map. This "
        "statement applies to the app “Sichere Quartiere”. It follows the law of North "
        "Rhine-Westphalia on accessible information technology (BGG NRW, BITV NRW), which "
        "asks for the standard WCAG 2.1, level AA (EN 301 549).\n\n"
        "**How accessible the app is.** The app is **partly accessible**. We checked it "
        "ourselves in December 2026: in a browser, with the keyboard only and on a phone, "
        "a tablet and a computer.\n\n"
        "**What is not accessible yet**\n\n"
        "- **The map itself.** A map cannot be used by everybody in the same way. Instead of "
        "the map you can choose a place from a list or type it in (tab “Without the map”) "
        "and read every note of a quarter as a list (“All notes as a list”), with its place "
        "in words and “Me too”. The list tells a place by the nearest stop or school only.\n"
        "- The app's framework gets German names for some of its buttons and fields only "
        "once the page has loaded.\n"
        "- The charts of the comparison of quarters (for city staff) are pictures without "
        "a full description in words; their main figures stand in the table “Indicators”.\n"
        "- The plan of measures as PDF is not yet a tagged PDF; the same plan is offered as "
        "a web page.\n\n"
        "**Report a barrier.** If something in the app is hard or impossible for you to use, "
        "please tell us. We answer and look for a solution."
    )
)
contact = resources.settings().feedback_contact
if contact:
    st.markdown(t("Contact for barriers:"))
    st.text(contact)  # as configured, shown as text
else:
    st.markdown(t("Please tell the team of your neighbourhood lab or the City of Dortmund."))
st.markdown(
    t(
        "**If we do not help.** If you did not get a satisfying answer from us, you can turn "
        "to the Ombudsstelle für barrierefreie Informationstechnik des Landes "
        "Nordrhein-Westfalen (the state's ombudsperson for accessible IT, §§ 10d, 10e BGG "
        "NRW). It mediates free of charge: www.lbbp.nrw.de/ombudsstelle\n\n"
        "This statement was written on 2 December 2026."
    )
)
