"""The planner's data page: upload, preview, import, list and remove layers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from formats.importers import ImportPreview, read_layer
from geo.geometry_kinds import kind_of
from rules.errors import SQError
from rules.layer_meta import LAYER_TYPES, LayerMeta, importer_type, slugify
from rules.roles import Action, Actor, allowed
from services.layer_registry import by_id, copies_of, places_digest, same_name
from store import Store
from ui import state
from ui.i18n import error_text, language, md, t, tn
from ui.layer_registry import all_layers, city, known_digests

MAX_UPLOAD_MB = 50
UPLOAD_TYPES = ["geojson", "json", "gpkg", "zip", "csv"]
_PREVIEW = "data_preview"
_IMPORTED = "data_imported"  # the last import's message, shown once where the form was
_ROUND = "data_upload_round"  # a new number after each import: an empty uploader and form
PREVIEW_ROWS = 10


@dataclass(frozen=True, slots=True)
class _Preview:
    digest: str
    layer_type: str
    preview: ImportPreview
    places: str  # services.layer_registry.places_digest of the preview's features


def upload_section(store: Store, *, demo_mode: bool, actor: Actor) -> None:
    st.subheader(t("Add a layer"))
    st.caption(
        t(
            "Files up to {mb} MB: GeoJSON, GeoPackage, zipped Shapefile, CSV, GTFS zip.",
            mb=MAX_UPLOAD_MB,
        )
    )
    upload_round = int(st.session_state.get(_ROUND, 0))
    upload = st.file_uploader(t("File"), type=UPLOAD_TYPES, key=f"data_file_{upload_round}")
    layer_type = st.selectbox(
        t("What is in the file?"),
        options=list(LAYER_TYPES),
        format_func=lambda k: t(LAYER_TYPES[k]),
        key="data_type",
    )
    imported = st.session_state.pop(_IMPORTED, None)
    if upload is None:
        if imported:
            st.success(imported)
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    held = st.session_state.get(_PREVIEW)
    if not (isinstance(held, _Preview) and held.digest == digest and held.layer_type == layer_type):
        try:
            preview = read_layer(
                data,
                filename=upload.name,
                layer_type=importer_type(layer_type),
                city=city(),
                max_bytes=MAX_UPLOAD_MB * 1024 * 1024,
            )
        except SQError as exc:
            st.error(error_text(exc))
            st.session_state[_PREVIEW] = None
            return
        held = _Preview(
            digest=digest,
            layer_type=layer_type,
            preview=preview,
            places=places_digest(preview.frame),
        )
        st.session_state[_PREVIEW] = held
    show_preview(held.preview)
    copies = copies_of(held.places, known_digests(store))
    if copies:
        st.warning(
            tn(
                "The features of this file lie exactly where those of the layer {names} lie: "
                "it is probably a copy. A second copy is stored only if you confirm it below.",
                "The features of this file lie exactly where those of the layers {names} lie: "
                "it is probably a copy. A second copy is stored only if you confirm it below.",
                len(copies),
                names=", ".join(f"„{md(m.name(language()))}“" for m in copies),
            )
        )
    metadata_form(
        store,
        held,
        default_name=upload.name.rsplit(".", 1)[0],
        demo_mode=demo_mode,
        actor=actor,
        copy_of=copies,
        upload_round=upload_round,
    )


def show_preview(preview: ImportPreview) -> None:
    frame = preview.frame
    west, south, east, north = frame.total_bounds
    first, second, third = st.columns(3)
    first.metric(t("Features"), len(frame))
    second.metric(t("Left out"), len(preview.dropped))
    third.metric(t("Source CRS"), preview.source_crs)
    st.caption(
        t(
            "Extent: {west:.4f}–{east:.4f} E, {south:.4f}–{north:.4f} N",
            west=west,
            east=east,
            south=south,
            north=north,
        )
    )
    for note in _changes(preview):
        st.info(note)
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name).head(PREVIEW_ROWS))
    table["geometry"] = frame.geometry.head(PREVIEW_ROWS).to_wkt(rounding_precision=6)
    st.dataframe(table, hide_index=True, width="stretch")
    if preview.dropped:
        st.warning(
            tn(
                "{count} feature would be left out:",
                "{count} features would be left out:",
                len(preview.dropped),
            )
        )
        st.dataframe(
            pd.DataFrame(
                {
                    t("row"): [d.row for d in preview.dropped],
                    t("reason"): [t(d.reason) for d in preview.dropped],
                }
            ),
            hide_index=True,
            width="stretch",
            height=min(35 * len(preview.dropped) + 38, 250),
        )


def _changes(preview: ImportPreview) -> list[str]:
    """What the import changed or assumed, said before anything is saved."""
    notes = []
    if preview.crs_assumed:
        notes.append(
            t(
                "The file does not name its coordinate system; it was read as {crs}, the "
                "standard for GeoJSON and for longitude and latitude. Please check on the map "
                "that the features lie where they should.",
                crs=preview.source_crs,
            )
        )
    if preview.repaired:
        notes.append(
            t(
                "Invalid geometries were repaired (rows {rows}); please check them.",
                rows=_rows(preview.repaired),
            )
        )
    if preview.clipped:
        notes.append(
            t("Features were cut at the city boundary (rows {rows}).", rows=_rows(preview.clipped))
        )
    if preview.flattened:
        notes.append(t("The file has heights (Z); the map keeps the positions only."))
    return notes


def _rows(rows: tuple[int, ...], shown: int = 10) -> str:
    listed = ", ".join(str(r) for r in rows[:shown])
    return listed + (" …" if len(rows) > shown else "")


def metadata_form(
    store: Store,
    held: _Preview,
    *,
    default_name: str,
    demo_mode: bool,
    actor: Actor,
    copy_of: list[LayerMeta],
    upload_round: int,
) -> None:
    """The layer's name and sources; a copy of a known layer needs a yes. After an
    import the page starts again with an empty uploader and form."""
    with st.form(f"data_meta_{upload_round}"):
        name_de = st.text_input(t("Name (German)"), value=default_name, max_chars=80)
        name_en = st.text_input(t("Name (English, optional)"), max_chars=80)
        source = st.text_input(t("Source (who published it, where)"), max_chars=300)
        licence = st.text_input(t("Licence"), max_chars=120)
        attribution = st.text_input(t("Attribution to show on the map"), max_chars=200)
        data_date = st.text_input(t("Date of the data (e.g. 2024-06)"), max_chars=20)
        demo = st.checkbox(t("This is demo data, not real"), value=demo_mode)
        copy_ok = bool(copy_of) and st.checkbox(
            t("Yes, store this copy as a layer of its own"), key=f"data_copy_ok_{upload_round}"
        )
        submitted = st.form_submit_button(t("Import"), type="primary")
    if not submitted:
        return
    missing = [
        label
        for label, value in (
            (t("Source"), source),
            (t("Licence"), licence),
            (t("Attribution"), attribution),
        )
        if not value.strip()
    ]
    if missing:
        st.error(t("Please fill in: {fields}.", fields=", ".join(missing)))
        return
    if copy_of and not copy_ok:
        st.error(t("Nothing was stored: please confirm that you want a second copy."))
        return
    namesake = same_name(name_de, all_layers(store)) or (
        same_name(name_en, all_layers(store)) if name_en.strip() else None
    )
    if namesake is not None:
        st.error(
            t(
                "A layer named {name} exists already. Please choose another name, so the "
                "two can be told apart on the map.",
                name=md(namesake.name(language())),
            )
        )
        return
    try:
        frame = held.preview.frame
        meta = LayerMeta(
            id=slugify(name_de),
            name_de=name_de.strip(),
            name_en=(name_en or name_de).strip(),
            layer_type=held.layer_type,
            kind=kind_of(frame),
            source=source.strip(),
            licence=licence.strip(),
            attribution=attribution.strip(),
            data_date=data_date.strip() or None,
            demo=demo,
        )
        stored = store.add_layer(meta, frame, actor=actor)
    except SQError as exc:
        st.error(error_text(exc))
        return
    st.session_state[_PREVIEW] = None
    st.session_state[_ROUND] = upload_round + 1
    st.session_state[_IMPORTED] = tn(
        "Imported {count} feature as {name}.",
        "Imported {count} features as {name}.",
        stored.feature_count,
        name=md(stored.name_de),
    )
    st.rerun()


def layer_list(store: Store, actor: Actor) -> None:
    st.subheader(t("Layers"))
    layers = all_layers(store)
    rows = [
        {
            t("Name"): m.name(language()),
            t("Type"): t(LAYER_TYPES.get(m.layer_type, m.layer_type)),
            t("Features"): m.feature_count,
            t("Real or demo"): t("demo") if m.demo else t("real data"),
            t("Source"): m.source,
            t("Licence"): m.licence,
            t("Attribution"): m.attribution,
            t("Date"): m.data_date or "–",
        }
        for m in layers
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    removable = [m for m in layers if not m.builtin]
    if not removable or not allowed(actor.role, Action.MANAGE_LAYERS):
        return
    with st.form("data_remove"):
        chosen = st.selectbox(
            t("Remove a layer"),
            key="remove_layer",
            options=[m.id for m in removable],
            format_func=lambda i: by_id(removable)[i].name(language()),
        )
        sure = st.checkbox(t("Yes, remove it with all its features"), key="remove_sure")
        if st.form_submit_button(t("Remove"), key="remove_submit"):
            if not sure:
                st.error(t("Please confirm first."))
            else:
                try:
                    store.remove_layer(chosen, actor=actor)
                except SQError as exc:
                    st.error(error_text(exc))
                else:
                    state.flash(t("Removed."))
                    st.rerun()
