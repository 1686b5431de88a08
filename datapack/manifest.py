"""The data pack's manifest: which official datasets, from where, under which licence,
and the three lab quarters. Pure: builds the value objects from parsed JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rules.quarters import Quarter


@dataclass(frozen=True, slots=True)
class Dataset:
    id: str
    file: str
    title: str
    publisher: str
    source_page: str
    download_url: str | None
    format: str
    licence: str
    licence_url: str | None
    attribution: str
    data_date: str | None
    required: bool
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Manifest:
    quarters: tuple[Quarter, ...]
    datasets: tuple[Dataset, ...]

    def dataset(self, dataset_id: str) -> Dataset:
        for dataset in self.datasets:
            if dataset.id == dataset_id:
                return dataset
        raise KeyError(dataset_id)


def parse_manifest(raw: Mapping[str, Any]) -> Manifest:
    """The manifest from its JSON object (data/districts/manifest.json)."""
    quarters = tuple(
        Quarter(slug=q["id"], label=q["label"], district_id=q["district"]) for q in raw["quarters"]
    )
    datasets = tuple(
        Dataset(**{**d, "columns": tuple(d.get("columns", ()))}) for d in raw["datasets"]
    )
    return Manifest(quarters=quarters, datasets=datasets)
