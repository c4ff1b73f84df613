"""Run the portal as production does: manage.py commands and gunicorn in their own processes.

Used by the tests that need DEBUG off from the start (settings are read at start-up) or
several app servers; `HttpSession` is a browser with cookies for talking to them.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"


def production_env(**overrides):
    """The environment of a production app server behind a TLS-terminating proxy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,testserver,portal.example.org",
        LOG_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def manage(*args, env, check=True):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env, workers=1, log_path=None):
    """An app server on a free loopback port; yields its address, e.g. 127.0.0.1:41234."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    log = open(log_path or os.devnull, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
         "--bind", address, "--workers", str(workers), "cluster_portal.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_MAX_REQUESTS": "0"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_listening(port, process)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_listening(port, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start listening")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case names, list of values each
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def header(self, name):
        values = self.headers.get(name.lower())
        return values[0] if values else None


class HttpSession:
    """A browser talking to one app server as if through the TLS proxy: cookies, forms, CSRF."""

    def __init__(self, address):
        self.address = address
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(self.address, timeout=30)
        all_headers = {
            "Host": self.address,
            "X-Forwarded-Proto": "https",  # as nginx says after terminating TLS
            **(headers or {}),
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=all_headers)
        raw = connection.getresponse()
        headers = {}
        for name, value in raw.getheaders():
            headers.setdefault(name.lower(), []).append(value)
        response = Response(raw.status, headers, raw.read())
        connection.close()
        for cookie in headers.get("set-cookie", []):
            for name, morsel in SimpleCookie(cookie).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields):
        """POST a form the way a browser does after loading `path` over https."""
        origin = f"https://{self.address}"
        body = urllib.parse.urlencode(fields, doseq=True)
        return self.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": origin + path,
            },
        )

    def log_in(self, username, password):
        page = self.get("/admin/login/")
        assert page.status == 200, page.status
        response = self.post(
            "/admin/login/?next=/admin/",
            {
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
                "username": username,
                "password": password,
                "next": "/admin/",
            },
        )
        assert response.status == 302, response.text[:2000]
        return response
