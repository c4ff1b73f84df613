"""Upgrades: a database made by the previous release, with the demo in it, migrated by this
release, holds every profile exactly as a new installation of this release loading the same
demo does. The README's release steps (docs/operations.md, "Releases") in a test.

The previous release is the one named below: the newest release tag once releases are tagged,
until then the last state of `main` before the changes this branch brought. The test takes its
code from git (`git archive`), runs its own `migrate` and `loaddata` in a process of its own,
then this release's `migrate`.
"""

import json
import subprocess
import sys
import tarfile

import psycopg2
import pytest
from django.conf import settings

from tests.processes import ROOT, manage, production_env

# Replace by the newest release tag (`git tag -l 'v*'`) when a release is tagged.
PREVIOUS_RELEASE = "f05fe03"


def previous_release_code(folder):
    """The previous release's files in `folder`, from git."""
    archive = folder / "previous.tar"
    with open(archive, "wb") as out:
        result = subprocess.run(["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE],
                                stdout=out, stderr=subprocess.PIPE, text=False)
    assert result.returncode == 0, (
        f"git cannot give the previous release {PREVIOUS_RELEASE}: "
        f"{result.stderr.decode().strip()} (the test needs a full clone)"
    )
    code = folder / "previous"
    with tarfile.open(archive) as tar:
        tar.extractall(code, filter="data")
    return code


def run_previous(code, *args, env):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=code, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"previous release: manage.py {args}:\n{result.stderr[-3000:]}"


@pytest.fixture
def database_urls(tmp_path):
    """Two new, empty databases of the test run's kind: (upgraded, fresh)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        yield (f"sqlite:///{tmp_path / 'upgraded.sqlite3'}",
               f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
        return
    # Named after the test database, so that test runs on other databases never clash.
    base = f"test_{db['NAME'].removeprefix('test_')}"
    names = [f"{base}_upgraded", f"{base}_fresh"]
    server = dict(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                  password=db["PASSWORD"] or None)

    def run(*statements):
        conn = psycopg2.connect(dbname="postgres", **server)
        conn.autocommit = True
        with conn.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        conn.close()

    for name in names:
        run(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield tuple(f"postgres://{db['USER']}{password}@{server['host']}:{server['port']}/{n}"
                for n in names)
    for name in names:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def demo_installed(run, env):
    run("migrate", "--noinput", "-v0", env=env)
    run("loaddata", "fixtures/demo.json", "-v0", env=env)
    run("refresh_clusters", env=env)


def test_a_database_of_the_previous_release_upgrades_with_every_profile_intact(
    database_urls, tmp_path
):
    upgraded, fresh = database_urls
    env = {url: production_env(DATABASE_URL=url, SITE_URL="https://portal.example.org")
           for url in database_urls}

    code = previous_release_code(tmp_path)
    demo_installed(lambda *a, env: run_previous(code, *a, env=env), env[upgraded])
    # This release refuses to serve the old database (`make serve` runs this check first).
    assert manage("migrate", "--check", env=env[upgraded], check=False).returncode != 0

    manage("migrate", "--noinput", "-v0", env=env[upgraded])
    assert manage("migrate", "--check", env=env[upgraded], check=False).returncode == 0

    demo_installed(manage, env[fresh])
    after_upgrade = manage("export_profiles", env=env[upgraded]).stdout
    new_installation = manage("export_profiles", env=env[fresh]).stdout
    # This release's demo adds cooperation offers, which the previous release did not have:
    # the upgraded profiles have none, and are otherwise the new installation's, field for field.
    upgraded_records = [json.loads(line) for line in after_upgrade.splitlines()]
    fresh_records = [json.loads(line) for line in new_installation.splitlines()]
    assert [record.pop("cooperation_offers") for record in upgraded_records] == [[]] * 21
    assert any([record.pop("cooperation_offers") for record in fresh_records])
    assert upgraded_records == fresh_records
    assert len(upgraded_records) == 21
    # The contacts entered under "Optional; public." stay public after the upgrade.
    assert '"email": "m.legoff@example.org"' in after_upgrade
