"""Settings for the competency-standards portal.

Everything that differs between machines comes from the environment; a value that
cannot be read raises ImproperlyConfigured at start-up rather than being guessed.
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

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
    "plans",
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

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

# -- Uploads ---------------------------------------------------------------------------
# Every upload the portal accepts is at most a few MB (common.spreadsheets and
# standards.uploads check it): kept in memory, none is ever written to a server's /tmp.
# The reverse proxy caps request bodies (docs/deployment.md, client_max_body_size).
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# -- E-mail and errors -----------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
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
