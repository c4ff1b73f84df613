"""Where an uncached page's time goes: the load benchmark's URLs rendered in one process.

    .venv/bin/python bench/render.py [--database-url postgres://…/portal_bench7] [--repeat 300]
                                     [--profile "profile, uncached"] [--top 25] [--queries]

Runs the production settings (DEBUG off, Redis cache) through Django's WSGI handler, without
gunicorn, wrk or sockets, so that the figures are one process's CPU time per request and
change only when the code does. Before each "uncached" request every stored page is made stale
(the page cache misses, as
in bench/load.py's "uncached" rows). Prints milliseconds per request, with the median of five
batches, for the framework floor (`/robots.txt`) and each page, and the page's cost above the
floor. `--profile NAME` prints cProfile's top functions for one of them.
Use the database bench/load.py fills (`make bench` once).
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import production_env  # noqa: E402


def environ_for(path, query):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


class Client:
    def __init__(self, application):
        self.application = application
        self.counter = 0

    def get(self, url, bust):
        path, _, query = url.partition("?")
        if bust:
            # The page cache keys only on what a page reads: make every stored page stale
            # instead (one cache write, as a release does), so that this request renders.
            from cluster_portal.page_cache import forget_all_pages

            forget_all_pages()
        status = []
        body = self.application(environ_for(path, query),
                                lambda s, headers, exc_info=None: status.append(s))
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
        assert status[0].startswith("200"), (url, status[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/portal_bench7")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--repeat", type=int, default=300, help="requests per batch")
    parser.add_argument("--profile", help="print cProfile's top functions for this row")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--queries", action="store_true",
                        help="print each page's SQL statements with their wall time, once")
    args = parser.parse_args()

    if "bench" not in urlparse(args.database_url).path:
        sys.exit("Use the benchmark database (its name contains 'bench'): make bench fills it.")
    static_root = tempfile.mkdtemp(prefix="portal-render-")
    try:
        run(args, static_root)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def run(args, static_root):
    env = production_env(DATABASE_URL=args.database_url, REDIS_URL=args.redis_url,
                         CACHE_KEY_PREFIX=f"render-{os.getpid()}", PAGE_CACHE_SECONDS=5,
                         STATIC_ROOT=static_root)
    # The hashed names of the static files come from collectstatic's manifest, as in production.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cluster_portal.settings"
    import django
    from django.core.handlers.wsgi import WSGIHandler

    django.setup()
    from bench.load import sample_urls

    slug, directory, _all = sample_urls(args.database_url)
    profile = f"/clusters/{slug}/"
    cases = [
        ("robots.txt (framework floor)", "/robots.txt", False),
        ("profile, uncached", profile, True),
        ("print page, uncached", profile + "print/", True),
        ("directory, query + 3 facets, uncached", directory, True),
        ("profile, cached", profile, False),
    ]
    client = Client(WSGIHandler())
    for _name, url, bust in cases:  # warm-up: connections, templates, translations
        for _ in range(20):
            client.get(url, bust)

    if args.queries:
        print_queries(client, cases)

    print(f"{args.repeat} requests per batch, median of 5 batches, one process "
          f"(profile {slug})\n")
    print("| URL | ms per request | above the floor |")
    print("|---|---:|---:|")
    floor = None
    for name, url, bust in cases:
        batches = []
        for _ in range(5):
            start = time.process_time()
            for _ in range(args.repeat):
                client.get(url, bust)
            batches.append((time.process_time() - start) * 1000 / args.repeat)
        ms = statistics.median(batches)
        floor = floor if floor is not None else ms
        print(f"| {name} | {ms:.2f} | {ms - floor:.2f} |", flush=True)

    if args.profile:
        name, url, bust = next(c for c in cases if c[0].startswith(args.profile))
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(url, bust)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        print(f"\ncProfile, {name}, {args.repeat} requests:\n{out.getvalue()}")


def print_queries(client, cases):
    """Each URL's statements in one request, with the time until PostgreSQL answered."""
    from django.db import connection

    for name, url, bust in cases:
        statements = []

        def timed(execute, sql, params, many, context, statements=statements):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                statements.append(((time.perf_counter() - start) * 1000, sql))

        with connection.execute_wrapper(timed):
            client.get(url, bust)
        total = sum(ms for ms, _sql in statements)
        print(f"\n{name}: {len(statements)} statements, {total:.2f} ms")
        for ms, sql in statements:
            print(f"  {ms:6.2f} ms  {' '.join(sql.split())[:160]}")
    print()


if __name__ == "__main__":
    main()
