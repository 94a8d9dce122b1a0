"""Raw files on disk: plain, gzip or inside a zip archive, in UTF-8 (with or without BOM) or latin-1.

Every byte read passes through its container's own check: a zip member read to its end checks its
CRC-32, a gzip stream read to its end checks its CRC-32 and length trailer (a truncated download
ends before the end-of-stream marker). A failed check is an :class:`InputFileError` naming the file:
``damaged zip archive: ...`` or ``damaged gzip stream: ... (truncated or corrupted download?)``.
:meth:`SourceFile.local_path` gives DuckDB plain files only (some truncated gzip files DuckDB reads
as their prefix, without error).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import shutil
import tempfile
import zipfile
import zlib
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import polars as pl

CHUNK = 1 << 20  # bytes per read when streaming a whole file (constant memory)


class InputFileError(ValueError):
    """A raw input file that cannot be read as its layout says. The message names the file."""

    def __init__(self, source: "SourceFile | Path | str", problem: str):
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")


def is_gzip(name: str) -> bool:
    return name.lower().endswith(".gz")


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
        """Whole content, decompressed and checked (for small files such as code lists)."""
        with self.open_binary() as handle:
            return handle.read()

    @contextmanager
    def open_binary(self) -> Iterator[io.BufferedIOBase]:
        """The content, decompressed; reading it to the end checks the zip's and the gzip's CRC-32."""
        with ExitStack() as stack:
            yield self._open(stack)

    def _open(self, stack: ExitStack) -> io.BufferedIOBase:
        try:
            if self.member:
                archive = stack.enter_context(zipfile.ZipFile(self.path))
                info = archive.getinfo(self.member)
                stream, size = _Checked(stack.enter_context(archive.open(info)), self, _zip_problem), info.file_size
            else:
                handle = stack.enter_context(open(self.path, "rb"))
                stream, size = _Checked(handle, self, _read_problem), os.fstat(handle.fileno()).st_size
        except zipfile.BadZipFile as exc:
            raise InputFileError(self, f"damaged zip archive: {exc}") from exc
        except KeyError:
            raise InputFileError(self, "no such member in the archive (changed since the scan?)") from None
        except (OSError, RuntimeError, NotImplementedError) as exc:  # zip: encrypted, unknown compression
            raise InputFileError(self, f"cannot be read ({exc})") from exc
        if is_gzip(self.name):
            if size == 0:
                raise InputFileError(self, _gzip_message("empty file"))
            stream = _Checked(stack.enter_context(gzip.GzipFile(fileobj=stream, mode="rb")), self, _gzip_problem)
        return stream

    @contextmanager
    def local_path(self) -> Iterator[Path]:
        """A plain file DuckDB can read: the file itself, or the content of a zip member or gzip file
        decompressed to a temporary file, in chunks, read to the end (so every CRC-32 is checked).

        One decompression, faster than a check pass followed by DuckDB decompressing the gzip again: on a
        101 MB gzip of 239 MB CSV (7.3 M rows, 2 busy cores, best of 5) 3.9 s wall, 4.4 s CPU to decompress
        to a temporary file and load it, against 4.7 s, 5.1 s CPU (the check pass alone: 1.05 s; DuckDB on
        the gzip unchecked: 3.5 s). The temporary file takes the decompressed size in the temp folder.
        """
        if not self.member and not is_gzip(self.name):
            yield self.path
            return
        with tempfile.TemporaryDirectory(prefix="tcd_input_") as tmp:
            target = Path(tmp) / "content.csv"
            with open(target, "wb") as dst, self.open_binary() as src:
                shutil.copyfileobj(src, dst, CHUNK)
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


class _Checked(io.BufferedIOBase):
    """A readable stream whose read errors become :class:`InputFileError` naming the file (``problem`` turns
    an exception into a message, or None to let it through). It delegates, adding no buffer or copy."""

    def __init__(self, inner, source: SourceFile, problem: Callable[[Exception], str | None]):
        super().__init__()
        self._inner, self._source, self._problem = inner, source, problem

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._checked(self._inner.read, size)

    def read1(self, size: int = -1) -> bytes:
        return self._checked(self._inner.read1, size)

    def readline(self, size: int | None = -1) -> bytes:
        return self._checked(self._inner.readline, size)

    def readinto(self, buffer) -> int:
        return self._checked(self._inner.readinto, buffer)

    def _checked(self, call, argument):
        try:
            return call(argument)
        except InputFileError:
            raise
        except Exception as exc:
            if (problem := self._problem(exc)) is None:
                raise
            raise InputFileError(self._source, problem) from exc


def _read_problem(exc: Exception) -> str | None:
    return f"cannot be read ({exc})" if isinstance(exc, OSError) else None


def _zip_problem(exc: Exception) -> str | None:
    """A zip member's CRC-32 mismatch (BadZipFile), its deflate data cut (EOFError) or garbled (zlib.error)."""
    if isinstance(exc, (zipfile.BadZipFile, EOFError, zlib.error)):
        return f"damaged zip archive: {exc}"
    return _read_problem(exc)


def _gzip_problem(exc: Exception) -> str | None:
    """Cut before the end-of-stream marker (EOFError), CRC-32 or length mismatch or not gzip
    (BadGzipFile), garbled deflate data (zlib.error)."""
    if isinstance(exc, (EOFError, gzip.BadGzipFile, zlib.error)):
        return _gzip_message(str(exc))
    return None


def _gzip_message(reason: str) -> str:
    return f"damaged gzip stream: {reason} (truncated or corrupted download?)"


def ends_with_line_break(path: Path) -> bool:
    """Whether the plain file at ``path`` ends with ``\\n`` (a one-byte read at its end)."""
    with open(path, "rb") as handle:
        if handle.seek(0, os.SEEK_END) == 0:
            return False
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def expect_header(source: SourceFile, expected: list[str]) -> None:
    """Raise :class:`InputFileError` naming the file unless its header is exactly ``expected``."""
    found = source.header()
    if found != expected:
        hint = " (wrong delimiter?)" if len(found) == 1 and len(expected) > 1 else ""
        raise InputFileError(
            source, f"wrong header{hint}: found {','.join(found)!r}, expected {','.join(expected)!r}"
        )


def read_csv_text(source: SourceFile, skip_lines: int = 0, complete: bool = True) -> pl.DataFrame:
    """A small CSV as text columns; a line with a different number of fields than the header
    (a truncated or malformed file) is an error naming the line, not a row padded with nulls.

    ``complete``: the file must end with a line break, as the published WDI, UNCTAD, CEPII GeoDist
    and WIOD label files do; a file cut inside its last field (``5300.4`` -> ``53``) would otherwise
    parse. BACI's code lists are read with ``complete=False``: some releases end without one.
    """
    text = source.read_text()
    if not text.strip():
        raise InputFileError(source, "is empty")
    cut = complete and not text.endswith("\n")
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
    if cut:
        raise InputFileError(source, "does not end with a line break (truncated?)")
    try:
        return pl.read_csv(io.StringIO(text), infer_schema=False, truncate_ragged_lines=False)
    except pl.exceptions.PolarsError as exc:
        raise InputFileError(source, f"not a readable CSV ({str(exc).splitlines()[0]})") from exc
