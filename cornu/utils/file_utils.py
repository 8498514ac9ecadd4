"""get_file: download a file once into cornu's cache, checking its hash, writing atomically."""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile

from cornu.core.config import cornu_home
from cornu.utils import durable_files
from cornu.utils.progbar import Progbar

DOWNLOAD_TIMEOUT = 30.0  # seconds without data before a download is given up
_CHUNK_SIZE = 1 << 16


def resolve_hasher(algorithm, file_hash=None):
    """A fresh `hashlib` object for ``"sha256"``, ``"md5"`` or ``"auto"`` (sha256 for a
    64-character hash, else md5)."""
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "auto" and file_hash is not None and len(file_hash) == 64:
        return hashlib.sha256()
    if algorithm in ("md5", "auto"):
        return hashlib.md5()
    raise ValueError(f"Unknown `hash_algorithm`: {algorithm!r}. Use 'sha256', 'md5' or 'auto'.")


def hash_file(fpath, algorithm="sha256", chunk_size=_CHUNK_SIZE):
    """The hex digest of the file at `fpath` (``"sha256"`` or ``"md5"``)."""
    hasher = algorithm if not isinstance(algorithm, str) else resolve_hasher(algorithm)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=_CHUNK_SIZE):
    """True when the file at `fpath` has the hash `file_hash`."""
    hasher = resolve_hasher(algorithm, file_hash)
    return hash_file(fpath, hasher, chunk_size) == str(file_hash).lower()


def _hash_name(algorithm, file_hash):
    return resolve_hasher(algorithm, file_hash).name


def cache_folder(cache_subdir="datasets", cache_dir=None):
    """The folder where `get_file` keeps its files: ``cache_dir`` (default ``$CORNU_HOME`` or
    ``~/.cornu``) joined with ``cache_subdir``; under ``/tmp/.cornu`` when that is read-only."""
    base = os.path.expanduser(cache_dir if cache_dir is not None else cornu_home())
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        pass
    if not os.access(base, os.W_OK):
        base = os.path.join(tempfile.gettempdir(), ".cornu")
    return os.path.join(base, cache_subdir)


def _download(origin, target, file_hash, hash_algorithm):
    """Streams `origin` into a temporary file next to `target`, checks its hash, then renames
    it to `target`. Nothing is left behind on failure."""
    hasher = resolve_hasher(hash_algorithm, file_hash) if file_hash is not None else None
    tmp_path = durable_files.temporary_beside(target)
    try:
        with open(tmp_path, "wb") as out:
            with urllib.request.urlopen(origin, timeout=DOWNLOAD_TIMEOUT) as response:
                size = response.headers.get("Content-Length") if response.headers else None
                total = int(size) if size and size.isdigit() else None
                progbar = Progbar(total)
                done = 0
                for chunk in iter(lambda: response.read(_CHUNK_SIZE), b""):
                    out.write(chunk)
                    if hasher is not None:
                        hasher.update(chunk)
                    done += len(chunk)
                    progbar.update(done, finalize=False)
                if progbar.target is None:
                    progbar.target = done
                progbar.update(done, finalize=True)
        if hasher is not None and hasher.hexdigest() != str(file_hash).lower():
            raise ValueError(
                f"Incomplete or corrupted file detected: the {hasher.name} hash of the file "
                f"downloaded from {origin} is {hasher.hexdigest()}, but {file_hash} was "
                "expected. The download was deleted."
            )
        durable_files.commit(tmp_path, target)
    except BaseException:
        if os.path.exists(tmp_path):
            os.remove(tmp_path)
        raise


def _extract(archive_path, extraction_dir, archive_format):
    """Extracts a tar or zip archive into `extraction_dir` (through a temporary folder, so it
    appears whole or not at all). Returns False when the format is not recognised."""
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else archive_format
    formats = [formats] if isinstance(formats, str) else list(formats)
    parent = os.path.dirname(extraction_dir) or "."
    for fmt in formats:
        if fmt == "tar":
            matches, opener = tarfile.is_tarfile(archive_path), tarfile.open
        elif fmt == "zip":
            matches, opener = zipfile.is_zipfile(archive_path), zipfile.ZipFile
        else:
            raise ValueError(f"Unknown `archive_format`: {fmt!r}. Use 'tar', 'zip' or 'auto'.")
        if not matches:
            continue
        tmp_dir = tempfile.mkdtemp(dir=parent, prefix=f".{os.path.basename(extraction_dir)}.")
        try:
            with opener(archive_path) as archive:
                if fmt == "tar":
                    _extract_tar(archive, tmp_dir)
                else:
                    _extract_zip(archive, tmp_dir)
            if os.path.isdir(extraction_dir):
                shutil.rmtree(extraction_dir)
            os.replace(tmp_dir, extraction_dir)
        except BaseException:
            shutil.rmtree(tmp_dir, ignore_errors=True)
            raise
        return True
    return False


def _check_inside(root, member_name):
    root = os.path.realpath(root)
    dest = os.path.realpath(os.path.join(root, member_name))
    if os.path.commonpath([root, dest]) != root:
        raise ValueError(f"Refusing to extract {member_name!r}: it points outside the folder.")


def _extract_tar(archive, path):
    if hasattr(tarfile, "data_filter"):
        archive.extractall(path, filter="data")
        return
    for member in archive.getmembers():
        _check_inside(path, member.name)
        if member.issym() or member.islnk():
            raise ValueError(f"Refusing to extract the link {member.name!r} from an archive.")
    archive.extractall(path)


def _extract_zip(archive, path):
    for name in archive.namelist():
        _check_inside(path, name)
    archive.extractall(path)


def get_file(
    fname=None,
    origin=None,
    untar=False,
    md5_hash=None,
    file_hash=None,
    cache_subdir="datasets",
    hash_algorithm="auto",
    extract=False,
    archive_format="auto",
    cache_dir=None,
    force_download=False,
):
    """Downloads a file from a URL if it is not already in the cache.

    The file at `origin` is saved as ``~/.cornu/datasets/<fname>`` (``$CORNU_HOME`` replaces
    ``~/.cornu``). The download goes to a temporary file in the same folder, is checked against
    `file_hash` before it is used, and only then renamed into place: a failed or corrupt
    download never stays in the cache. Offline, a missing file raises an error that names the
    URL and the path where the file can be put by hand.

    Args:
        fname: name of the file in the cache; by default the last part of `origin`'s path.
        origin: URL of the file (``https://``, ``http://`` or ``file://``).
        untar: deprecated; same as ``extract=True, archive_format="tar"``.
        md5_hash: deprecated; an md5 hash for `file_hash`.
        file_hash: the expected sha256 (or md5) hex digest of the file.
        cache_subdir: subfolder of the cache folder (an absolute path is used as it is).
        hash_algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (from the length of `file_hash`).
        extract: whether to extract the file, a tar or zip archive.
        archive_format: ``"auto"``, ``"tar"``, ``"zip"``, a list of these, or None.
        cache_dir: the cache folder; by default ``$CORNU_HOME`` or ``~/.cornu``.
        force_download: whether to download the file even when it is in the cache.

    Returns:
        The path of the file (of the extraction folder when `extract` is set).
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    datadir = cache_folder(cache_subdir, cache_dir)
    os.makedirs(datadir, exist_ok=True)

    explicit_name = fname is not None
    fname = os.fspath(fname) if explicit_name else ""
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"Can't parse the file name from the origin {origin!r}. Pass the `fname` argument."
            )
    elif os.sep in fname or (os.altsep and os.altsep in fname):
        raise ValueError(
            "`fname` must be a file name, not a path; use `cache_dir` and `cache_subdir` to "
            f"choose the folder. Received: fname={fname!r}"
        )

    extract = extract or untar
    if untar:
        archive_format = "tar"
    extraction_dir = None
    if extract:
        if explicit_name and "." in fname:
            target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, f"{fname[: fname.find('.')]}_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            target = os.path.join(datadir, f"{fname}_archive")
    else:
        target = os.path.join(datadir, fname)

    stale_reason = None
    download = force_download or not os.path.exists(target)
    if (
        not download
        and file_hash is not None
        and not validate_file(target, file_hash, hash_algorithm)
    ):
        download = True
        stale_reason = (
            f"The file found at {target} does not have the expected "
            f"{_hash_name(hash_algorithm, file_hash)} hash {file_hash}"
        )
        print(f"{stale_reason}; downloading it again.")

    if download:
        print(f"Downloading data from {origin}")
        try:
            _download(origin, target, file_hash, hash_algorithm)
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            if isinstance(e, urllib.error.HTTPError):
                reason = f"HTTP {e.code} {e.msg}"
            expected = ""
            if file_hash is not None:
                expected = (
                    f" (its {_hash_name(hash_algorithm, file_hash)} hash must be {file_hash})"
                )
            stale = f" {stale_reason}." if stale_reason else ""
            raise ConnectionError(
                f"Could not download {fname!r} from {origin}: {reason}.{stale} If this machine is "
                f"offline or cannot reach that address, download the file elsewhere and put it "
                f"at {target}{expected}."
            ) from e
        if extraction_dir is not None and os.path.isdir(extraction_dir):
            shutil.rmtree(extraction_dir)

    if extraction_dir is not None:
        if not os.path.isdir(extraction_dir):
            if not _extract(target, extraction_dir, archive_format):
                raise ValueError(
                    f"Could not extract {target}: it is not a {archive_format} archive."
                )
        return extraction_dir
    return target
