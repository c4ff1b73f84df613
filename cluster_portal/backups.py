"""Backups: one archive holding a consistent database dump, the media files and their checksums.

The archive is a plain tar file (`cluster-portal-YYYYMMDD-HHMMSS.tar`): the database dump is
already compressed (pg_dump's custom format) and logos are compressed images, so gzip would
cost time for nothing. Members:

- `manifest.json`: when, which database engine, the applied migrations, and the SHA-256 and
  size of every other member. A restore checks every member against it before touching
  anything, so a truncated or altered archive is refused whole.
- `database.pgdump` (PostgreSQL: `pg_dump --format=custom`, one consistent snapshot) or
  `database.sqlite3` (SQLite's online backup API: a consistent copy while the portal runs).
- `media/…`: every file under MEDIA_ROOT (with MEDIA_STORAGE=local; a bucket keeps its own
  versions and is not copied).

The dialect-specific part is the two small classes `Postgres` and `SQLite`; everything else is
one algorithm.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
PREFIX = "cluster-portal-"
STAMP = "%Y%m%d-%H%M%S"


class BackupError(Exception):
    """A backup or restore that cannot go on, with the reason to show the operator."""


# --- The two databases ----------------------------------------------------------------------


class Postgres:
    member = "database.pgdump"

    def __init__(self, settings_dict):
        self.db = settings_dict

    def _args(self):
        args = []
        for option, key in [("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")]:
            if self.db.get(key):
                args += [option, str(self.db[key])]
        return args

    def _env(self):
        env = dict(os.environ)
        if self.db.get("PASSWORD"):
            env["PGPASSWORD"] = self.db["PASSWORD"]
        return env

    def _run(self, command, what):
        try:
            result = subprocess.run(command, env=self._env(), capture_output=True, text=True)
        except FileNotFoundError:
            raise BackupError(f"{command[0]} is not installed: it comes with the PostgreSQL "
                              "client (apt-get install postgresql-client).") from None
        if result.returncode != 0:
            raise BackupError(f"{what} failed: {result.stderr.strip()[-2000:]}")

    def dump(self, path):
        # One transaction, so the dump is one consistent snapshot whatever runs meanwhile.
        self._run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                   "--file", str(path), *self._args(), self.db["NAME"]], "pg_dump")

    def is_empty(self):
        import psycopg2

        try:
            conn = psycopg2.connect(
                dbname=self.db["NAME"], host=self.db.get("HOST") or None,
                port=self.db.get("PORT") or None, user=self.db.get("USER") or None,
                password=self.db.get("PASSWORD") or None,
            )
        except psycopg2.OperationalError as error:
            raise BackupError(f"Cannot connect to the database {self.db['NAME']!r}: "
                              f"{str(error).strip()}. Create it first (createdb).") from None
        with conn, conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM information_schema.tables "
                           "WHERE table_schema = current_schema()")
            tables = cursor.fetchone()[0]
        conn.close()
        return tables == 0

    def restore(self, path, force):
        # --clean drops what the dump holds before recreating it (only asked for with --force);
        # --single-transaction: a restore that fails half-way leaves the database as it was.
        clean = ["--clean", "--if-exists"] if force else []
        self._run(["pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
                   *clean, "--dbname", self.db["NAME"], *self._args(), str(path)],
                  "pg_restore")


class SQLite:
    member = "database.sqlite3"

    def __init__(self, settings_dict):
        self.db = settings_dict

    def dump(self, path):
        # Through Django's own connection, which also reaches the tests' in-memory database.
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def _path(self):
        name = str(self.db["NAME"])
        if name == ":memory:" or name.startswith("file:") or not name:
            raise BackupError("Restore into an SQLite file, not an in-memory database.")
        return Path(name)

    def is_empty(self):
        path = self._path()
        if not path.exists() or path.stat().st_size == 0:
            return True
        conn = sqlite3.connect(path)
        try:
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
            return tables.fetchone()[0] == 0
        except sqlite3.DatabaseError:
            raise BackupError(f"{path} is not an SQLite database.") from None
        finally:
            conn.close()

    def restore(self, path, force):
        # The backup API replaces the whole target database page by page, in one step.
        target_path = self._path()
        target_path.parent.mkdir(parents=True, exist_ok=True)
        source, target = sqlite3.connect(path), sqlite3.connect(target_path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()


def database_for(settings_dict):
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        return Postgres(settings_dict)
    if engine.endswith("sqlite3"):
        return SQLite(settings_dict)
    raise BackupError(f"Backups know PostgreSQL and SQLite, not {engine}.")


def target_database(database_url=None):
    """The database a restore writes to: DATABASE_URL's own, or the one `database_url` names."""
    if database_url:
        return database_for(dj_database_url.parse(database_url))
    return database_for(connection.settings_dict)


# --- Writing --------------------------------------------------------------------------------


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(media_root):
    if settings.MEDIA_STORAGE != "local" or not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def _applied_migrations():
    applied = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied[app] = max(applied.get(app, name), name)
    return dict(sorted(applied.items()))


def create_backup(folder, media_root=None, now=None):
    """Write one archive into `folder` and return its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    now = now or timezone.now()
    database = database_for(connection.settings_dict)
    final = folder / f"{PREFIX}{now.astimezone(datetime.UTC):{STAMP}}.tar"
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as work:
        dump = Path(work) / database.member
        database.dump(dump)
        media = _media_files(media_root)
        files = {database.member: dump}
        files.update({MEDIA + p.relative_to(media_root).as_posix(): p for p in media})
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(timespec="seconds"),
            "database": {"engine": connection.vendor, "file": database.member},
            "media": settings.MEDIA_STORAGE,
            "migrations": _applied_migrations(),
            "files": {
                name: {"sha256": _sha256(path), "size": path.stat().st_size}
                for name, path in files.items()
            },
        }
        partial = Path(work) / final.name
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in files.items():
                archive.add(path, arcname=name, recursive=False)
        # Renamed into place only when whole: a half-written archive never has the final name.
        os.replace(partial, final)
    return final


# --- Reading back ---------------------------------------------------------------------------


def read_manifest(archive_path):
    """Open the archive, check every member against the manifest, return (tar, manifest).

    Refuses (BackupError) an archive that is not a tar file, lacks its manifest, misses a
    member or holds one whose checksum or size differs.
    """
    path = Path(archive_path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    try:
        archive = tarfile.open(path, "r:")
        members = {m.name: m for m in archive.getmembers()}
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{path.name} is not a readable backup archive ({error}): "
                          "it is damaged or truncated. Use another backup.") from None
    try:
        manifest = json.load(archive.extractfile(members[MANIFEST]))
        files = manifest["files"]
        database = manifest["database"]["file"]
    except (KeyError, ValueError, TypeError, tarfile.TarError):
        archive.close()
        raise BackupError(f"{path.name} has no readable manifest: it is not a backup of this "
                          "portal, or it is damaged. Use another backup.") from None
    if manifest.get("format") != FORMAT or database not in files:
        archive.close()
        raise BackupError(f"{path.name} is a backup of a format this release cannot read.")
    problems = []
    for name, expected in files.items():
        member = members.get(name)
        if member is None or not member.isfile():
            problems.append(f"{name} is missing")
            continue
        digest = hashlib.sha256()
        try:
            with archive.extractfile(member) as file:
                for block in iter(lambda f=file: f.read(1024 * 1024), b""):
                    digest.update(block)
        except (tarfile.TarError, OSError, EOFError):
            problems.append(f"{name} cannot be read")
            continue
        if member.size != expected["size"] or digest.hexdigest() != expected["sha256"]:
            problems.append(f"{name} differs from its checksum")
    for name in files:
        relative = Path(name.removeprefix(MEDIA))
        if name.startswith(MEDIA) and (relative.is_absolute() or ".." in relative.parts):
            problems.append(f"{name} would be written outside the media folder")
    extra = set(members) - set(files) - {MANIFEST}
    problems += [f"{name} is not in the manifest" for name in sorted(extra)]
    if problems:
        archive.close()
        raise BackupError(f"{path.name} is damaged and was not restored: "
                          + "; ".join(problems[:5])
                          + (f" and {len(problems) - 5} more" if len(problems) > 5 else "")
                          + ". Use another backup.")
    return archive, manifest


def _is_empty_folder(folder):
    return not folder.exists() or not any(folder.iterdir())


def restore_backup(archive_path, database_url=None, media_root=None, force=False):
    """Restore the archive into an empty database and media folder; return its manifest.

    Refuses a database or media folder that holds anything unless `force`; with `force` the
    database's tables are replaced and the media folder's files overwritten.
    """
    archive, manifest = read_manifest(archive_path)
    with archive:
        database = target_database(database_url)
        engine = "postgresql" if isinstance(database, Postgres) else "sqlite"
        if manifest["database"]["engine"] != engine:
            raise BackupError(f"This archive holds a {manifest['database']['engine']} database; "
                              f"the target is {engine}.")
        if database.member != manifest["database"]["file"]:
            raise BackupError("The archive's database file does not match its engine.")
        media_root = Path(media_root or settings.MEDIA_ROOT)
        if not force:
            if not database.is_empty():
                raise BackupError("The database is not empty: restore into a new, empty "
                                  "database, or add --force to replace its contents.")
            if manifest["media"] == "local" and not _is_empty_folder(media_root):
                raise BackupError(f"The media folder {media_root} is not empty: restore into "
                                  "an empty one, or add --force to overwrite its files.")
        with tempfile.TemporaryDirectory(prefix="cluster-portal-restore-") as work:
            dump = Path(work) / database.member
            with archive.extractfile(database.member) as source, open(dump, "wb") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
            connection.close()  # the restore may replace the database Django has open
            database.restore(dump, force)
        for name in manifest["files"]:
            if not name.startswith(MEDIA):
                continue
            destination = media_root / name.removeprefix(MEDIA)  # checked by read_manifest
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(name) as source, open(destination, "wb") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
    return manifest


# --- Retention ------------------------------------------------------------------------------


def archives(folder):
    """The portal's archives in `folder` as (time, path), newest first."""
    found = []
    for path in Path(folder).glob(f"{PREFIX}*.tar"):
        try:
            when = datetime.datetime.strptime(path.stem.removeprefix(PREFIX), STAMP)
        except ValueError:
            continue
        found.append((when.replace(tzinfo=datetime.UTC), path))
    return sorted(found, reverse=True)


def prune(folder, keep_daily, keep_weekly):
    """Delete archives beyond the newest of each of the last `keep_daily` days and of each of
    the last `keep_weekly` ISO weeks. Returns the deleted paths."""
    keep, days, weeks = set(), [], []
    for when, path in archives(folder):
        day, week = when.date(), when.isocalendar()[:2]
        if day not in days and len(days) < keep_daily:
            days.append(day)
            keep.add(path)
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.append(week)
            keep.add(path)
    deleted = []
    for _, path in archives(folder):
        if path not in keep:
            path.unlink()
            deleted.append(path)
    return deleted
