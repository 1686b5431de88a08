"""A small map of one or two notes for the moderators: each note a numbered mark, two
notes joined by a line, the view fitted to them inside their quarter's map.

One map for the note a moderator asks about, never one per note of the queue. Labels
come translated from the caller; the marks' names are in permanent labels, so the two
notes are told apart by their numbers, not by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import folium
import geopandas as gpd

from config.basemaps import Basemap
from layers.basemap import DEFAULT_ASSET_BASE, quarter_map

# The note kept and the one merged into it (Okabe-Ito blue and vermilion, white rim).
KEEP_COLOUR = "#0072B2"
OTHER_COLOUR = "#D55E00"
NEARBY_COLOUR = "#6B7280"  # other notes close by, for orientation
_LINE_COLOUR = "#374151"
_CLOSEST_ZOOM = 17  # one note, or two at one place: a few streets around it
# Room around the marks for their labels (which point sideways, away from the other
# mark) and, at the bottom, for the credits, which take four lines on a phone.
_PADDING_TOP_LEFT_PX = (110, 40)
_PADDING_BOTTOM_RIGHT_PX = (110, 90)


@dataclass(frozen=True, slots=True)
class NoteMark:
    """One note on the map: where (EPSG:4326), its visible label and its colour."""

    lon: float
    lat: float
    label: str
    colour: str = KEEP_COLOUR


def notes_map(
    districts: gpd.GeoDataFrame,
    quarter_id: str,
    marks: Sequence[NoteMark],
    *,
    attributions: Sequence[str],
    basemap: Basemap | None = None,
    asset_base: str = DEFAULT_ASSET_BASE,
    joined: bool = True,
) -> folium.Map:
    """The quarter's map (layers.basemap.quarter_map) showing `marks`, joined by a dashed
    line when there are two or more and `joined`, zoomed to them (the whole quarter
    without marks)."""
    fmap = quarter_map(
        districts, quarter_id, attributions=attributions, basemap=basemap, asset_base=asset_base
    )
    if not marks:
        return fmap
    points = [(mark.lat, mark.lon) for mark in marks]
    if joined and len(points) > 1:
        folium.PolyLine(
            points, color=_LINE_COLOUR, weight=3, dash_array="8 6", interactive=False
        ).add_to(fmap)
    west = min(mark.lon for mark in marks)
    for mark in marks:
        side = "left" if len(marks) > 1 and mark.lon == west else "right"
        folium.CircleMarker(
            location=(mark.lat, mark.lon),
            radius=9,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=mark.colour,
            fill_opacity=1.0,
            tooltip=folium.Tooltip(escape(mark.label), permanent=True, direction=side),
        ).add_to(fmap)
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    fmap.fit_bounds(
        [[min(lats), min(lons)], [max(lats), max(lons)]],
        padding_top_left=_PADDING_TOP_LEFT_PX,
        padding_bottom_right=_PADDING_BOTTOM_RIGHT_PX,
        max_zoom=_CLOSEST_ZOOM,
    )
    return fmap
