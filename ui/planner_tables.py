"""Counts, the small pin table, perceived beside recorded, and exports."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

from formats.export import FORMATS, MEDIA_TYPES, SUFFIXES, export
from formats.geotiff import geotiff_bytes
from geo.districts import DistrictPack
from geo.perception import perceived_vs_recorded
from geo.raster import Raster
from rules.errors import StoreError
from rules.local_time import BERLIN
from services.csv_labels import pins_csv_labels
from services.layer_registry import by_id
from ui import labels, resources
from ui.i18n import language, t, tn
from ui.planner_filters import PlannerView

TABLE_ROWS = 200
_EXPORT = "planner_export"  # (what was asked for, the file) of the last export made


def counts(view: PlannerView, shown: gpd.GeoDataFrame, total: int) -> None:
    first, second, third = st.columns(3)
    first.metric(
        t("Notes shown"),
        f"{len(shown):,}".replace(",", "."),
        help=t("of {total} in the chosen quarters", total=total),
    )
    second.metric(t("Quarters"), len(view.pin_filter.quarter_ids))
    third.metric(t("Layers"), len(view.layers))


def pin_table(shown: gpd.GeoDataFrame) -> None:
    rows = shown.sort_values("created_at", ascending=False).head(TABLE_ROWS)
    table = pd.DataFrame(
        {
            t("Reported on"): rows["created_at"]
            .dt.tz_convert(BERLIN)
            .dt.strftime("%d.%m.%Y %H:%M"),
            t("Quarter"): rows["quarter_id"],
            t("What"): rows["category"].map(labels.category),
            t("When"): rows["time_band"].map(labels.time_band),
            t("How unsafe"): rows["severity"].map(
                lambda s: labels.severity(None if pd.isna(s) else int(s))
            ),
            t("Me too"): rows["supports"],
            t("Photos"): _released_photo_counts(rows),
            t("Text"): rows["text"],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", height=280)
    if len(shown) > TABLE_ROWS:
        st.caption(
            t(
                "The newest {rows} of {count} notes; the export holds all.",
                rows=TABLE_ROWS,
                count=len(shown),
            )
        )


def _released_photo_counts(rows: gpd.GeoDataFrame) -> list[int]:
    """How many released photos each note of `rows` has (0 where the store fails)."""
    ids = rows["id"].astype(int).tolist()
    try:
        photos = resources.opened_store().released_photo_ids(ids)
    except StoreError:
        photos = {}
    return [len(photos.get(pin_id, [])) for pin_id in ids]


def perception_table(
    pack: DistrictPack,
    shown: gpd.GeoDataFrame,
    survey: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    quarter_ids: list[str],
) -> None:
    st.subheader(t("Felt and recorded safety, side by side"))
    st.caption(
        t(
            "Notes and survey answers (how people feel) stand beside police-recorded "
            "accidents (what was recorded). They are never added up into one score."
        )
    )
    if not quarter_ids:
        return
    zones = pack.districts.loc[quarter_ids, ["district_id", "geometry"]].rename(
        columns={"district_id": "zone_id"}
    )
    table = perceived_vs_recorded(pins=shown, survey=survey, accidents=accidents, zones=zones)
    names = {q.district_id: q.label for q in pack.quarters}
    table.index = [names.get(i, pack.name(i)) for i in table.index]
    columns = {
        "pins": t("notes"),
        "pins_dark": t("notes 'too dark'"),
        "survey_answers": t("survey answers"),
        "survey_mean_rating": t("mean felt safety (1–5)"),
        "accidents": t("accidents"),
        "accidents_daylight": t("in daylight"),
        "accidents_dusk": t("at dusk"),
        "accidents_dark": t("in the dark"),
    }
    shown_columns = [c for c in columns if c in table.columns]
    table = table[shown_columns].copy()
    if "survey_mean_rating" in table.columns:
        # No answers is a dash, not "None"; one decimal with a German comma.
        table["survey_mean_rating"] = table["survey_mean_rating"].map(_one_decimal)
    st.dataframe(table.rename(columns=columns), width="stretch")


def _one_decimal(value: object) -> str:
    if not isinstance(value, int | float) or value != value:  # None or NaN
        return "–"
    return f"{value:.1f}".replace(".", ",")


def export_panel(
    view: PlannerView,
    shown: gpd.GeoDataFrame,
    frames: dict[str, gpd.GeoDataFrame],
    raster: Raster | None = None,
) -> None:
    """Download exactly what is filtered, with every source's attribution inside."""
    st.subheader(t("Export"))
    choices: dict[str, tuple[str, gpd.GeoDataFrame, list[str]]] = {
        "pins": (t("notes (filtered)"), shown, list(resources.attributions()))
    }
    for meta in view.layers:
        choices[meta.id] = (meta.name(language()), frames[meta.id], [meta.attribution_line()])
    left, right = st.columns(2)
    what = left.selectbox(
        t("What"), options=list(choices), format_func=lambda k: choices[k][0], key="export_what"
    )
    fmt = right.selectbox(
        t("Format"),
        options=list(FORMATS),
        format_func=lambda f: {"geojson": "GeoJSON", "gpkg": "GeoPackage", "csv": "CSV (zip)"}[f],
        key="export_format",
    )
    _label, frame, sources = choices[what]
    about = {
        "exported_on": date.today().isoformat(),
        "filter": view.pin_filter.describe(),
        "demo": resources.settings().demo if what == "pins" else _is_demo(view, what),
    }
    name = "pins" if what == "pins" else what
    # Made on request, not on every run: 10,000 notes as GeoJSON take a tenth of a
    # second, and every filter change would pay it.
    wanted = (what, fmt, about["filter"], len(frame), about["demo"])
    made = st.session_state.get(_EXPORT)
    if made is None or made[0] != wanted:
        slot = st.empty()  # the button goes once the file is there
        if slot.button(
            tn("Prepare the file ({count} row)", "Prepare the file ({count} rows)", len(frame)),
            key="export_make",
        ):
            data = export(
                frame, fmt, name=name, sources=sources, about=about, csv_labels=pins_csv_labels()
            )
            made = st.session_state[_EXPORT] = (wanted, data)
            slot.empty()
    if made is not None and made[0] == wanted:
        st.download_button(
            tn("Download {count} row", "Download {count} rows", len(frame)),
            data=made[1],
            file_name=f"sichere-quartiere-{what}{SUFFIXES[fmt]}",
            mime=MEDIA_TYPES[fmt],
            key="export_download",
            type="primary",
        )

    if raster is not None:
        st.download_button(
            t("Download the analysis as GeoTIFF"),
            data=geotiff_bytes(raster),
            file_name=f"sichere-quartiere-{view.analysis}-{view.analysis_quarter}.tif",
            mime="image/tiff",
            key="export_geotiff",
        )


def _is_demo(view: PlannerView, layer_id: str) -> bool:
    meta = by_id(view.layers).get(layer_id)
    return bool(meta and meta.demo)
