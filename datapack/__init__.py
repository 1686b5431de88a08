"""The district data pack: the manifest of official sources, fetching the files,
and loading them validated. Run ``python -m datapack fetch``."""
