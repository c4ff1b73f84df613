"""Backups: backup → restore into a new database → every profile exported byte for byte the same.

The restored portal is read by a `manage.py export_profiles` of its own process, pointed at the
new database and media folder, as an operator's restore drill does.
"""

import hashlib
import io
import json
import tarfile

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cluster_portal.backups import prune
from cluster_portal.models import Backup
from profiles.models import Cluster
from tests.factories import ClusterFactory, ContactFactory, full_profile
from tests.images import image_bytes
from tests.processes import manage, production_env

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(media):
    """Profiles of every status, one with every tab filled, a logo and a contact changed once
    (so it has history). Factories rather than the demo fixture: a transactional test
    empties the tables after it, the vocabularies the fixture refers to included."""
    cluster = full_profile(name="Smart City Cluster")
    ClusterFactory(name="Draft Cluster", draft=True)
    ClusterFactory(name="Retired Cluster", retired=True)
    ContactFactory(cluster=ClusterFactory(name="Ñandú Clúster Logístico"), name="Łukasz Ő")
    cluster.logo.save("smart-city.png", ContentFile(image_bytes(size=(120, 80))))
    contact = ContactFactory(cluster=cluster, name="Ana Ruiz", email="ana@example.org")
    contact.phone_numbers = "+34600111222"
    contact.save()
    return cluster


@pytest.fixture
def new_database(tmp_path):
    """The URL of a new, empty database of the test run's kind; dropped afterwards on PG."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    # Named after the test database, so that test runs on other databases never clash.
    name = f"{connection.settings_dict['NAME']}_restored"
    server = dict(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                  password=db["PASSWORD"] or None)

    def run(sql):
        conn = psycopg2.connect(dbname="postgres", **server)
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(sql)
        conn.close()

    run(f'DROP DATABASE IF EXISTS "{name}"')
    run(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield f"postgres://{db['USER']}{password}@{server['host']}:{server['port']}/{name}"
    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def export_here():
    out = io.StringIO()
    call_command("export_profiles", stdout=out)
    return out.getvalue().encode()


def export_of(database_url, media_root):
    result = manage("export_profiles", env=production_env(
        DATABASE_URL=database_url, MEDIA_ROOT=media_root, SITE_URL=settings.SITE_URL))
    return result.stdout.encode()


def backup(folder):
    out = io.StringIO()
    call_command("backup_portal", "--folder", folder, stdout=out)
    return Backup.objects.latest().file_name, out.getvalue()


def test_backup_then_restore_into_a_new_database_gives_every_profile_byte_for_byte(
    demo, media, new_database, tmp_path
):
    before = export_here()
    name, printed = backup(tmp_path / "backups")
    archive = tmp_path / "backups" / name
    assert str(archive) in printed

    restored_media = tmp_path / "restored-media"
    call_command("restore_portal", archive, "--database-url", new_database,
                 "--media-root", restored_media, stdout=io.StringIO())

    after = export_of(new_database, restored_media)
    assert after == before
    assert len(after.splitlines()) == Cluster.objects.count() == 4
    assert b"ana@example.org" in after and b"smart-city" in after
    # The logo's bytes came back too, under the same name.
    logo = demo.logo.name
    assert (restored_media / logo).read_bytes() == (media / logo).read_bytes()
    # The history came with it: the restored portal can still undo the contact's change.
    assert "Ana Ruiz" in manage(
        "shell", "-c",
        "from profiles.models import Contact; "
        "print(Contact.history.filter(email='ana@example.org').count(), "
        "Contact.history.first().name)",
        env=production_env(DATABASE_URL=new_database)).stdout


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(demo, new_database,
                                                                    tmp_path):
    name, _ = backup(tmp_path / "backups")
    archive = tmp_path / "backups" / name
    call_command("restore_portal", archive, "--database-url", new_database,
                 "--media-root", tmp_path / "first", stdout=io.StringIO())
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore_portal", archive, "--database-url", new_database,
                     "--media-root", tmp_path / "second")
    assert not (tmp_path / "second").exists()
    # Told to, it replaces what the database holds (the media folder may be full too).
    call_command("restore_portal", archive, "--database-url", new_database, "--media-root",
                 tmp_path / "first", "--force", stdout=io.StringIO())
    assert export_of(new_database, tmp_path / "first") == export_here()


def test_restore_refuses_a_media_folder_that_is_not_empty(demo, new_database, tmp_path):
    name, _ = backup(tmp_path / "backups")
    full = tmp_path / "full-media"
    full.mkdir()
    (full / "something.txt").write_text("kept")
    with pytest.raises(CommandError, match="media folder .* is not empty"):
        call_command("restore_portal", tmp_path / "backups" / name,
                     "--database-url", new_database, "--media-root", full)
    assert (full / "something.txt").read_text() == "kept"


def damaged_copies(archive, tmp_path):
    data = archive.read_bytes()
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(data[: len(data) // 2])
    yield "truncated", truncated, "damaged"

    # One byte of the database dump changed, the tar structure intact.
    flipped = tmp_path / "flipped.tar"
    with tarfile.open(archive) as source, tarfile.open(flipped, "w") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name.startswith("database."):
                content = content[:-10] + bytes([content[-10] ^ 0xFF]) + content[-9:]
            target.addfile(member, io.BytesIO(content))
    yield "altered", flipped, "database.* differs from its checksum"

    not_a_backup = tmp_path / "notes.tar"
    with tarfile.open(not_a_backup, "w") as target:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        target.addfile(info, io.BytesIO(b"hello"))
    yield "foreign", not_a_backup, "no readable manifest"

    # A manifest that names a file outside the media folder, with a matching checksum.
    escaping = tmp_path / "escaping.tar"
    with tarfile.open(archive) as source, tarfile.open(escaping, "w") as target:
        manifest = json.load(source.extractfile("manifest.json"))
        payload = b"#!/bin/sh\n"
        manifest["files"]["media/../../outside.sh"] = {
            "sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "manifest.json":
                content = json.dumps(manifest).encode()
                member.size = len(content)
            target.addfile(member, io.BytesIO(content))
        info = tarfile.TarInfo("media/../../outside.sh")
        info.size = len(payload)
        target.addfile(info, io.BytesIO(payload))
    yield "escaping", escaping, "would be written outside the media folder"


def test_a_corrupted_archive_is_refused_with_a_clear_message_and_nothing_restored(
    demo, new_database, tmp_path
):
    name, _ = backup(tmp_path / "backups")
    for _kind, damaged, message in damaged_copies(tmp_path / "backups" / name, tmp_path):
        target_media = tmp_path / f"media-{damaged.stem}"
        with pytest.raises(CommandError, match=message):
            call_command("restore_portal", damaged, "--database-url", new_database,
                         "--media-root", target_media)
        assert not target_media.exists()
    assert not (tmp_path.parent / "outside.sh").exists()
    # The new database was never written to: it still takes a restore.
    call_command("restore_portal", tmp_path / "backups" / name, "--database-url",
                 new_database, "--media-root", tmp_path / "good-media", stdout=io.StringIO())


def test_the_archive_lists_every_file_with_its_checksum(demo, tmp_path):
    name, _ = backup(tmp_path / "backups")
    with tarfile.open(tmp_path / "backups" / name) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        names = set(archive.getnames())
    assert set(manifest["files"]) | {"manifest.json"} == names
    assert f"media/{demo.logo.name}" in names
    assert manifest["migrations"]["profiles"].startswith("00")


def test_retention_keeps_the_newest_of_each_day_and_of_each_week(tmp_path):
    days = ["20260101", "20260105", "20260106", "20260112", "20260113", "20260114"]
    for day in days:
        for hour in ("010000", "130000"):
            (tmp_path / f"cluster-portal-{day}-{hour}.tar").write_bytes(b"")
    (tmp_path / "cluster-portal-notes.tar").write_bytes(b"")  # not an archive name: kept
    prune(tmp_path, keep_daily=2, keep_weekly=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cluster-portal-20260101-130000.tar",  # newest of ISO week 1
        "cluster-portal-20260106-130000.tar",  # newest of week 2
        "cluster-portal-20260113-130000.tar",  # the last two days...
        "cluster-portal-20260114-130000.tar",  # ...the newest also of week 3
        "cluster-portal-notes.tar",
    ]
