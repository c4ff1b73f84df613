"""Serving in production: static files by whitenoise under gunicorn, media storage choices."""

import json
import re

from tests.processes import HttpSession, gunicorn, manage, production_env

READ_STORAGE = (
    "import json;"
    "from django.conf import settings;"
    "from django.core.files.storage import storages; s = storages['default'];"
    "print(json.dumps([type(s).__name__, s.url('logos/smart-city.png'),"
    " settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
)


def test_static_files_are_hashed_compressed_and_cached_for_a_year(
    live_database_url, collected_static
):
    env = production_env(DATABASE_URL=live_database_url, STATIC_ROOT=collected_static)
    with gunicorn(env) as address:
        browser = HttpSession(address)
        page = browser.get("/")
        stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page.text)
        assert stylesheet, "pages link the hashed file name"
        for encoding in ("br", "gzip"):
            response = browser.get(stylesheet.group(1), headers={"Accept-Encoding": encoding})
            assert response.status == 200
            assert response.header("content-encoding") == encoding
            assert response.header("cache-control") == "max-age=315360000, public, immutable"
            # Served by whitenoise before the views' middleware, and protected all the same.
            assert response.header("x-frame-options") == "DENY"
            assert "default-src 'none'" in response.header("content-security-policy")
        assert browser.get("/static/css/no-such-file.css").status == 404


def test_media_is_a_local_folder_by_default():
    result = manage("shell", "--no-imports", "-c", READ_STORAGE, env=production_env())
    storage, url, images = json.loads(result.stdout)
    assert storage == "FileSystemStorage"
    assert url == "/media/logos/smart-city.png"
    assert images == ["'self'", "data:"]


def test_media_can_live_in_an_s3_compatible_bucket():
    env = production_env(MEDIA_STORAGE="s3", MEDIA_S3_BUCKET="portal-media",
                         MEDIA_S3_CUSTOM_DOMAIN="media.example.org")
    storage, url, images = json.loads(
        manage("shell", "--no-imports", "-c", READ_STORAGE, env=env).stdout
    )
    assert storage == "S3Storage"
    assert url == "https://media.example.org/media/logos/smart-city.png"
    # The pages' policy lets logos come from there.
    assert images == ["'self'", "data:", "https://media.example.org"]


def test_an_unknown_media_storage_is_a_clear_error():
    result = manage("check", env=production_env(MEDIA_STORAGE="ftp"), check=False)
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be 'local' or 's3', not 'ftp'" in result.stderr
    result = manage("check", env=production_env(MEDIA_STORAGE="s3"), check=False)
    assert "MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET" in result.stderr
