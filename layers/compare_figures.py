"""The comparison's figures as PNG images: small multiple maps on one scale and bar
charts with their counts. Static pictures, so the page prints as it looks.

Texts come in already translated; nothing here knows the language.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # no screen on a server
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from shapely.geometry.base import BaseGeometry

from geo.classes import classify
from layers.mpl_shapes import add_outlines, add_polygons

# Class 0 ("no notes") light grey, then a colour-blind-safe sequential ramp (ColorBrewer YlOrRd).
CLASS_COLOURS = ("#f0f0f0", "#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
QUARTER_COLOURS = ("#0072b2", "#e69f00", "#009e73")  # Okabe-Ito, one per quarter
DPI = 110


@dataclass(frozen=True, slots=True)
class MapPanel:
    title: str
    grid: gpd.GeoDataFrame  # cells in a metric CRS with a "count" column
    outline: BaseGeometry  # the quarter, same CRS


def class_colours(breaks: np.ndarray) -> list[str]:
    """The colour of each class of `breaks` (class 0 first)."""
    ramp = CLASS_COLOURS[1:]
    picked = [
        ramp[round(i * (len(ramp) - 1) / max(len(breaks) - 2, 1))] for i in range(len(breaks) - 1)
    ]
    return [CLASS_COLOURS[0], *picked]


def class_labels(breaks: np.ndarray, none_label: str) -> list[str]:
    """ "0 (none)", then "1–3", "4–7", … for each class of `breaks`."""
    labels = [f"0 ({none_label})"]
    lower = 1
    for upper in breaks[1:]:
        top = int(upper)
        labels.append(f"{lower}" if top == lower else f"{lower}–{top}")
        lower = top + 1
    return labels


def small_multiples_png(
    panels: Sequence[MapPanel], breaks: np.ndarray, *, legend_title: str, none_label: str
) -> bytes:
    """One row of maps, one per quarter, every cell coloured by the same classes."""
    return _png(small_multiples(panels, breaks, legend_title=legend_title, none_label=none_label))


def small_multiples(
    panels: Sequence[MapPanel], breaks: np.ndarray, *, legend_title: str, none_label: str
) -> Figure:
    """The figure of small_multiples_png (its first collection per map: the cells)."""
    colours = class_colours(breaks)
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(np.arange(len(colours) + 1) - 0.5, cmap.N)
    figure, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 4.6), squeeze=False)
    for ax, panel in zip(axes[0], panels, strict=True):
        classes = classify(panel.grid["count"].to_numpy(), breaks)
        add_polygons(
            ax,
            panel.grid.geometry.to_numpy(),
            facecolors=cmap(norm(classes)),
            edgecolors="#ffffff",
            linewidths=0.2,
        )
        add_outlines(ax, [panel.outline], colors="#222222", linewidths=1.2)
        ax.set_title(panel.title, fontsize=11)
        ax.set_axis_off()
        ax.set_aspect("equal")
    handles = [
        Patch(facecolor=c, edgecolor="#999999", label=label)
        for c, label in zip(colours, class_labels(breaks, none_label), strict=True)
    ]
    figure.legend(
        handles=handles, title=legend_title, loc="lower center", ncol=len(handles), frameon=False
    )
    figure.tight_layout(rect=(0, 0.1, 1, 1))
    return figure


def bars_png(
    labels: Sequence[str],
    quarters: Sequence[str],
    counts: np.ndarray,
    shares: np.ndarray,
    *,
    title: str,
    greyed: Sequence[bool],
) -> bytes:
    """Horizontal bars: for each label, one bar per quarter (its share), with the count
    written at the bar ("12 · 41 %"). Quarters with too few notes are drawn grey."""
    rows, columns = len(labels), len(quarters)
    height = 0.8 / columns
    figure, ax = plt.subplots(figsize=(7.5, 0.55 * rows * max(columns, 2) / 2 + 1.2))
    for j, quarter in enumerate(quarters):
        y = np.arange(rows) + j * height
        colour = "#bbbbbb" if greyed[j] else QUARTER_COLOURS[j % len(QUARTER_COLOURS)]
        values = np.nan_to_num(shares[:, j]) * 100
        ax.barh(y, values, height=height, color=colour, label=quarter)
        for yi, value, count in zip(y, values, counts[:, j], strict=True):
            ax.text(value + 0.8, yi, f"{int(count)} · {value:.0f} %", va="center", fontsize=8)
    ax.set_yticks(np.arange(rows) + height * (columns - 1) / 2, labels=list(labels))
    ax.invert_yaxis()
    ax.set_xlim(0, max(100.0, float(np.nan_to_num(shares).max() * 100) + 15))
    ax.set_xlabel("%")
    ax.set_title(title, fontsize=11)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _png(figure)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # Light compression: a third of the time of the default, a slightly larger file.
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    plt.close(figure)
    return buffer.getvalue()
