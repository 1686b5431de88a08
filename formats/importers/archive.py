"""Zip files, opened defensively: sizes, member names and count are checked first.

Nothing is extracted to disk here; members are read into memory with a cap.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import Final

from formats.importers.base import (
    BAD_ZIP,
    ZIP_EXPANSION_FACTOR,
    ZIP_MAX_MEMBERS,
    ZIP_MAX_UNPACKED_BYTES,
    ImportFileError,
)
from rules.errors import N_

ZIP_MAGIC: Final = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC: Final = b"PK\x05\x06"
_CHUNK_BYTES: Final = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")

_log = logging.getLogger(__name__)


def is_zip(data: bytes) -> bool:
    return data.startswith((ZIP_MAGIC, _EMPTY_ZIP_MAGIC))


def unpacked_limit_bytes(max_bytes: int) -> int:
    """How much all members of a zip may declare together."""
    return min(ZIP_EXPANSION_FACTOR * max_bytes, ZIP_MAX_UNPACKED_BYTES)


def _megabytes(size_bytes: int) -> float:
    return round(size_bytes / (1024 * 1024), 1)


def _check_name(name: str, filename: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts or "\x00" in name:
        raise ImportFileError(
            N_("The zip file {filename} contains an unsafe file name: {member}."),
            filename=filename,
            member=name,
        )


@dataclass(frozen=True)
class Archive:
    """An opened, checked zip: its file members and a budget for reading them."""

    filename: str
    members: tuple[zipfile.ZipInfo, ...]
    _zip: zipfile.ZipFile = field(repr=False)
    limit_bytes: int

    @property
    def names(self) -> list[str]:
        return [info.filename for info in self.members]

    def find(self, *, suffix: str) -> list[zipfile.ZipInfo]:
        """Members whose name ends with `suffix` (case-insensitive), macOS litter skipped."""
        return [
            info
            for info in self.members
            if info.filename.lower().endswith(suffix.lower())
            and not info.filename.startswith("__MACOSX/")
            and not info.filename.rsplit("/", 1)[-1].startswith("._")
        ]

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """Read one member, never more than its declared size nor the archive's limit."""
        cap = min(info.file_size, self.limit_bytes)
        chunks: list[bytes] = []
        total = 0
        try:
            with self._zip.open(info) as handle:
                while chunk := handle.read(_CHUNK_BYTES):
                    total += len(chunk)
                    if total > cap:
                        raise ImportFileError(
                            N_(
                                "The zip file {filename} would unpack to more than "
                                "{limit_mb} MB; it is refused."
                            ),
                            filename=self.filename,
                            limit_mb=_megabytes(self.limit_bytes),
                        )
                    chunks.append(chunk)
        except ImportFileError:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
            _log.info("zip %s unreadable: %s", self.filename, exc)
            raise ImportFileError(BAD_ZIP, filename=self.filename) from exc
        return b"".join(chunks)


def open_archive(data: bytes, *, filename: str, max_bytes: int) -> Archive:
    """Open a zip held in memory after checking its declared contents.

    Refuses broken zips, encrypted members, unsafe member names (absolute
    paths, ".."), too many members, and zips whose declared uncompressed
    sizes add up to more than unpacked_limit_bytes(max_bytes).
    """
    try:
        handle = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        _log.info("zip %s unreadable: %s", filename, exc)
        raise ImportFileError(BAD_ZIP, filename=filename) from exc
    infos = handle.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise ImportFileError(
            N_("The zip file {filename} holds {count} files; at most {limit} are allowed."),
            filename=filename,
            count=len(infos),
            limit=ZIP_MAX_MEMBERS,
        )
    limit = unpacked_limit_bytes(max_bytes)
    declared = sum(info.file_size for info in infos)
    if declared > limit:
        raise ImportFileError(
            N_(
                "The zip file {filename} would unpack to {size_mb} MB, far more than "
                "its own size; at most {limit_mb} MB are allowed."
            ),
            filename=filename,
            size_mb=_megabytes(declared),
            limit_mb=_megabytes(limit),
        )
    for info in infos:
        _check_name(info.filename, filename)
        if info.flag_bits & 0x1:
            raise ImportFileError(
                N_("The zip file {filename} is password-protected; please unpack it."),
                filename=filename,
            )
    files = tuple(info for info in infos if not info.is_dir())
    return Archive(filename=filename, members=files, _zip=handle, limit_bytes=limit)
