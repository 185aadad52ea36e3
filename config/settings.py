"""Django settings, read from the environment.

Defaults give a working development set-up with no configuration at all (SQLite file, files on
local disk, e-mails printed to the console). Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS
and usually DATABASE_URL, e-mail and storage variables: see README.md and docs/deployment.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("SOBRINDUSTRIE_VAR_DIR", str(BASE_DIR / "var")))

TESTING = "pytest" in sys.modules or envbool("SOBRINDUSTRIE_TESTING", False)
DEBUG = envbool("DEBUG", not TESTING)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"
SECRET_KEY = envstr("SECRET_KEY", _DEV_SECRET)
if not DEBUG and not TESTING and SECRET_KEY == _DEV_SECRET:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is false")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
# Every link in e-mails and calendar feeds starts with it: production must say where it is served.
SITE_URL = envstr("SITE_URL", "")
if not SITE_URL:
    if not DEBUG and not TESTING:
        raise RuntimeError("SITE_URL must be set when DEBUG is false (e.g. https://sobrindustrie.example.fr)")
    SITE_URL = "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "dsfr",
    "sobrindustrie.core",
    "sobrindustrie.accounts",
    "sobrindustrie.programmes",
    "sobrindustrie.organisations",
    "sobrindustrie.meetings",
    "sobrindustrie.diagnostics",
    "sobrindustrie.cooperation",
    "sobrindustrie.teams",
    "sobrindustrie.actionplans",
    "sobrindustrie.funding",
    "sobrindustrie.evaluation",
    "sobrindustrie.documents",
    "sobrindustrie.deliverables",
    "sobrindustrie.api",
    "sobrindustrie.demo",
    "sobrindustrie.www",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sobrindustrie.core.middleware.ServiceUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "sobrindustrie.core.middleware.DownloadSandboxMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sobrindustrie.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "sobrindustrie.www.access.AccessMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sobrindustrie.core.context_processors.platform",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    }
]

# Every form widget gets its DSFR class where it is rendered (sobrindustrie/www/forms.py).
FORM_RENDERER = "sobrindustrie.www.forms.DsfrFormRenderer"

if "DATABASE_URL" not in __import__("os").environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two writers at once (a web request and the worker, two requests): WAL lets readers go on while
    # one writes; IMMEDIATE transactions take the write lock when they begin, so a second writer waits
    # (up to `timeout` seconds) instead of failing with "database is locked" when it upgrades a read.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_TIMEOUT", 20),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Background tasks (the deliverables pack): django-tasks with its database backend, so the default
# SQLite set-up needs no other service; `manage.py db_worker` runs them (`make run` starts one) and
# several workers on several machines share the queue on PostgreSQL. Tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": envstr(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default"],
    }
}

# Backups use JSON with full datetime precision (Django's own JSON cuts microseconds).
SERIALIZATION_MODULES = {"backup-json": "sobrindustrie.core.serializers"}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PRODUCTION_PASSWORD_HASHERS = [
    # argon2id at OWASP's floor for interactive logins (19 MiB, 2 passes, 1 lane); hashes made with
    # other parameters (Django's default, 100 MiB) are checked as they are and rehashed at next login.
    "sobrindustrie.accounts.hashers.InteractiveArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Argon2 is deliberately slow; tests create hundreds of users.
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"] if TESTING else PRODUCTION_PASSWORD_HASHERS
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "www:login"
LOGIN_REDIRECT_URL = "www:home"
LOGOUT_REDIRECT_URL = "www:login"

# Throttled login: 5 failures lock for 15 minutes, counted per account whatever the address (one
# account tried from many machines) and per address whatever the account (one password tried on many
# accounts). The address is REMOTE_ADDR: behind a proxy, set AXES_IPWARE_META_PRECEDENCE_ORDER.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "www/accounts/locked.html"
AXES_ENABLED = envbool("AXES_ENABLED", True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response: no inline script, style or event handler
# in the pages (tests/security/test_csp.py scans the templates), no eval (htmx's allowEval is off in
# base.html), nothing loaded from another domain.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sobrindustrie" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
_S3_BUCKET = envstr("S3_BUCKET", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _S3_BUCKET,
                "endpoint_url": envstr("S3_ENDPOINT_URL", "") or None,
                "access_key": envstr("S3_ACCESS_KEY_ID", ""),
                "secret_key": envstr("S3_SECRET_ACCESS_KEY", ""),
                "region_name": envstr("S3_REGION", "") or None,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
        if _S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
# Hashed names (every {% static %} URL under the manifest storage) are cached for ever: WhiteNoise
# marks them immutable by itself. This applies to names without a hash only, whose content changes in
# place at each release (and at each edit in development): cache them briefly.
WHITENOISE_MAX_AGE = 0 if DEBUG else 3600

# Uploads: documents are checked from their content; the size limit applies per file.
DOCUMENTS_MAX_UPLOAD_MB = envint("DOCUMENTS_MAX_UPLOAD_MB", 25)
DOCUMENTS_MAX_UNCOMPRESSED_MB = envint("DOCUMENTS_MAX_UNCOMPRESSED_MB", 200)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads stream to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = (DOCUMENTS_MAX_UPLOAD_MB + 1) * 1024 * 1024

# The company registry (« annuaire des entreprises », sobrindustrie/organisations/registry.py): a
# public API without key. A lookup waits at most TIMEOUT seconds per try, RETRIES more tries on 429
# and 5xx; answers are cached a day. RECORDINGS, a directory of recorded answers, replaces the
# network (the tests and the browser checks; an offline demo).
COMPANY_REGISTRY_URL = envstr("COMPANY_REGISTRY_URL", "https://recherche-entreprises.api.gouv.fr")
COMPANY_REGISTRY_TIMEOUT = float(envstr("COMPANY_REGISTRY_TIMEOUT", "4"))
COMPANY_REGISTRY_RETRIES = envint("COMPANY_REGISTRY_RETRIES", 2)
COMPANY_REGISTRY_CACHE_SECONDS = envint("COMPANY_REGISTRY_CACHE_SECONDS", 24 * 3600)
COMPANY_REGISTRY_RECORDINGS = envstr("COMPANY_REGISTRY_RECORDINGS", "")
if TESTING and not COMPANY_REGISTRY_RECORDINGS:
    # No network in tests: pages read the recorded answers.
    COMPANY_REGISTRY_RECORDINGS = str(BASE_DIR / "tests" / "organisations" / "fixtures" / "registry")

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes (the browser checks read it).
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Sobr'Industrie <ne-pas-repondre@sobrindustrie.example>")

# What the legal notice, the personal-data page and the accessibility statement say that varies per
# deployment: who publishes the platform, who hosts it, whom to write to.
LEGAL = {
    "publisher": envstr("LEGAL_PUBLISHER", "ADEME — Agence de la transition écologique"),
    "publisher_address": envstr(
        "LEGAL_PUBLISHER_ADDRESS", "20 avenue du Grésillé, BP 90406, 49004 Angers Cedex 01"
    ),
    "publication_director": envstr("LEGAL_PUBLICATION_DIRECTOR", "le président-directeur général de l'ADEME"),
    "host": envstr("LEGAL_HOST", ""),
    "host_address": envstr("LEGAL_HOST_ADDRESS", ""),
    "contact_email": envstr("LEGAL_CONTACT_EMAIL", "sobrindustrie@ademe.fr"),
    "dpo_email": envstr("LEGAL_DPO_EMAIL", "dpo@ademe.fr"),
    "accessibility_audit_date": envstr("LEGAL_ACCESSIBILITY_AUDIT_DATE", ""),
}

if TESTING:
    # Fail loudly on any undefined template variable instead of rendering an empty string.
    TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "INVALID_TEMPLATE_VARIABLE<%s>"  # type: ignore[index]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}

# Fixed dependencies on DSFR's own options.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Aides-territoires API (regional calls of the funding catalogue): the account's API key, exchanged for a
# bearer token at each run; the search's query string (e.g. "targeted_audiences=private_sector&perimeter=ID").
AIDES_TERRITOIRES_TOKEN = envstr("AIDES_TERRITOIRES_TOKEN", "")
AIDES_TERRITOIRES_URL = envstr("AIDES_TERRITOIRES_URL", "https://aides-territoires.beta.gouv.fr/api/")
AIDES_TERRITOIRES_QUERY = envstr("AIDES_TERRITOIRES_QUERY", "targeted_audiences=private_sector")
