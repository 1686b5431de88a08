"""“What became of my note?”: the measures linked to a note, in plain words."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from geo.districts import DistrictPack
from layers.basemap import quarter_map
from layers.pins import pins_layer
from rules.measures import MEASURE_TYPES, STATUS_WORDS, Measure
from services.public_plan import is_public
from store import Store
from ui import labels, resources, state
from ui.i18n import md, t
from ui.mapview import show_map
from ui.shared_map import visible_pins

_PICKED = "fate_picked"  # the note last tapped on the map
_NUMBER = "fate_number"
_QUARTER = "fate_quarter"
_FOLLOWED = "fate_followed"  # the note whose quarter the map last opened on


def pick_on_map(store: Store, pack: DistrictPack) -> None:
    """Tap your note on the quarter's map (the public map: places a little shifted)."""
    names = pack.short_labels()
    lab = pack.district_ids
    _follow_the_note(store, lab)
    quarter_id = st.selectbox(t("Quarter"), lab, format_func=lambda q: names[q], key=_QUARTER)
    pins = visible_pins(store, quarter_id)
    fmap = quarter_map(
        pack.districts,
        quarter_id,
        attributions=resources.attributions(),
        basemap=resources.settings().basemap,
    )
    layer = pins_layer(pins, labels.pin_labels(), grouped=True)
    event = show_map(fmap, [layer], key=f"fate_map_{quarter_id}")
    if event is None or not event.on_pin or pins.empty:
        return
    # The tapped marker's place is one of the shown places: take that note.
    distance = (pins.geometry.x - event.lon) ** 2 + (pins.geometry.y - event.lat) ** 2
    st.session_state[_PICKED] = int(pins.loc[distance.idxmin(), "id"])
    st.rerun()


def _follow_the_note(store: Store, lab: Sequence[str]) -> None:
    """Open the map on the quarter of the note chosen (from the link, this browser's own
    notes or typed in), each time another note is chosen."""
    number = st.session_state.get(_NUMBER) or _default_number()
    if number is None or st.session_state.get(_FOLLOWED) == number:
        return
    st.session_state[_FOLLOWED] = number
    pin = store.pin(int(number))
    if pin is not None and pin.quarter_id in lab:
        st.session_state[_QUARTER] = pin.quarter_id


def _default_number() -> int | None:
    linked = st.query_params.get("hinweis")
    mine = state.my_pins()
    return int(linked) if linked and linked.isdigit() else (mine[-1] if mine else None)


def choose_pin() -> int | None:
    """The note to look at: tapped on the map, from the link, from this tab's own
    notes, or typed in."""
    picked = st.session_state.pop(_PICKED, None)
    default = _default_number()
    # The widget's value lives in the session: set it before the widget is made.
    if picked is not None:
        st.session_state[_NUMBER] = picked
    elif _NUMBER not in st.session_state:
        st.session_state[_NUMBER] = default
    number = st.number_input(t("Number of your note"), min_value=1, step=1, key=_NUMBER)
    return int(number) if number else None


def show_fate(store: Store, pin_id: int) -> None:
    pin = store.pin(pin_id)
    if pin is None:
        st.info(t("There is no note with this number."))
        return
    merged = store.merged_into(pin_id) if pin.hidden else None
    if merged is not None:
        # The moderation found the same place and concern twice: the note lives on in
        # the other one (with the supports), and so do the measures.
        st.info(
            t(
                "Your note {number} said the same about the same place as note {other}. "
                "The moderation has merged them: your note counts as a support of note "
                "{other}. What became of note {other}:",
                number=pin_id,
                other=merged,
            )
        )
        _fate_of(store, merged)
        return
    if pin.hidden:
        # Its text and place stay unshown: that is why it was removed.
        st.info(
            t(
                "The moderation has removed note {number} from the map, for example because "
                "it named a person or was not about safety. It is not shown any more.",
                number=pin_id,
            )
        )
        return
    _fate_of(store, pin_id)


def _fate_of(store: Store, pin_id: int) -> None:
    pin = store.pin(pin_id)
    if pin is None:
        return
    st.markdown(
        t(
            "**Note {number}**: “{category}”, {time_band}.",
            number=pin.id,
            category=labels.category(pin.category),
            time_band=labels.time_band(pin.time_band),
        )
    )
    measures = store.measures_for_pin(pin_id)
    if not measures:
        st.info(
            t(
                "No measure is linked to this note yet. Every note goes into the working "
                "groups' discussion; please look again later."
            )
        )
        return
    for measure in measures:
        _measure_card(measure)


def _measure_card(measure: Measure) -> None:
    with st.container(border=True):
        st.markdown(f"**{md(measure.title)}** ({t(MEASURE_TYPES[measure.measure_type])})")
        st.write(t(STATUS_WORDS[measure.status]))
        if measure.status == "rejected" and measure.status_reason:
            st.write(t("The reason given: {reason}", reason=md(measure.status_reason)))
        details = []
        if measure.responsible:
            details.append(t("Responsible: {body}", body=md(measure.responsible)))
        if measure.target_date and measure.status not in ("done", "rejected"):
            details.append(t("Planned by: {day}", day=measure.target_date.strftime("%d.%m.%Y")))
        details.append(t("Last change: {day}", day=measure.updated_at.strftime("%d.%m.%Y")))
        st.caption(" · ".join(details))
        if is_public(measure):  # a proposed measure has no public page yet
            st.page_link(
                "pages/mitmachen/massnahme.py",
                label=t("Open measure {number}", number=measure.id),
                query_params={"nr": str(measure.id)},
                icon=":material/arrow_forward:",
            )
