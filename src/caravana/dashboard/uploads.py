"""Uploaded scenarios: a YAML file, or a zip of a scenario folder (YAML + CSV tables, or
a Flee input folder), unpacked into the run's own folder and nowhere else.

What is refused, with a message in plain words: files over the size limit (also once
unpacked, against zip bombs), too many files, zip entries with absolute paths, ``..``
or drive letters, symbolic links, encrypted entries, and zips with no scenario in them.
The scenario is then loaded by the ordinary loader, which parses YAML with a safe
loader (no Python objects, no code) and refuses table paths that leave the folder.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from ..errors import E_, CaravanaError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_FILES = 500
YAML_SUFFIXES = (".yml", ".yaml")


class UploadError(CaravanaError):
    """An upload that is refused; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def too_large(what: str, limit: int) -> UploadError:
    return UploadError(E_(f"{what} is larger than the limit of {limit // (1024 * 1024)} MB"), status=413)


def save_upload(filename: str, data: bytes, folder: Path) -> Path:
    """Write an uploaded YAML file or unpack a zip into ``folder`` (which must be empty or
    new); return the path to load the scenario from."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large("the uploaded file", MAX_UPLOAD_BYTES)
    if not data:
        raise UploadError("the uploaded file is empty")
    folder.mkdir(parents=True, exist_ok=True)
    name = PurePosixPath(filename.replace("\\", "/")).name
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in YAML_SUFFIXES:
        # The user's file name (so errors name their file), reduced to safe characters.
        stem = re.sub(r"[^A-Za-z0-9_.-]", "_", name[: -len(suffix)]).strip("._") or "scenario"
        path = folder / f"{stem[:60]}{suffix}"
        path.write_bytes(data)
        return path
    if suffix == ".zip" or data[:4] == b"PK\x03\x04":
        return unpack_zip(data, folder)
    raise UploadError("upload a scenario as a .yml/.yaml file or a .zip of its folder")


def _safe_member_path(name: str) -> PurePosixPath:
    """The entry's path if it is a plain relative path, else an UploadError."""
    if "\\" in name or "\x00" in name:
        raise UploadError(f"zip entry '{name}' has a backslash or NUL in its name; refused")
    path = PurePosixPath(name)
    if path.is_absolute() or (path.parts and ":" in path.parts[0]):
        raise UploadError(f"zip entry '{name}' has an absolute path; refused")
    if any(part == ".." for part in path.parts):
        raise UploadError(f"zip entry '{name}' points outside its folder ('..'); refused")
    return path


def unpack_zip(data: bytes, folder: Path) -> Path:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadError("the uploaded file is not a valid zip archive") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_FILES:
            raise UploadError(f"the zip holds {len(entries)} entries; at most {MAX_FILES} are allowed", status=413)
        if sum(e.file_size for e in entries) > MAX_UNPACKED_BYTES:
            raise too_large("the zip, unpacked,", MAX_UNPACKED_BYTES)
        plan = []
        for entry in entries:
            path = _safe_member_path(entry.filename)
            mode = entry.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise UploadError(f"zip entry '{entry.filename}' is a symbolic link; refused")
            if entry.flag_bits & 0x1:
                raise UploadError(f"zip entry '{entry.filename}' is encrypted; refused")
            if path.parts and path.parts[0] == "__MACOSX":
                continue
            plan.append((entry, path))
        # Check everything before writing anything.
        root = folder.resolve()
        for entry, path in plan:
            target = (root / path).resolve()
            if not target.is_relative_to(root):
                raise UploadError(f"zip entry '{entry.filename}' points outside its folder; refused")
        _extract(archive, plan, root)
    return scenario_root(folder)


def _extract(archive: zipfile.ZipFile, plan: list, root: Path) -> None:
    written = 0
    for entry, path in plan:
        target = root / path
        try:
            if entry.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(entry) as src, open(target, "xb") as dst:  # "x": never overwrite
                while chunk := src.read(1 << 16):
                    written += len(chunk)  # the sizes in the zip's directory can lie
                    if written > MAX_UNPACKED_BYTES:
                        raise too_large("the zip, unpacked,", MAX_UNPACKED_BYTES)
                    dst.write(chunk)
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as exc:
            reason = "it appears twice or clashes with a folder" if isinstance(exc, OSError) else "it is corrupt"
            raise UploadError(f"cannot unpack zip entry '{entry.filename}': {reason}") from None


def scenario_root(folder: Path) -> Path:
    """The folder (or YAML file) inside an unpacked zip to load the scenario from: the
    shallowest folder with a scenario.yml or a Flee input_csv/, else the only YAML file."""
    candidates = sorted(
        (p.parent for p in folder.rglob("*") if p.name in ("scenario.yml", "scenario.yaml", "input_csv")),
        key=lambda p: len(p.parts),
    )
    if candidates:
        return candidates[0]
    yamls = [p for p in folder.rglob("*") if p.suffix.lower() in YAML_SUFFIXES and p.is_file()]
    if len(yamls) == 1:
        return yamls[0]
    if not yamls:
        raise UploadError("the zip holds no scenario: no scenario.yml, no Flee input_csv/ folder, no YAML file")
    raise UploadError("the zip holds several YAML files and no scenario.yml; name the scenario file scenario.yml")


def relative_message(message: str, folder: Path) -> str:
    """An error message with the server's folder taken out of file paths."""
    for prefix in (str(folder.resolve()), str(folder)):
        message = message.replace(prefix + "/", "").replace(prefix, ".")
    return message
