"""Raw files on disk: plain, gzip or inside a zip archive, in UTF-8 (with or without BOM) or latin-1."""

from __future__ import annotations

import csv
import gzip
import io
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import polars as pl


class InputFileError(ValueError):
    """A raw input file that cannot be read as its layout says. The message names the file."""

    def __init__(self, source: "SourceFile | Path | str", problem: str):
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")


@dataclass(frozen=True, order=True)
class SourceFile:
    """One raw file: ``path`` on disk, or ``member`` inside the zip archive at ``path``."""

    path: Path
    member: str | None = None

    @property
    def name(self) -> str:
        return Path(self.member).name if self.member else self.path.name

    def __str__(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    def fingerprint(self) -> str:
        """Cheap change detector: name, size and modification time (what ``make`` uses)."""
        stat = self.path.stat()
        return f"{self.name}:{stat.st_size}:{stat.st_mtime_ns}"

    def read_bytes(self) -> bytes:
        """Whole content, decompressed (for small files such as code lists)."""
        with self.open_binary() as handle:
            return handle.read()

    @contextmanager
    def open_binary(self) -> Iterator[io.BufferedIOBase]:
        try:
            if self.member:
                with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                    yield _maybe_gunzip(handle, self.member)
            else:
                with open(self.path, "rb") as raw:
                    yield _maybe_gunzip(raw, self.path.name)
        except (OSError, zipfile.BadZipFile, EOFError) as exc:
            raise InputFileError(self, f"cannot be read ({exc})") from exc

    @contextmanager
    def local_path(self) -> Iterator[Path]:
        """A path DuckDB can read: the file itself, or a zip member extracted to a temporary file."""
        if not self.member:
            yield self.path
            return
        with tempfile.TemporaryDirectory(prefix="tcd_zip_") as tmp:
            target = Path(tmp) / Path(self.member).name
            try:
                with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as src:
                    with open(target, "wb") as dst:
                        shutil.copyfileobj(src, dst, length=1 << 20)
            except (OSError, zipfile.BadZipFile, EOFError) as exc:
                raise InputFileError(self, f"cannot be extracted ({exc})") from exc
            yield target

    def read_text(self) -> str:
        """Decoded text: UTF-8 (a BOM is dropped), else latin-1 as CEPII distributes some lists."""
        return decode(self.read_bytes())

    def header(self) -> list[str]:
        """The first line's column names, unquoted, stripped and lower-cased."""
        with self.open_binary() as handle:
            first = handle.readline(1 << 16)
        if not first.strip():
            raise InputFileError(self, "is empty (no header line)")
        return [c.strip().lower() for c in next(csv.reader([decode(first).rstrip("\r\n")]))]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _maybe_gunzip(handle, name: str):
    return gzip.GzipFile(fileobj=handle) if name.endswith(".gz") else handle


def expect_header(source: SourceFile, expected: list[str]) -> None:
    """Raise :class:`InputFileError` naming the file unless its header is exactly ``expected``."""
    found = source.header()
    if found != expected:
        hint = " (wrong delimiter?)" if len(found) == 1 and len(expected) > 1 else ""
        raise InputFileError(
            source, f"wrong header{hint}: found {','.join(found)!r}, expected {','.join(expected)!r}"
        )


def read_csv_text(source: SourceFile, skip_lines: int = 0) -> pl.DataFrame:
    """A small CSV as text columns; a line with a different number of fields than the header
    (a truncated or malformed file) is an error naming the line, not a row padded with nulls."""
    text = source.read_text()
    if not text.strip():
        raise InputFileError(source, "is empty")
    if skip_lines:
        text = "\n".join(text.splitlines()[skip_lines:])
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    width = len(header)
    if width == 1 and any(d in header[0] for d in ";\t|"):
        raise InputFileError(source, f"wrong delimiter? the header has a single column: {header[0][:80]!r}")
    for number, row in enumerate(rows, start=skip_lines + 2):
        if row and len(row) != width:
            raise InputFileError(
                source, f"line {number} has {len(row)} fields, the header {width} (truncated or malformed): {row}"
            )
    try:
        return pl.read_csv(io.StringIO(text), infer_schema=False, truncate_ragged_lines=False)
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(source, f"not a readable CSV ({str(exc).splitlines()[0]})") from exc
