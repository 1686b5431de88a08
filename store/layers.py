"""Planner layers: a record per layer, its features as WKB + JSON rows."""

from __future__ import annotations

import json
from dataclasses import replace

import geopandas as gpd

from rules.errors import N_, StoreError
from rules.layer_meta import LayerMeta, clean_meta
from rules.roles import Action, Actor
from store._frames import frame_to_rows, rows_to_frame
from store.accounts import write_audit
from store.base import StoreBase
from store.timestamps import now_stored

_LAYER_COLUMNS = (
    "id, name_de, name_en, layer_type, kind, source, licence, attribution, data_date, demo,"
    " feature_count"
)


class LayerExistsError(StoreError):
    """A layer with this id is stored already."""


class LayerStore(StoreBase):
    def add_layer(self, meta: LayerMeta, frame: gpd.GeoDataFrame, *, actor: Actor) -> LayerMeta:
        """Store a layer and its features in one transaction; an existing id is refused."""
        self._require(actor, Action.MANAGE_LAYERS)
        meta = clean_meta(meta)
        dtypes, rows = frame_to_rows(frame)
        meta = replace(meta, feature_count=len(rows))
        with self.db.write() as conn:
            exists = conn.execute("SELECT 1 FROM layers WHERE id = ?", (meta.id,)).fetchone()
            if exists:
                raise LayerExistsError(
                    N_(
                        "A layer named {name} exists already. Remove it first or choose "
                        "another name."
                    ),
                    name=meta.name_de,
                )
            conn.execute(
                f"INSERT INTO layers ({_LAYER_COLUMNS}, dtypes, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    meta.id,
                    meta.name_de,
                    meta.name_en,
                    meta.layer_type,
                    meta.kind,
                    meta.source,
                    meta.licence,
                    meta.attribution,
                    meta.data_date,
                    int(meta.demo),
                    meta.feature_count,
                    json.dumps(dtypes),
                    now_stored(),
                ),
            )
            conn.executemany(
                "INSERT INTO layer_features (layer_id, fid, wkb, props) VALUES (?, ?, ?, ?)",
                [(meta.id, fid, wkb, props) for fid, (wkb, props) in enumerate(rows)],
            )
            write_audit(
                conn,
                actor=actor.name,
                action="layer.add",
                target=meta.id,
                detail=f"{meta.feature_count} features",
            )
        return meta

    def layers_version(self) -> str:
        """Changes whenever a layer is added or removed: a cheap key for layer caches,
        untouched by new pins."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT count(*), coalesce(max(created_at), '') FROM layers"
            ).fetchone()
        return ":".join(str(value) for value in row)

    def list_layers(self) -> list[LayerMeta]:
        with self.db.read() as conn:
            rows = conn.execute(f"SELECT {_LAYER_COLUMNS} FROM layers ORDER BY name_de").fetchall()
        return [
            LayerMeta(
                id=r[0],
                name_de=r[1],
                name_en=r[2],
                layer_type=r[3],
                kind=r[4],
                source=r[5],
                licence=r[6],
                attribution=r[7],
                data_date=r[8],
                demo=bool(r[9]),
                feature_count=r[10],
            )
            for r in rows
        ]

    def layer_frame(self, layer_id: str) -> gpd.GeoDataFrame:
        with self.db.read() as conn:
            found = conn.execute("SELECT dtypes FROM layers WHERE id = ?", (layer_id,)).fetchone()
            if found is None:
                raise KeyError(layer_id)
            rows = conn.execute(
                "SELECT wkb, props FROM layer_features WHERE layer_id = ? ORDER BY fid",
                (layer_id,),
            ).fetchall()
        return rows_to_frame(json.loads(found[0]), rows)

    def remove_layer(self, layer_id: str, *, actor: Actor) -> None:
        self._require(actor, Action.MANAGE_LAYERS)
        with self.db.write() as conn:
            conn.execute("DELETE FROM layers WHERE id = ?", (layer_id,))
            write_audit(conn, actor=actor.name, action="layer.remove", target=layer_id)
