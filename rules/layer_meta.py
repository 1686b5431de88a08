"""The layer registry's record: what a layer is, where it comes from, whether it is demo."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Final, Literal, get_args

from rules.errors import N_, ValidationError
from rules.limits import check_length
from rules.text import clean_line

LayerKind = Literal["points", "lines", "polygons", "raster"]
LAYER_KINDS: Final = ("points", "lines", "polygons", "raster")

# What an importer reads (formats.importers.read_layer's layer_type): the standard
# columns of the layer it makes.
ImporterType = Literal["vector", "stops", "accidents", "survey", "lamps"]
IMPORTER_TYPES: Final[tuple[ImporterType, ...]] = get_args(ImporterType)

# What a planner says a file is, with its label; decides the importer (importer_type).
LAYER_TYPES: Final[dict[str, str]] = {
    "survey": N_("survey answers"),
    "lamps": N_("street lamps"),
    "accidents": N_("recorded accidents (Unfallatlas)"),
    "stops": N_("public-transport stops"),
    "schools": N_("schools and childcare"),
    "vector": N_("other infrastructure (any vector file)"),
}


# Layer types without an importer of their own, and the one that reads them.
_READ_AS: Final[dict[str, ImporterType]] = {"schools": "vector"}


def importer_type(layer_type: str) -> ImporterType:
    """The importer that reads a layer type (schools are plain vector files)."""
    for known in IMPORTER_TYPES:
        if known == layer_type:
            return known
    if layer_type in _READ_AS:
        return _READ_AS[layer_type]
    raise ValueError(f"'layer_type' should be one of {sorted(LAYER_TYPES)}, got {layer_type!r}")


@dataclass(frozen=True, slots=True)
class LayerMeta:
    """Everything the map, the exports and the data page say about a layer."""

    id: str
    name_de: str
    name_en: str
    layer_type: str
    kind: LayerKind
    source: str
    licence: str
    attribution: str
    data_date: str | None
    demo: bool
    feature_count: int = 0
    builtin: bool = False  # from the data pack; cannot be removed on the data page

    def name(self, lang: str) -> str:
        return self.name_de if lang == "de" else self.name_en

    def attribution_line(self) -> str:
        """One line for the map and the exports; demo data says so."""
        line = f"{self.name_de}: {self.attribution}"
        return f"{line} (Demodaten)" if self.demo else line


def slugify(name: str) -> str:
    """A stable id from a name: 'Straßenlaternen Brackel' -> 'strassenlaternen-brackel'."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not slug:
        raise ValidationError(N_("Please give the layer a name."))
    return slug[:60]


NAME_MAX_CHARS: Final = 120
NAME_TOO_LONG: Final = N_("The name is {length} characters long; at most {limit} are allowed.")
NOTE_TOO_LONG: Final = N_(
    "The source, licence or attribution is {length} characters long; at most {limit} are allowed."
)
NOTE_MAX_CHARS: Final = 500  # source, licence, attribution


def clean_meta(meta: LayerMeta) -> LayerMeta:
    """The layer's texts cleaned (rules.text) and within their limits, or
    ValidationError naming the one that is too long."""
    cleaned = replace(
        meta,
        name_de=clean_line(meta.name_de),
        name_en=clean_line(meta.name_en),
        source=clean_line(meta.source),
        licence=clean_line(meta.licence),
        attribution=clean_line(meta.attribution),
    )
    for name in (cleaned.name_de, cleaned.name_en):
        check_length(name, NAME_MAX_CHARS, NAME_TOO_LONG)
    for note in (cleaned.source, cleaned.licence, cleaned.attribution):
        check_length(note, NOTE_MAX_CHARS, NOTE_TOO_LONG)
    return cleaned
