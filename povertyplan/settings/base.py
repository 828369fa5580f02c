"""Settings shared by every environment. Machine-specific values come from settings/env.py."""

from datetime import timedelta

from django.utils.csp import CSP

from .env import BASE_DIR, database_config, env_bool, env_int, env_list, env_str, mailer_config

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "axes",
    "auditlog",
    "core",
    "units",
    "households",
    "targets",
    "reports",
    # After core: core's db_worker command (the library's worker with heartbeats) replaces its own.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.NoStoreMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Pages with personal data (households, members, lists, exports, reports, jobs' files, the audit
# trail, the admin): sent with Cache-Control: no-store (core.middleware.NoStoreMiddleware). URL
# namespaces, and names of URLs outside any namespace.
NO_STORE_URLS = frozenset(
    {"households", "census", "targets", "reports", "jobs", "units", "admin", "home", "audit_list"}
)

ROOT_URLCONF = "povertyplan.urls"
WSGI_APPLICATION = "povertyplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
            "builtins": ["core.templatetags.vn"],
        },
    },
]

DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.security.ThrottleBackend",
    "units.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: officers of one commune share an office address, so a lockout is keyed on the
# username *and* the address together, and lifts by itself.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Beside it (core/security.py): failures at one account from any address, and from one address at
# any account, slow further attempts — a delay from BASE_DELAY doubling up to MAX_DELAY once the
# free failures of WINDOW are spent; a browser the account logged in from before is not slowed.
# Counts are kept in the cache: with several app processes, configure a shared cache (CACHES).
LOGIN_THROTTLE = {
    "WINDOW": timedelta(minutes=env_int("LOGIN_THROTTLE_WINDOW_MINUTES", 60)),
    "ACCOUNT_FREE_FAILURES": env_int("LOGIN_THROTTLE_ACCOUNT_FREE_FAILURES", 10),
    "ADDRESS_FREE_FAILURES": env_int("LOGIN_THROTTLE_ADDRESS_FREE_FAILURES", 20),
    "BASE_DELAY": timedelta(seconds=env_int("LOGIN_THROTTLE_BASE_DELAY_SECONDS", 5)),
    "MAX_DELAY": timedelta(minutes=env_int("LOGIN_THROTTLE_MAX_DELAY_MINUTES", 15)),
    "DEVICE_COOKIE_AGE": timedelta(days=env_int("LOGIN_DEVICE_COOKIE_DAYS", 180)),
}
# Password-reset mails per WINDOW: per account (e-mail address asked for) and per client address.
PASSWORD_RESET_LIMITS = {
    "WINDOW": timedelta(minutes=env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)),
    "PER_ACCOUNT": env_int("PASSWORD_RESET_PER_ACCOUNT", 3),
    "PER_ADDRESS": env_int("PASSWORD_RESET_PER_ADDRESS", 10),
}
# The client's address, the same for throttling and for the audit log (core/security.py): with
# TRUSTED_PROXY_COUNT reverse proxies in front, the address the outermost proxy saw.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"

# Language, time and number formats: Vietnamese first, English switchable.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["povertyplan.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background work (imports, large reports) runs on the database-backed worker: `manage.py db_worker`.
# Imports and PDFs go to "heavy" so that one big upload cannot hold every user's exports
# (docs/deployment.md: a worker for each queue).
TASK_QUEUES = ["default", "heavy"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": TASK_QUEUES,
    }
}
# A worker stamps its running job every JOB_HEARTBEAT_SECONDS; a job not stamped for
# JOB_STALE_AFTER_SECONDS lost its worker and is re-queued once or failed (core/recovery.py), which
# every worker checks every JOB_RECOVERY_SECONDS. A run of a kind may last JOB_TIME_LIMITS[kind]
# seconds ("*": any other kind).
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 10)
JOB_STALE_AFTER_SECONDS = env_int("JOB_STALE_AFTER_SECONDS", 120)
JOB_RECOVERY_SECONDS = env_int("JOB_RECOVERY_SECONDS", 60)
JOB_TIME_LIMITS = {
    "report": env_int("JOB_TIME_LIMIT_REPORT", 30 * 60),
    "household_export": env_int("JOB_TIME_LIMIT_HOUSEHOLD_EXPORT", 30 * 60),
    "census_import": env_int("JOB_TIME_LIMIT_CENSUS_IMPORT", 2 * 60 * 60),
    "*": env_int("JOB_TIME_LIMIT_DEFAULT", 60 * 60),
}

# Content Security Policy: everything is served from this site (government networks are often
# closed, so there is no CDN). Scripts need the per-request nonce; htmx runs without eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# Mail (password reset): printed to the console on a laptop; prod.py defaults to SMTP.
MAILERS = {"default": mailer_config("django.core.mail.backends.console.EmailBackend")}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "giamngheo@localhost")

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # axes logs every login at INFO; lockouts (WARNING) are what operators need.
        "axes": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------------------------------------
# Product settings. Values that officials may need to change without a deploy live in the
# database (poverty standards, lookup lists, organisation names); these are per-installation.
# ---------------------------------------------------------------------------------------------

# Name of the provincial body in charge of poverty reduction (DOLISA until 2025, then the
# Department of Agriculture and Environment). Each Organisation row can override it.
POVERTY_DEPARTMENT_NAME = env_str("POVERTY_DEPARTMENT_NAME", "Sở Nông nghiệp và Môi trường")

# Reports with more rows than this are rendered by the background worker.
REPORT_BACKGROUND_ROW_THRESHOLD = env_int("REPORT_BACKGROUND_ROW_THRESHOLD", 2000)
# A household list export longer than this is written by the background worker (progress shown).
HOUSEHOLD_EXPORT_BACKGROUND_ROWS = env_int("HOUSEHOLD_EXPORT_BACKGROUND_ROWS", 5000)

# Limits on every uploaded spreadsheet, checked before a parser allocates (core/uploads.py).
# The census page's file is read by the background worker, so its limits are large.
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 50)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 1_000_000)
IMPORT_MAX_UNCOMPRESSED_MB = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 800)
IMPORT_MAX_ARCHIVE_ENTRIES = env_int("IMPORT_MAX_ARCHIVE_ENTRIES", 200)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 200)  # per entry over 1 MB
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 300)
IMPORT_MAX_CELL_CHARS = env_int("IMPORT_MAX_CELL_CHARS", 32767)  # one cell or shared string (Excel's limit)
# Tables read inside a request (target tables, village assignments, the admin's import screen):
# small enough that reading one cannot hold a web process for long.
TABLE_UPLOAD_MAX_KB = env_int("TABLE_UPLOAD_MAX_KB", 2048)
TABLE_UPLOAD_MAX_UNCOMPRESSED_MB = env_int("TABLE_UPLOAD_MAX_UNCOMPRESSED_MB", 10)
TABLE_UPLOAD_MAX_ROWS = env_int("TABLE_UPLOAD_MAX_ROWS", 5000)
TABLE_UPLOAD_MAX_COLUMNS = env_int("TABLE_UPLOAD_MAX_COLUMNS", 100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Files produced by background jobs (reports, import results) are stored in the database-backed
# Job row, never on a local disk, so any app server can serve them.
JOB_FILE_MAX_MB = env_int("JOB_FILE_MAX_MB", 200)
