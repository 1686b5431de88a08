"""The planner's map: filtered pins, chosen layers, one analysis overlay."""

from __future__ import annotations

from dataclasses import dataclass, field

import folium
import geopandas as gpd
import numpy as np
import shapely
import streamlit as st

from config.basemaps import Basemap
from geo.crs import STORAGE_CRS
from geo.density import density_raster
from geo.districts import DistrictPack
from geo.hotspots import hotspots
from geo.lighting import dark_points, distance_to_lamp_raster
from geo.nearby import with_supports
from geo.raster import Raster
from layers.basemap import districts_map
from layers.features import feature_layer, fit_once
from layers.pins import pins_layer
from layers.planner_symbols import layer_icons
from layers.raster import DARKNESS, HEAT, colourise, image_overlay
from layers.styles import fields_for, style_for
from rules.errors import SQError
from ui import labels, resources
from ui.i18n import error_text, language, t, tn
from ui.mapview import DrawnMap, draw, layers_script, show_drawn
from ui.planner_filters import PlannerView
from ui.planner_legend import planner_legend, show_legend


@dataclass
class Overlay:
    """What an analysis adds to the map, and what it says about itself."""

    groups: list[folium.FeatureGroup] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    raster: Raster | None = None  # offered as a GeoTIFF download


def _analysis_points(
    view: PlannerView, pins: gpd.GeoDataFrame, frames: dict[str, gpd.GeoDataFrame]
) -> gpd.GeoDataFrame:
    if view.analysis_source == "pins":
        return with_supports(pins)  # a "me too" is one more person marking the place
    return frames[view.analysis_source]


@st.cache_data(show_spinner=False, max_entries=16)
def _density(
    points_wkb: tuple[bytes, ...], area_wkb: bytes, cell_m: float, bandwidth_m: float
) -> Raster:
    points = gpd.GeoDataFrame(geometry=shapely.from_wkb(list(points_wkb)), crs=STORAGE_CRS)
    return density_raster(
        points, shapely.from_wkb(area_wkb), cell_m=cell_m, bandwidth_m=bandwidth_m
    )


def analysis_overlay(
    view: PlannerView,
    pack: DistrictPack,
    pins: gpd.GeoDataFrame,
    frames: dict[str, gpd.GeoDataFrame],
) -> Overlay:
    """Run the chosen analysis for one quarter; a refusal becomes a message, not a crash."""
    overlay = Overlay()
    if view.analysis == "none":
        return overlay
    area = pack.geometry(view.analysis_quarter)
    try:
        if view.analysis == "density":
            points = _analysis_points(view, pins, frames)
            inside = points[points.intersects(area)]
            raster = _density(
                tuple(inside.geometry.to_wkb()), area.wkb, view.cell_m, view.bandwidth_m
            )
            values = raster.values
            top = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
            rgba = colourise(
                values, ramp=HEAT, vmin=0.0, vmax=top or 1.0, transparent_below=top * 0.05
            )
            overlay.groups.append(
                image_overlay(rgba, bounds_lonlat=raster.bounds_lonlat(), name="density")
            )
            overlay.raster = raster
            overlay.notes.append(
                t(
                    "Density of {count} points, bandwidth {bw} m.",
                    count=len(inside),
                    bw=int(view.bandwidth_m),
                )
            )
        elif view.analysis == "hotspots":
            points = _analysis_points(view, pins, frames)
            if view.time_band is not None and "time_band" in points.columns:
                points = points[points["time_band"] == view.time_band]
            result = hotspots(points[points.intersects(area)], area, cell_m=view.cell_m)
            cells = result.cells[result.cells["label"] != "none"]
            overlay.groups.append(
                feature_layer(
                    cells,
                    name="hotspots",
                    title=t("Hotspot cell"),
                    fields=fields_for("hotspots", [], t),
                    style=style_for("hotspots"),
                )
            )
            overlay.notes.append(
                t(
                    "Gi* against {perms} random spreads: {hot} hot and {cold} cold cells of "
                    "{cells} ({points} points).",
                    perms=result.permutations,
                    hot=int((cells["label"] == "hot").sum()),
                    cold=int((cells["label"] == "cold").sum()),
                    cells=len(result.cells),
                    points=result.points_used,
                )
            )
        elif view.analysis == "lighting":
            if view.lamps_layer is None:
                overlay.warnings.append(t("Choose a street-lamp layer first."))
                return overlay
            lamps = frames[view.lamps_layer]
            raster = distance_to_lamp_raster(lamps, area, cell_m=view.cell_m)
            rgba = colourise(
                raster.values, ramp=DARKNESS, vmin=0.0, vmax=max(view.dark_distance_m * 3, 1.0)
            )
            overlay.groups.append(
                image_overlay(rgba, bounds_lonlat=raster.bounds_lonlat(), name="lighting")
            )
            overlay.raster = raster
            in_area = pins[pins.intersects(area)]
            dark = dark_points(in_area, lamps, max_distance_m=view.dark_distance_m)
            overlay.notes.append(
                tn(
                    "{dark} of {count} note lies farther than {metres} m from a working lamp.",
                    "{dark} of {count} notes lie farther than {metres} m from a working lamp.",
                    len(in_area),
                    dark=int(dark.sum()),
                    metres=int(view.dark_distance_m),
                )
            )
    except SQError as exc:
        overlay.warnings.append(error_text(exc))
    return overlay


def planner_map(
    view: PlannerView,
    pack: DistrictPack,
    shown: gpd.GeoDataFrame,
    frames: dict[str, gpd.GeoDataFrame],
    overlay: Overlay,
) -> None:
    """The map, bottom to top: notes (switchable), the chosen layers, the analysis; its
    legend right below. With an analysis the map opens on the analysed quarter."""
    notes_on = st.toggle(
        t("Show the notes on the map"),
        value=True,
        key="planner_show_notes",
        help=t("Switch the notes off to see the layers and the analysis under them."),
    )
    quarter_ids = list(view.pin_filter.quarter_ids) or [view.analysis_quarter]
    # Layer attributions travel with their layers, so a toggle does not re-mount the map.
    drawn = _base(tuple(quarter_ids), resources.settings().basemap, pack)
    # Drawn in this order: what comes later lies above (one canvas for all areas and dots).
    dynamic = [pins_layer(shown, labels.pin_labels())] if notes_on else []
    for meta in view.layers:
        frame = frames[meta.id]
        dynamic.append(
            feature_layer(
                frame,
                name=meta.id,
                title=meta.name(language()),
                fields=fields_for(meta.layer_type, list(frame.columns), t),
                style=style_for(meta.layer_type),
                attribution=meta.attribution_line(),
                icons=layer_icons(meta.layer_type),
            )
        )
    dynamic.extend(overlay.groups)
    dynamic.append(_fit(view, pack, quarter_ids))
    show_drawn(drawn, key="planner_map", layers=layers_script(dynamic))
    show_legend(planner_legend(view, notes_on=notes_on and not shown.empty))


def _fit(view: PlannerView, pack: DistrictPack, quarter_ids: list[str]) -> folium.FeatureGroup:
    """With an analysis the map zooms to the analysed quarter (its 50 m cells are too small
    to see over three quarters), without one back to all chosen quarters; only when that
    changes, so a planner's own zoom stays."""
    if view.analysis != "none":
        west, south, east, north = pack.geometry(view.analysis_quarter).bounds
        return fit_once((west, south, east, north), key=f"analysis:{view.analysis_quarter}")
    west, south, east, north = pack.districts.loc[quarter_ids].total_bounds
    return fit_once((west, south, east, north), key="quarters:" + ",".join(quarter_ids))


@st.cache_resource(show_spinner=False, max_entries=16)
def _base(quarter_ids: tuple[str, ...], basemap: Basemap | None, _pack: DistrictPack) -> DrawnMap:
    """The chosen quarters' map without layers, drawn once per process."""
    fmap = districts_map(
        _pack.districts,
        list(quarter_ids),
        attributions=resources.attributions(),
        basemap=basemap,
    )
    return draw(fmap)
