"""File formats: importers of uploaded files, exports (GeoJSON, GeoPackage, CSV), GeoTIFF."""
