"""What the app is for and how to take part, in Leichte Sprache (easy-to-read German;
easy English when switched)."""

import streamlit as st

from ui.i18n import t

st.title(t("Easy read"))
# One sentence per line, as Leichte Sprache asks: each line break is kept as a break.
st.markdown(
    t(
        "**What is this website?**\n\n"
        "This website is a map of Dortmund.\n\n"
        "It is about 3 parts of the city:\n\n"
        "- Bövinghausen\n"
        "- Brackel\n"
        "- Phoenix-See\n\n"
        "On the map you can show:\n"
        "Here I do not feel safe.\n\n"
        "**Why?**\n\n"
        "The City of Dortmund wants to know:\n"
        "Where do people feel unsafe?\n\n"
        "Then the city can do something.\n"
        "For example:\n\n"
        "- put up more lights\n"
        "- cut back bushes\n"
        "- make a crossing safer\n\n"
        "**How do I take part?**\n\n"
        "1. You go to a meeting in your part of the city.\n"
        "   The meeting is called a neighbourhood lab.\n"
        "2. There you get a code.\n"
        "   The code is a short word of letters and numbers.\n"
        "3. You type in the code.\n"
        "4. You tap the map.\n"
        "   Tap the place where you feel unsafe.\n"
        "5. You choose: Why do you feel unsafe?\n"
        "   For example: It is too dark.\n"
        "6. You choose: When do you feel unsafe?\n"
        "   For example: at night.\n"
        "7. You tap on “Save note”.\n\n"
        "You can also choose a place without the map.\n"
        "Then tap on “Without the map”.\n\n"
        "**Other people feel the same?**\n\n"
        "You can see the notes of other people.\n"
        "Do you feel the same?\n"
        "Then tap on “Me too”.\n\n"
        "**What happens next?**\n\n"
        "The city reads all notes.\n"
        "The city decides what to do.\n"
        "On the page “What became of my note?”\n"
        "you can see what the city does.\n\n"
        "**Is my name saved?**\n\n"
        "No.\n"
        "You do not need to say your name.\n"
        "Please do not write names.\n"
        "More about this is on the page “Privacy”."
    ).replace("\n", "  \n")
)
