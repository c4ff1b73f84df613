"""Backup benchmark: backup_portal and restore_portal of 10,000 generated clusters on PostgreSQL.

    .venv/bin/python bench/backup.py [--database-url postgres://postgres@127.0.0.1:5432/portal_bench]
                                     [--count 10000] [--no-verify]

The database (its name must contain "bench") is made and filled as bench/load.py does it, once,
then reused. The archive goes to a temporary folder; the restore goes into a new database named
after the first with "_restore", dropped at the end. Both commands run as production runs them
(DEBUG off, their own processes); the times are the commands' whole run, start-up included.
With verification (the default) it then exports every profile from both databases
(`manage.py export_profiles`) and says whether they are byte-identical: the restore drill.

Goals (issue 20): backup <= 30 s, restore <= 60 s on this machine.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import prepare_database  # noqa: E402
from tests.processes import production_env  # noqa: E402


def timed(command, env):
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return seconds, result.stdout


def recreate(url):
    import psycopg2

    parts = urlparse(url)
    admin = psycopg2.connect(dbname="postgres", host=parts.hostname, port=parts.port or 5432,
                             user=parts.username, password=parts.password)
    admin.autocommit = True
    name = parts.path.lstrip("/")
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return lambda: _drop(url)


def _drop(url):
    import psycopg2

    parts = urlparse(url)
    admin = psycopg2.connect(dbname="postgres", host=parts.hostname, port=parts.port or 5432,
                             user=parts.username, password=parts.password)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/portal_bench")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--no-verify", action="store_true")
    args = parser.parse_args()
    prepare_database(args.database_url, args.count)
    restore_url = args.database_url + "_restore"
    with tempfile.TemporaryDirectory(prefix="portal-bench-backup-") as work:
        work = Path(work)
        env = production_env(DATABASE_URL=args.database_url, MEDIA_ROOT=work / "media-source",
                             BACKUP_ROOT=work / "backups")
        backup_s, printed = timed(["backup_portal", "--no-prune"], env)
        [archive] = (work / "backups").glob("cluster-portal-*.tar")
        size = archive.stat().st_size
        drop = recreate(restore_url)
        try:
            restore_env = production_env(DATABASE_URL=restore_url,
                                         MEDIA_ROOT=work / "media-restored")
            restore_s, _ = timed(["restore_portal", str(archive)], restore_env)
            identical = None
            if not args.no_verify:
                _, before = timed(["export_profiles"], env)
                _, after = timed(["export_profiles"], restore_env)
                identical = before == after and len(before.splitlines()) >= args.count
        finally:
            drop()
    print(f"\n{args.count} generated clusters on PostgreSQL\n")
    print("| step | seconds | goal | archive |")
    print("|---|---|---|---|")
    print(f"| backup_portal | {backup_s:.1f} | ≤ 30 | {size / 1e6:.1f} MB |")
    print(f"| restore_portal into an empty database | {restore_s:.1f} | ≤ 60 | |")
    if identical is not None:
        print(f"\nexport_profiles after the restore byte-identical: "
              f"{'yes' if identical else 'NO'}")
    ok = backup_s <= 30 and restore_s <= 60 and identical is not False
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
