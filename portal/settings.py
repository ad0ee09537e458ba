"""Settings for the competency-standards portal.

Everything that differs between machines comes from the environment; a value that
cannot be read raises ImproperlyConfigured at start-up rather than being guessed.
"""

import json
import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .release import release_digest

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envint(name: str, default: str, *, minimum: int = 0) -> int:
    value = os.environ.get(name, default).strip()
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


ADMIN_ADDRESS = re.compile(r"^\s*([^<>,]*?)\s*<([^<>@\s,]+@[^<>@\s,]+)>\s*$")


def envadmins(name: str) -> list[tuple[str, str]]:
    """`Name <a@b>, Other <c@d>` from the environment, every entry well formed."""
    admins = []
    for entry in os.environ.get(name, "").split(","):
        if not entry.strip():
            continue
        match = ADMIN_ADDRESS.match(entry)
        if match is None:
            raise ImproperlyConfigured(f"{name}: {entry.strip()!r} is not 'Name <address>'")
        admins.append((match[1], match[2]))
    return admins


DEBUG = envbool("DEBUG", "false")


def secret_key() -> str:
    """SECRET_KEY from the environment; otherwise one generated on first use and kept in
    `.secret_key` beside manage.py (enough for a single server; several servers behind a
    load balancer must share one SECRET_KEY)."""
    key = os.environ.get("SECRET_KEY", "")
    if key:
        if not DEBUG and len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "portal",
    "standards",
    "assessments",
    "reports",
    "jobs",
    "plans",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.PrivateCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username/address pair is refused before the password is tried.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# -- Company sign-in (LDAP) --------------------------------------------------------------
# With LDAP_SERVER_URI set, people sign in with their directory account
# (django-python3-ldap, pure Python); their login is matched to the employee record by
# username, else by e-mail address (portal/directory.py). Local passwords still work.
LDAP_BACKEND = "django_python3_ldap.auth.LDAPBackend"


def ldap_settings() -> dict:
    """django-python3-ldap's settings from the LDAP_* environment variables."""
    environ = os.environ
    search_base = environ.get("LDAP_SEARCH_BASE", "").strip()
    if not search_base:
        raise ImproperlyConfigured("LDAP_SEARCH_BASE must be set with LDAP_SERVER_URI")
    timeout = envint("LDAP_TIMEOUT_SECONDS", "10", minimum=1)
    uri = environ["LDAP_SERVER_URI"].strip().rstrip("/")
    try:
        parsed = urlsplit(uri)
        parsed.port  # noqa: B018 - raises ValueError on a port that is no number
    except ValueError as exc:
        raise ImproperlyConfigured(f"LDAP_SERVER_URI cannot be read: {exc}") from exc
    if parsed.scheme not in ("ldap", "ldaps") or not parsed.hostname or parsed.path:
        raise ImproperlyConfigured(
            f"LDAP_SERVER_URI must look like ldap://host:389 or ldaps://host:636, got {uri!r}"
        )
    return {
        "LDAP_AUTH_URL": [uri],
        "LDAP_AUTH_USE_TLS": envbool("LDAP_START_TLS", "false"),
        "LDAP_AUTH_SEARCH_BASE": search_base,
        "LDAP_AUTH_OBJECT_CLASS": environ.get("LDAP_OBJECT_CLASS", "inetOrgPerson"),
        "LDAP_AUTH_USER_FIELDS": {
            "username": environ.get("LDAP_USERNAME_ATTRIBUTE", "uid"),
            "email": environ.get("LDAP_EMAIL_ATTRIBUTE", "mail"),
            "first_name": environ.get("LDAP_FIRST_NAME_ATTRIBUTE", "givenName"),
            "last_name": environ.get("LDAP_LAST_NAME_ATTRIBUTE", "sn"),
        },
        "LDAP_AUTH_USER_LOOKUP_FIELDS": ("username",),
        "LDAP_AUTH_CLEAN_USER_DATA": "portal.directory.matched_user_data",
        "LDAP_AUTH_FORMAT_USERNAME": "portal.directory.bind_name",
        # The account that searches the directory (a DN); empty: each person's own bind.
        "LDAP_AUTH_CONNECTION_USERNAME": environ.get("LDAP_BIND_DN") or None,
        "LDAP_AUTH_CONNECTION_PASSWORD": environ.get("LDAP_BIND_PASSWORD") or None,
        # Active Directory: people bind as DOMAIN\username instead of a DN.
        "LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN": environ.get("LDAP_AD_DOMAIN") or None,
        "LDAP_AUTH_CONNECT_TIMEOUT": timeout,
        "LDAP_AUTH_RECEIVE_TIMEOUT": timeout,
    }


LDAP_SERVER_URI = os.environ.get("LDAP_SERVER_URI", "").strip()
if LDAP_SERVER_URI:
    globals().update(ldap_settings())
    AUTHENTICATION_BACKENDS.insert(1, LDAP_BACKEND)

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=envint("CONN_MAX_AGE", "60"),
        )
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {exc}") from exc

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A covering index's extra columns (TaskRating's own shortfalls) serve PostgreSQL; SQLite
# keeps the index without them, which is all it can do.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Argon2id at OWASP's minimum (portal/hashers.py); the others only read older hashes,
# which are stored again with the first at the next login.
PASSWORD_HASHERS = [
    "portal.hashers.OwaspArgon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
try:
    STORAGE_OPTIONS = json.loads(os.environ.get("STORAGE_OPTIONS", "") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"STORAGE_OPTIONS must be a JSON object: {exc}") from exc
if not isinstance(STORAGE_OPTIONS, dict):
    raise ImproperlyConfigured("STORAGE_OPTIONS must be a JSON object")
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("STORAGE_BACKEND", "")
        or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": STORAGE_OPTIONS,
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Uploaded evidence files, in the default storage (a folder on this server unless
# STORAGES is changed). Never served by the web server: only the portal's own download
# view, which checks who may see the assessment, reads them (docs/deployment.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "standards:list"

# Sessions end after a working day without a request (portal.middleware.
# SessionIdleMiddleware moves the expiry forward as the user works).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", str(9 * 60 * 60), minimum=60)

# The proxies in front of the portal that append to X-Forwarded-For (0: none, the
# connection's address is the client's). See docs/deployment.md, "Behind a reverse proxy".
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")

# Repeated failed logins are throttled per username and client address.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5", minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "portal.middleware.client_ip"

# Password reset e-mails asked for, per client address and per address asked about.
PASSWORD_RESET_PER_HOUR = envint("PASSWORD_RESET_PER_HOUR", "5", minimum=1)

# -- Redis: the shared cache, sessions and background jobs ------------------------------
# REDIS_URL (optional, e.g. redis://127.0.0.1:6379/0) switches on what several app servers
# and Celery workers share: the cache, cached-database sessions, the Celery broker and its
# result store. Every key is prefixed with REDIS_KEY_PREFIX, so deployments (or test runs)
# can share one Redis server. Without REDIS_URL a single server needs nothing else: the
# cache is local memory and background jobs run inline, in the request or command that
# starts them (see docs/deployment.md, "Several app servers").
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "portal").strip()
if REDIS_URL and not re.fullmatch(r"rediss?://\S+", REDIS_URL):
    raise ImproperlyConfigured(f"REDIS_URL must be a redis:// or rediss:// URL, got {REDIS_URL!r}")
if not re.fullmatch(r"[A-Za-z0-9_.:-]+", REDIS_KEY_PREFIX):
    raise ImproperlyConfigured(
        f"REDIS_KEY_PREFIX may hold letters, digits and _.:- only, got {REDIS_KEY_PREFIX!r}"
    )


def redis_settings(url: str, prefix: str) -> dict:
    """The cache, session and Celery settings of a portal that shares Redis at `url`."""
    keys = {"global_keyprefix": f"{prefix}:celery:"}
    return {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
                # Each release its own keys: no server serves what another release
                # rendered (the old keys expire by themselves).
                "VERSION": release_digest(BASE_DIR),
            }
        },
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
        "CELERY_BROKER_URL": url,
        "CELERY_RESULT_BACKEND": url,
        # A job whose worker disappeared without acknowledging it goes to another worker
        # once JOB_VISIBILITY_SECONDS have passed (longer than any job must take), found
        # by a sweep every few seconds; a lost pool process's job is requeued at once.
        "CELERY_BROKER_TRANSPORT_OPTIONS": {
            **keys,
            "visibility_timeout": JOB_VISIBILITY_SECONDS,
            "unacked_restore_interval": min(10, JOB_VISIBILITY_SECONDS // 2),
            "unacked_restore_throttle": 1,
        },
        "CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS": keys,
        "CELERY_TASK_ALWAYS_EAGER": False,
    }


# A job's task is acknowledged only when it has finished, so a worker that dies mid-job
# leaves it to be run again (jobs.tasks: at most JOB_MAX_ATTEMPTS times, then failed).
JOB_VISIBILITY_SECONDS = envint("JOB_VISIBILITY_SECONDS", "3600", minimum=10)
JOB_MAX_ATTEMPTS = envint("JOB_MAX_ATTEMPTS", "3", minimum=1)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "portal"
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Taipei"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# E-mails sent by a worker (notifications.tasks) are tried again while the mail server
# fails for a reason that may pass: after MAIL_RETRY_SECONDS, then twice as long each
# time up to MAIL_RETRY_MAX_SECONDS (kept below JOB_VISIBILITY_SECONDS, after which Redis
# would hand the waiting message to a second worker), at most MAIL_MAX_RETRIES times.
MAIL_RETRY_SECONDS = envint("MAIL_RETRY_SECONDS", "60", minimum=1)
MAIL_RETRY_MAX_SECONDS = min(
    envint("MAIL_RETRY_MAX_SECONDS", "1800", minimum=1), JOB_VISIBILITY_SECONDS // 2
)
MAIL_MAX_RETRIES = envint("MAIL_MAX_RETRIES", "5", minimum=0)
# /healthz counts the workers whose heartbeat (every 2 s) came in this many seconds.
WORKER_HEARTBEAT_SECONDS = envint("WORKER_HEARTBEAT_SECONDS", "10", minimum=3)

# Celery beat (`celery -A portal beat`, one process per deployment) sends the daily
# reminders at REMINDERS_AT (HH:MM, Asia/Taipei); cron calling `send_reminders` does the
# same where no beat runs (docs/deployment.md).
REMINDERS_AT = os.environ.get("REMINDERS_AT", "08:30").strip()
_reminders_at = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", REMINDERS_AT)
if not _reminders_at:
    raise ImproperlyConfigured(f"REMINDERS_AT must be a time as HH:MM, got {REMINDERS_AT!r}")
# Finished jobs and their files are deleted after JOB_KEEP_DAYS days (beat, nightly;
# or cron calling `clear_jobs`).
JOB_KEEP_DAYS = envint("JOB_KEEP_DAYS", "90", minimum=1)
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {
        "task": "assessments.send_reminders",
        "schedule": crontab(hour=int(_reminders_at[1]), minute=int(_reminders_at[2])),
    },
    "clear-old-jobs": {
        "task": "jobs.clear_jobs",
        "schedule": crontab(hour=3, minute=30),
        "kwargs": {"days": JOB_KEEP_DAYS},
    },
}
if REDIS_URL:
    globals().update(redis_settings(REDIS_URL, REDIS_KEY_PREFIX))
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_TASK_ALWAYS_EAGER = True

# Whole-organisation report downloads reading more assessments than this run as a
# background job; the file is offered on the job's page when it is ready.
EXPORT_BACKGROUND_ASSESSMENTS = envint("EXPORT_BACKGROUND_ASSESSMENTS", "2000", minimum=1)

# -- Files: evidence, upload jobs' documents and generated exports ---------------------
# Stored through Django's default storage (MEDIA_ROOT above), which every app server and
# worker must share: a shared volume at MEDIA_ROOT, or any storage class (django-storages'
# S3Storage…) named by STORAGE_BACKEND with its options as JSON in STORAGE_OPTIONS
# (docs/deployment.md §6). Never served by URL: files are downloaded through their pages.

# -- Uploads ---------------------------------------------------------------------------
# Every upload the portal accepts is at most a few MB (common.spreadsheets and
# standards.uploads check it): kept in memory, none is ever written to a server's /tmp.
# The reverse proxy caps request bodies (docs/deployment.md, client_max_body_size).
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# -- E-mail and errors -----------------------------------------------------------------
# One URL says how mail leaves (dj-email-url): smtp://user:password@host:25,
# submission://host:587 (STARTTLS), smtp://host:465/?ssl=True, console: (print it).
# Unset, the local demo (DEBUG) prints every message, a server hands it to localhost:25.
EMAIL_URL = os.environ.get("EMAIL_URL") or ("console:" if DEBUG else "smtp://localhost:25")
try:
    _email = dj_email_url.parse(EMAIL_URL)
except Exception as exc:  # dj-email-url raises whatever urlparse or int() raise
    raise ImproperlyConfigured(f"EMAIL_URL cannot be read: {exc}") from exc
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people reach the portal at, for the links in e-mails sent from the
# command line (invitations, reminders), where there is no request to read it from.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
# An invitation or password-reset link works this long, and once.
PASSWORD_RESET_TIMEOUT = envint("INVITATION_LINK_DAYS", "7", minimum=1) * 24 * 60 * 60
# Who is mailed every unhandled error (optional): ADMINS="Name <a@b>,Other <c@d>".
ADMINS = envadmins("ADMINS")

# Every unhandled error is logged with its traceback to stderr (journald keeps it),
# and mailed to ADMINS when there are any.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR"):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "filters": {"production": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["production"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    # Django's own records reach stderr through the root logger, errors the admins too.
    "loggers": {"django": {"handlers": ["mail_admins"], "level": LOG_LEVEL}},
}

# -- Security --------------------------------------------------------------------------
# With DEBUG off every protection is on; a deployment behind a TLS-terminating proxy
# sets BEHIND_TLS_PROXY=true so Django trusts its X-Forwarded-Proto header.
SECURE = not DEBUG
if envbool("BEHIND_TLS_PROXY", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(SECURE))
# The load balancer's health checks reach the app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if SECURE else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SECURE
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# No script but the portal's own files; styles may be inline (the admin uses them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
