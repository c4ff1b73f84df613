"""Replays the security review's findings (issue 15) against the portal served as in production.

    .venv/bin/python bench/hardening.py [--database-url postgres://postgres@127.0.0.1:5432/portal_hardening]

It makes a scratch PostgreSQL database (its name must contain "hardening"; it is dropped and
created afresh), loads the demo, and starts what production runs: gunicorn with DEBUG off
behind one proxy (PROXY_COUNT=1, every request carries X-Forwarded-For and
X-Forwarded-Proto), a Redis of its own (so it can be stopped for finding 9), the database task
queue and one `db_worker`. E-mail goes to files, so the script reads what was sent. Then it
attacks as the review did and prints, for each finding, "held" or "BROKEN" with what it saw.
Exit status 1 when any finding is broken.
"""

import argparse
import io
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.forms import form_data  # noqa: E402
from tests.images import huge_png  # noqa: E402
from tests.processes import HttpSession, free_port, gunicorn, manage, production_env  # noqa: E402

PROFILE = "/clusters/smart-city-cluster/"
PASSWORD = "hardening-replay-password"


# --- The portal as production runs it -------------------------------------------------------


def fresh_database(url):
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if "hardening" not in name:
        sys.exit(f"Refusing to use {name!r}: the database's name must contain 'hardening'.")
    admin = psycopg2.connect(dbname="postgres", host=parts.hostname, port=parts.port or 5432,
                             user=parts.username, password=parts.password)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


class Redis:
    """A Redis of the script's own, on a free port, that keeps nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL)
        import redis

        self.client = redis.Redis(port=self.port)
        for _ in range(50):
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        sys.exit("redis-server did not start")

    def keys(self, pattern):
        return list(self.client.scan_iter(pattern, count=1000))

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class Visitor(HttpSession):
    """A browser behind the portal's proxy: nginx adds X-Forwarded-For with its address."""

    def __init__(self, address, client_address="198.51.100.7", host=None):
        super().__init__(address)
        self.client_address = client_address
        self.host = host

    def request(self, method, path, body=None, headers=None):
        headers = {"X-Forwarded-For": self.client_address, **(headers or {})}
        if self.host:
            headers["Host"] = self.host
            # A browser's Origin and Referer name the host it asked for (CSRF checks them).
            for name in ("Origin", "Referer"):
                if name in headers:
                    headers[name] = headers[name].replace(self.address, self.host, 1)
        return super().request(method, path, body=body, headers=headers)

    def upload(self, path, fields, files):
        """POST a multipart form (file fields as (name, bytes))."""
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields.items():
            for item in value if isinstance(value, list) else [value]:
                out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                          f"\r\n\r\n{item}\r\n".encode())
        for name, (filename, content) in files.items():
            out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                      f'filename="{filename}"\r\nContent-Type: application/octet-stream'
                      "\r\n\r\n".encode() + content + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        origin = f"https://{self.address}"
        return self.request("POST", path, body=out.getvalue(), headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Origin": origin, "Referer": origin + path,
        })

    def csrf(self):
        return self.cookies.get("csrftoken", "")


def shell(env, code):
    return manage("shell", "--no-imports", "-c", code, env=env).stdout.strip()


# --- The findings ---------------------------------------------------------------------------

FINDINGS = []


def finding(title):
    def register(check):
        FINDINGS.append((title, check))
        return check
    return register


@finding("1. behind a proxy, five wrong passwords from one address do not lock everyone out")
def lockout(portal):
    attacker = Visitor(portal.address, client_address="203.0.113.66")
    attacker.get("/admin/login/")
    for n in range(6):
        attacker.post("/admin/login/", {"csrfmiddlewaretoken": attacker.csrf(),
                                        "username": f"nobody-{n}", "password": "wrong"})
    colleague = Visitor(portal.address, client_address="198.51.100.20")
    colleague.get("/admin/login/")
    answer = colleague.post("/admin/login/?next=/admin/", {
        "csrfmiddlewaretoken": colleague.csrf(), "username": "editor", "password": PASSWORD,
        "next": "/admin/"})
    again = attacker.post("/admin/login/", {"csrfmiddlewaretoken": attacker.csrf(),
                                            "username": "editor", "password": PASSWORD})
    return answer.status == 302 and again.status != 302, (
        f"colleague's login: {answer.status}; the attacker's address, right password: "
        f"{again.status} (locked out)")


@finding("3. 'Invite staff' shows no link and changes no account, whatever the mail does")
def invitation(portal):
    editor = portal.editor
    page = editor.get(f"/admin/profiles/cluster/{portal.cluster_pk}/invite/")
    answer = editor.post(f"/admin/profiles/cluster/{portal.cluster_pk}/invite/", {
        "csrfmiddlewaretoken": editor.csrf(), "email": "root@portal.example"})
    after = editor.get(f"/admin/profiles/cluster/{portal.cluster_pk}/invite/")
    shown = re.findall(r"/accounts/(?:reset|invitation)/[^\s\"<]+", page.text + after.text)
    state = shell(portal.env, (
        "from django.contrib.auth.models import User\n"
        "u = User.objects.get(username='root')\n"
        "print(u.has_usable_password(), u.staffed_clusters.count())"))
    return answer.status == 302 and not shown and state == "False 0", (
        f"invite: {answer.status}; links on the editor's pages: {shown or 'none'}; "
        f"root's usable password, clusters: {state}")


@finding("4. the PDF is rendered once, whatever Host port a request names")
def pdf_cache_key(portal):
    before = len(portal.redis.keys("*profile-pdf*"))
    statuses = []
    for port in (portal.port, 1, 2, 3):
        visitor = Visitor(portal.address, host=f"127.0.0.1:{port}")
        answer = visitor.get(PROFILE + "profile.pdf")
        statuses.append(answer.status)
        if port == 3:
            body = answer.body
    added = len(portal.redis.keys("*profile-pdf*")) - before
    leaked = b":3/" in body or b"127.0.0.1:3" in body
    return statuses == [200] * 4 and added <= 2 and not leaked, (
        f"statuses {statuses}; PDF cache entries added: {added} (one PDF, plus its lock at "
        f"most); the Host's port in the PDF: {leaked}")


@finding("5. query parameters a page does not read create no cache entries")
def page_cache_keys(portal):
    visitor = Visitor(portal.address)
    visitor.get(PROFILE)
    before = len(portal.redis.keys("*page:*"))
    for _ in range(500):
        visitor.get(f"{PROFILE}?utm={secrets.token_hex(6)}")
    for _ in range(200):
        junk = secrets.token_hex(4)
        visitor.get(f"/clusters/?{junk}={junk}&country=ES&sector={junk}&page=1&sort={junk}")
    added = len(portal.redis.keys("*page:*")) - before
    return added <= 2, f"700 requests with junk parameters added {added} page entries"


@finding("6. the 404 page's language links stay on the site")
def language_switcher(portal):
    visitor = Visitor(portal.address)
    answers = [visitor.get(path) for path in ("//evil.example/phish", "/es//evil.example/x",
                                               "/\\evil.example/x")]
    links = [link for answer in answers
             for link in re.findall(r'href="([^"]*evil[^"]*)"', answer.text)]
    off_site = [link for link in links if link.startswith(("//", "/\\", "http"))]
    return not off_site, f"statuses {[a.status for a in answers]}; off-site links: {off_site}"


@finding("7. absolute addresses come from SITE_URL, never from the Host header")
def site_url(portal):
    visitor = Visitor(portal.address, host="127.0.0.1:9999")
    pages = {path: visitor.get(path) for path in (
        "/robots.txt", "/sitemap.xml", "/sitemap-profiles.xml", PROFILE,
        PROFILE + "profile.json", "/clusters/export.csv", "/clusters/export.json")}
    visitor.get("/admin/password_reset/")
    visitor.post("/admin/password_reset/", {"csrfmiddlewaretoken": visitor.csrf(),
                                            "email": "editor@portal.example"})
    mail = wait_for_mail(portal, "editor@portal.example")
    leaks = [path for path, answer in pages.items() if ":9999" in answer.text]
    if ":9999" in mail or "portal.example.org" not in mail:
        leaks.append("password reset e-mail")
    statuses = {path: answer.status for path, answer in pages.items() if answer.status != 200}
    return not leaks and not statuses and mail != "", (
        f"':9999' found in: {leaks or 'nothing'}; not 200: {statuses or 'none'}")


@finding("8. password reset takes as long for an unknown address as for a known one")
def reset_timing(portal):
    visitor = Visitor(portal.address)
    visitor.get("/admin/password_reset/")
    times = {"known": [], "unknown": []}
    for n in range(40):
        for kind, email in (("known", "editor@portal.example"),
                            ("unknown", f"nobody{n}@portal.example")):
            start = time.perf_counter()
            visitor.post("/admin/password_reset/", {"csrfmiddlewaretoken": visitor.csrf(),
                                                    "email": email})
            times[kind].append(time.perf_counter() - start)
    known, unknown = (statistics.median(times[k]) * 1000 for k in ("known", "unknown"))
    return abs(known - unknown) <= max(3.0, 0.25 * min(known, unknown)), (
        f"median {known:.1f} ms for a known address, {unknown:.1f} ms for an unknown one "
        "(40 each, interleaved)")


@finding("11. CSV formulas are escaped in every list item and after blanks")
def csv_formulas(portal):
    answer = Visitor(portal.address).get("/clusters/export.csv?q=hardening")
    text = answer.text
    ok = "'=cmd|' /C calc'!A0" in text and "' =1+1 formula" in text
    raw = re.findall(r"(?:^|[;,\"] ?)(=cmd[^;\"]*)", text)
    return ok and not raw, f"escaped items found: {ok}; unescaped formulas: {raw or 'none'}"


@finding("12. public pages answer GET and HEAD only; static files and the 400 carry the CSP")
def methods_and_headers(portal):
    visitor = Visitor(portal.address)
    visitor.get("/admin/login/")  # a CSRF cookie, so that only the method can be refused
    origin = f"https://{portal.address}"
    wrong = []
    for path in ("/", "/clusters/", PROFILE, PROFILE + "print/", PROFILE + "profile.json",
                 "/clusters/export.csv", "/robots.txt", "/sitemap.xml"):
        for method in ("POST", "PUT", "DELETE", "TRACE", "PATCH"):
            status = visitor.request(method, path, headers={
                "X-CSRFToken": visitor.csrf(), "Origin": origin, "Referer": origin + path,
            }).status
            if status != 405:
                wrong.append(f"{method} {path}: {status}")
    home = visitor.get("/").text
    stylesheet = re.search(r'href="(/static/css/[^"]+\.css)"', home).group(1)
    static = visitor.get(stylesheet)
    bad_host = Visitor(portal.address, host="evil.example").get("/")
    for name, answer in (("static file", static), ("bad host", bad_host)):
        if not answer.header("content-security-policy"):
            wrong.append(f"{name} ({answer.status}) has no Content-Security-Policy")
        if answer.header("x-frame-options") != "DENY":
            wrong.append(f"{name} ({answer.status}) has no X-Frame-Options: DENY")
    return not wrong, "; ".join(wrong) or "every method refused with 405; headers present"


def import_file(portal, name, content, dry_run=True, wait=60):
    """Upload `content` on the admin's import page as the editor; (upload status, final page).

    The import runs in the worker; the run's page reloads itself until it has the report."""
    editor = portal.editor
    editor.get("/admin/profiles/cluster/import/")
    fields = {"csrfmiddlewaretoken": editor.csrf(), "status": "draft"}
    if dry_run:
        fields["dry_run"] = "on"
    answer = editor.upload("/admin/profiles/cluster/import/", fields, {"file": (name, content)})
    if answer.status != 302:
        return answer.status, answer.text
    run_page = answer.header("location")
    deadline = time.monotonic() + wait
    while True:
        page = editor.get(run_page)
        if 'http-equiv="refresh"' not in page.text or time.monotonic() > deadline:
            return answer.status, page.text
        time.sleep(0.5)


@finding("2 and 10. a file the import cannot read gets a clear message, never a 405 or 500")
def malformed_imports(portal):
    cases = [
        ("nul.csv", b"slug,name,country\nnul,Na\x00me,ES\n", "NUL byte"),
        ("deep.json", b"[" * 5000 + b"]" * 5000, "nested too deeply"),
        ("cell.csv", b"slug,name,country\nbig," + b"a" * 50_000_000 + b",ES\n",
         "longer than"),
        ("logo.csv", b"slug,name,country,logo\nlogo-folder,Logo Folder,ES,/media/logos/\n",
         "not an image file"),
    ]
    wrong = []
    for name, content, expected in cases:
        status, text = import_file(portal, name, content)
        if status not in (200, 302) or expected not in text:
            wrong.append(f"{name}: {status}, {expected!r} missing")
    bad = Path(tempfile.mkdtemp()) / "bad.csv"
    bad.write_text("slug,name,country\nsmart-city-cluster,Renamed,ES\nbroken,,XX\n")
    command = manage("import_clusters", str(bad), env=portal.env, check=False)
    if "Updated" in command.stdout or "nothing was imported" not in command.stdout + command.stderr:
        wrong.append(f"the command printed: {command.stdout[:200]!r}")
    return not wrong, "; ".join(wrong) or (
        "NUL byte, 5,000-deep JSON, 50 MB cell and a logo folder each refused with its message; "
        "the command prints no updates for a failing file")


@finding("4. an oversized or disguised logo is refused on upload")
def logo_upload(portal):
    editor = portal.editor
    change = f"/admin/profiles/cluster/{portal.cluster_pk}/change/"
    wrong = []
    for name, content, expected in (
        ("huge.png", huge_png(13000), "at most 4000"),
        ("script.png", b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",
         "PNG, JPEG or WebP"),
    ):
        fields = form_data(editor.get(change).text, "cluster_form")
        fields["csrfmiddlewaretoken"] = editor.csrf()
        answer = editor.upload(change, fields, {"logo": (name, content)})
        if answer.status != 200 or expected not in answer.text.replace("&times;", "×"):
            wrong.append(f"{name}: {answer.status}")
    return not wrong, "; ".join(wrong) or "13,000 px PNG and EPS named .png refused with messages"


@finding("9. the PDF and the pages still answer while Redis is down")
def redis_down(portal):
    portal.redis.stop()
    try:
        visitor = Visitor(portal.address)
        pdf = visitor.get("/es" + PROFILE + "profile.pdf")
        page = visitor.get(PROFILE)
    finally:
        portal.redis.start()
    return pdf.status == 200 and pdf.body.startswith(b"%PDF") and page.status == 200, (
        f"PDF: {pdf.status}, profile: {page.status}")


@finding("10. a 108,000-row dry run answers at once; the worker runs it")
def large_import(portal):
    rows = "".join(f"gen-{n},Generated Cluster {n},ES\n" for n in range(108_000))
    start = time.perf_counter()
    status, text = import_file(portal, "large.csv", ("slug,name,country\n" + rows).encode(),
                               wait=0)
    seconds = time.perf_counter() - start
    return status == 302 and seconds < 30, (
        f"the upload answered {status} after {seconds:.1f} s (gunicorn kills a request at 30 s)")


def wait_for_mail(portal, address, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in sorted(portal.mail_dir.glob("*.log")):
            text = path.read_text(errors="replace")
            if address in text:
                path.unlink()
                return text
        time.sleep(0.3)
    return ""


# --- Running it -----------------------------------------------------------------------------


class Portal:
    pass


def set_up(args, workdir):
    fresh_database(args.database_url)
    portal = Portal()
    portal.redis = Redis()
    portal.mail_dir = Path(workdir) / "mail"
    portal.mail_dir.mkdir()
    portal.env = production_env(
        DATABASE_URL=args.database_url, REDIS_URL=portal.redis.url, PROXY_COUNT=1,
        TASK_BACKEND="database", SITE_URL="https://portal.example.org",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=portal.mail_dir, STATIC_ROOT=Path(workdir) / "static",
        MEDIA_ROOT=Path(workdir) / "media", ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    print("migrate, demo, accounts…", flush=True)
    manage("migrate", "--noinput", "-v0", env=portal.env)
    manage("loaddata", "fixtures/demo.json", "-v0", env=portal.env)
    manage("refresh_clusters", "-v0", env=portal.env)
    manage("collectstatic", "--noinput", "-v0", env=portal.env)
    portal.cluster_pk = int(shell(portal.env, (
        "from django.contrib.auth.models import Group, User\n"
        "from profiles.models import Cluster, EDITORS_GROUP\n"
        f"e = User.objects.create_user('editor', 'editor@portal.example', '{PASSWORD}',"
        " is_staff=True)\n"
        "e.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])\n"
        "User.objects.create_superuser('root', 'root@portal.example', None)\n"
        "print(Cluster.objects.get(slug='smart-city-cluster').pk)")))
    return portal


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url",
                        default="postgres://postgres@127.0.0.1:5432/portal_hardening")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="portal-hardening-")
    portal = set_up(args, workdir)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=ROOT, env=portal.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = []
    try:
        with gunicorn(portal.env, workers=2, log_path=Path(workdir) / "gunicorn.log") as address:
            portal.address, portal.port = address, int(address.rsplit(":", 1)[1])
            portal.editor = Visitor(address, client_address="198.51.100.30")
            portal.editor.log_in("editor", PASSWORD)
            prepare_data(portal)
            for title, check in FINDINGS:
                try:
                    held, detail = check(portal)
                except Exception as error:  # a check that crashes is a finding not held
                    held, detail = False, f"the check failed: {error!r}"
                results.append((title, held, detail))
                print(f"{'held  ' if held else 'BROKEN'} {title}\n       {detail}", flush=True)
    finally:
        # A stopped worker finishes its task first: here the long import, which is not needed.
        worker.kill()
        worker.wait(timeout=30)
        portal.redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    broken = [title for title, held, _detail in results if not held]
    print(f"\n{len(results) - len(broken)} of {len(results)} findings held.")
    sys.exit(1 if broken else 0)


def prepare_data(portal):
    """A published cluster whose names a spreadsheet would run, for finding 11."""
    shell(portal.env, (
        "from cluster_portal import changes\n"
        "from profiles.models import Cluster\n"
        "c = Cluster.objects.get(slug='smart-city-cluster')\n"
        "c.pk = None; c.slug = 'hardening-formulas'; c.name = ' =1+1 formula hardening'\n"
        "c.save()\n"
        "c.major_players.create(name='Safe Player', position=1)\n"
        "c.major_players.create(name=\"=cmd|' /C calc'!A0\", position=2)\n"
        "changes.clusters_changed([c.pk])\n"))


if __name__ == "__main__":
    main()
