"""Settings for the cluster portal, read from the environment.

The defaults serve a newcomer's `make run`: DEBUG on, an SQLite file, a development
secret key. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from js_asset import Script

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-key-only-for-make-run-and-tests"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

# The public address of the portal: every absolute address it writes (canonical links, sitemap,
# exports, PDFs, password-reset e-mails) starts with it, never with the request's Host header.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Who publishes the portal: named at the foot of every public page.
PORTAL_PUBLISHER = os.environ.get("PORTAL_PUBLISHER", "Cluster Portal demo (not a real publisher)")

INSTALLED_APPS = [
    # Before the admin: its templates (templates/admin/…) override the admin's own.
    "editorial",
    # The admin with the portal's site: scoped "view on site" and editors' notices.
    "editorial.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # full-text search and trigram lookups (harmless on SQLite)
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "simple_history",
    "axes",
    "csp",
    "django_prose_editor",  # the admin's rich-text editor (its scripts and styles)
    "django_tasks",
    "django_tasks_db",  # the queue's table, used when TASK_BACKEND=database
    # Before ninja: its page template (api/templates/ninja/swagger.html) overrides ninja's.
    "api",
    # The API's interactive docs: in INSTALLED_APPS so that Swagger UI is served from ninja's
    # own static files (without it ninja loads it from a CDN).
    "ninja",
    "corsheaders",
    "cluster_portal",
    "profiles",
    "members",
    "cooperation",
    "programmes",
    "directory",
    "opendata",
    "personaldata",
    "pages",
]

MIDDLEWARE = [
    # Outermost: counts and times every request (cluster_portal/metrics.py).
    "cluster_portal.metrics.MetricsMiddleware",
    "cluster_portal.request_id.RequestIdMiddleware",
    # The header-only middleware wrap everything below: whitenoise answers static files
    # without calling the rest, and a bad Host header (DisallowedHost, raised by
    # SecurityMiddleware's HTTPS redirect or CommonMiddleware) becomes its 400 response at
    # the middleware that raised it. Both must carry the policy and frame protection too.
    "cluster_portal.security.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # CORS headers for /api/ only (CORS_URLS_REGEX), on every answer there, errors included;
    # before anything that may answer by itself (CommonMiddleware, whitenoise).
    "corsheaders.middleware.CorsMiddleware",
    "api.http.ProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: picks the language from the URL prefix (/es/…).
    "django.middleware.locale.LocaleMiddleware",
    # The admin in the language its user chose, or their browser's (the public site's comes
    # from the address).
    "editorial.language.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records who made each change kept by django-simple-history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes wants to be last: it turns a lock-out into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cluster_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cluster_portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "cluster_portal.wsgi.application"

# SQLite by default so that a newcomer needs no database server to see the portal;
# production and CI point DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection (django-axes): five wrong passwords for one account lock that account
# for an hour, and so do five from one address (whatever the user names tried); the lock-out
# page says so and whom to ask. The axes backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies every request comes from the proxy: read the client's address from
# X-Forwarded-For instead, or one address's failures would lock everybody out.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT:
    # django-ipware counts the proxies listed in the header, and the nearest proxy is in
    # REMOTE_ADDR instead; not strict, so that addresses a client puts in front are skipped
    # (strict would fall back to the proxy's address and lock everyone out).
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    IPWARE_STRICT = False
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Background work (e-mails, large imports, PDFs after a save) runs as tasks of Django's tasks
# framework (django-tasks, the backport of Django 6's django.tasks). By default a task runs at
# once in the process that enqueues it, so `make run` and the tests need no worker. Production
# sets TASK_BACKEND=database: tasks wait in a PostgreSQL table and `make worker` processes
# (`manage.py db_worker`, on one machine or several) run them.
TASK_BACKEND = os.environ.get("TASK_BACKEND", "immediate").strip().lower()
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASK_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASK_BACKEND must be 'immediate' or 'database', not {TASK_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND]}}
# After an edit in the admin, make the profile's PDFs at once, ahead of the first download:
# only where a worker does it (opendata/tasks.py).
PDF_RENDER_AFTER_EDIT = envbool("PDF_RENDER_AFTER_EDIT", TASK_BACKEND == "database")

# Invitations to cluster staff and password resets go out by email; printed on the console
# while developing, sent by SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (a staging server, the
# hardening replay): each message becomes a file in this folder.
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

# "Register your cluster" and "Claim this profile" (editorial/registration.py): a request whose
# e-mail address is not confirmed within this many days is deleted (`manage.py
# delete_unconfirmed_requests`, run daily); one address may send this many requests an hour;
# a form sent back sooner than this many seconds after it was shown is taken for a robot's.
REGISTRATION_CONFIRM_DAYS = int(os.environ.get("REGISTRATION_CONFIRM_DAYS", "3"))
REGISTRATION_REQUESTS_PER_HOUR = int(os.environ.get("REGISTRATION_REQUESTS_PER_HOUR", "5"))
REGISTRATION_MIN_FILL_SECONDS = int(os.environ.get("REGISTRATION_MIN_FILL_SECONDS", "5"))
# "Express interest" and "Contact this cluster" (cooperation/interest.py): at most so many
# messages an hour from one address, and to one cluster from all addresses together; a form
# sent back sooner than INTEREST_MIN_FILL_SECONDS after it was shown is refused.
INTEREST_MESSAGES_PER_HOUR = int(os.environ.get("INTEREST_MESSAGES_PER_HOUR", "5"))
INTEREST_MESSAGES_PER_CLUSTER_PER_HOUR = int(
    os.environ.get("INTEREST_MESSAGES_PER_CLUSTER_PER_HOUR", "30")
)
INTEREST_MIN_FILL_SECONDS = int(os.environ.get("INTEREST_MIN_FILL_SECONDS", "5"))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cluster_portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files with far-future cache headers in production; plain files
        # while developing so that no collectstatic is needed.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Uploaded media (logos) are the only files the app writes. A local folder serves one machine;
# several app servers share an S3-compatible bucket instead (`pip install ".[s3]"`).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local").strip().lower()
MEDIA_ORIGIN = ""  # where logos come from when not this site; the CSP allows images from it
if MEDIA_STORAGE == "s3":
    if not os.environ.get("MEDIA_S3_BUCKET"):
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET (the bucket's name).")
    _s3 = {
        "bucket_name": os.environ["MEDIA_S3_BUCKET"],
        "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("MEDIA_S3_REGION") or None,
        "custom_domain": os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None,
        "location": os.environ.get("MEDIA_S3_PREFIX", "media"),
        # Logos are public: plain URLs that pages can cache, no expiring signatures.
        "querystring_auth": False,
        "file_overwrite": False,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3}
    if _s3["custom_domain"]:
        MEDIA_ORIGIN = f"https://{_s3['custom_domain']}"
    elif _s3["endpoint_url"]:
        MEDIA_ORIGIN = _s3["endpoint_url"].rstrip("/")
    else:
        MEDIA_ORIGIN = f"https://{_s3['bucket_name']}.s3.amazonaws.com"
    MEDIA_ORIGIN = os.environ.get("MEDIA_ORIGIN", MEDIA_ORIGIN)
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}.")

# Imports (opendata/imports/): a larger file is refused before it is read. Uploaded files wait
# for their background task in IMPORT_ROOT, outside MEDIA_ROOT so that no web server serves
# them; with several machines (app servers, task workers) it must be a folder they all share.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 50 * 1024 * 1024))
IMPORT_ROOT = Path(os.environ.get("IMPORT_ROOT", BASE_DIR / "imports"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Production hardening; every value can be switched off by environment for a TLS-less intranet.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A load balancer probes /healthz, and Prometheus /metrics, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]

# Prometheus scrapes /metrics from these addresses or networks only (the client's address as
# the login protection resolves it, PROXY_COUNT included); everyone else gets 404.
METRICS_ALLOWED_IPS = envlist("METRICS_ALLOWED_IPS", "127.0.0.1,::1")

# Content-Security-Policy (django-csp 4): no inline script or style and no eval on any page.
# Nothing the public pages need comes from another origin, except logos from a media bucket.
_IMAGES = ["'self'", "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": _IMAGES,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
# The admin's rich-text editor (editorial/widgets.py): django-prose-editor's configurable
# editor, whose toolbar buttons our module names through the admin's JavaScript catalogue.
DJANGO_PROSE_EDITOR_PRESETS = {
    "portal": [Script("js/prose-editor-preset.js", type="module")],
}

# The admin's own policy: Django 5.2's admin has no inline script or style either, but it
# fetches (autocomplete) and opens related-object popups, so it starts from 'self'. The
# rich-text editor's import map is an inline script: it carries the request's nonce
# (editorial/widgets.py), which django-csp adds here only on pages that use it.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        # The editor's library (Tiptap) adds one fixed <style> of its own: allowed by its
        # hash, which tests/browser checks for each version of django-prose-editor.
        "style-src": ["'self'", "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": _IMAGES,
        "object-src": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
# The portal uses none of the browser's powerful features; say so to embedded content too.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
    ]
}

# The cache: Redis shared by every app server when REDIS_URL is set, else this process's memory.
# Anonymous profile, print and directory pages live in it (cluster_portal/page_cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
            # A Redis that hangs must not hang every worker with it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cluster-portal",
        }
    }

# The profile PDF is laid out in a child process bounded in address space and time
# (opendata/pdf.py). A request waits at most PDF_WAIT_SECONDS for another worker's render of
# the same PDF, or renders for at most PDF_TIMEOUT_SECONDS: both well inside gunicorn's 30 s
# worker timeout (deploy/gunicorn.conf.py), which would otherwise kill the worker first.
PDF_TIMEOUT_SECONDS = float(os.environ.get("PDF_TIMEOUT_SECONDS", "20"))
PDF_MEMORY_LIMIT_MB = int(os.environ.get("PDF_MEMORY_LIMIT_MB", "1024"))
PDF_WAIT_SECONDS = float(os.environ.get("PDF_WAIT_SECONDS", "5"))

# The open-data API (/api/v1/, api/): GET from any origin, and nothing else there.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-modified-since", "if-none-match", "user-agent"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "X-Request-ID"]
# Requests per address (django-ipware, as PROXY_COUNT says) and period: "120/m", "5000/d";
# counted in the cache, so that every app server counts together when it is Redis.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/m")
# How long a client or proxy may reuse an answer before asking again (with its ETag).
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "300"))

# How long a rendered page may stay cached; a change invalidates it at once anyway.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "86400"))

# One line per log record, each carrying the id of the request that caused it
# (X-Request-ID from the load balancer, or one made up by RequestIdMiddleware).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cluster_portal.request_id.RequestIdFilter"}},
    "formatters": {
        "one_line": {
            "()": "cluster_portal.request_id.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "one_line",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Backups (cluster_portal/backups.py, `make backup`): archives go to BACKUP_ROOT, which should
# be on another disk or be copied off the machine; backup_portal then keeps the newest archive
# of each of the last BACKUP_KEEP_DAILY days and of each of the last BACKUP_KEEP_WEEKLY weeks.
BACKUP_ROOT = Path(os.environ.get("BACKUP_ROOT", BASE_DIR / "backups"))
BACKUP_KEEP_DAILY = int(os.environ.get("BACKUP_KEEP_DAILY", "7"))
BACKUP_KEEP_WEEKLY = int(os.environ.get("BACKUP_KEEP_WEEKLY", "8"))

# How long personal data is kept (days), enforced daily by `manage.py purge_personal_data`
# (deploy/systemd/cluster-portal-retention.timer). Each app's personal_data.py names the key
# its records follow; messages and registration requests are kept by the apps that hold them.
PERSONAL_DATA_RETENTION_DAYS = {
    "access_logs": int(os.environ.get("RETENTION_ACCESS_LOG_DAYS", "180")),
    "task_results": int(os.environ.get("RETENTION_TASK_RESULT_DAYS", "30")),
    "messages": int(os.environ.get("RETENTION_MESSAGE_DAYS", "730")),
    "registration_requests": int(os.environ.get("RETENTION_REQUEST_DAYS", "365")),
}
