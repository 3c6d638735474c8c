"""Django settings, all from the environment (12-factor, read with django-environ).

With nothing set, the system runs on an SQLite file in the data folder
(`LABORCREDIT_DATA_DIR`, by default ./data beside the code). With
`DATABASE_URL=postgres://…` it runs on PostgreSQL through psycopg 3.
`LABORCREDIT_ENV=production` turns on the production checks: a secret key and
allowed hosts must come from the environment, cookies are secure, DEBUG is off.
"""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATA_DIR = Path(env.str("LABORCREDIT_DATA_DIR", default=str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = env.str("LABORCREDIT_ENV", default="development") == "production"


def _development_secret_key() -> str:
    """A random key made once per data folder, so that no key is ever in the code."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# Keys replaced by SECRET_KEY, still accepted for what they signed (sessions, password reset
# links, the check of printed report codes), so that a key can be changed without voiding them.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

DEBUG = env.bool("LABORCREDIT_DEBUG", default=False) and not PRODUCTION

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'laborcredit.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers run beside one writer; IMMEDIATE avoids lock-upgrade deadlocks.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
    )

else:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with a health check that costs no round trip while the connection
        # is quiet (laborcredit/lib/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "laborcredit.lib.postgresql"
        # No JIT compilation: the pages' queries are short, and a work list over a province's
        # C employers looks costly enough to PostgreSQL to spend 0.5 s compiling before a
        # 3 s query (docs/performance.md, 第十一轮). The evaluation workers set it off too.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        # The web server's sessions wait for a lock at most this long (laborcredit.lib.locks):
        # laborcredit.wsgi sets it, below gunicorn's worker timeout; 0 (commands): no bound.
        LOCK_WAIT_SECONDS = env.int("LABORCREDIT_LOCK_WAIT_SECONDS", default=0)
        if LOCK_WAIT_SECONDS:
            DATABASES["default"]["OPTIONS"]["options"] += (
                f" -c lock_timeout={LOCK_WAIT_SECONDS * 1000}"
            )
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "laborcredit.audit",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "laborcredit.accounts",
    "laborcredit.credit",
    "laborcredit.rating",
    "laborcredit.measures",
    "laborcredit.inspections",
    "laborcredit.jobs",
    "laborcredit.workdays",
    "laborcredit.objections",
    "laborcredit.repair",
    "laborcredit.portal",
    "laborcredit.api",
    "laborcredit.exchange",
    "laborcredit.reports",
    "laborcredit.web",
]

# laborcredit.web.pages_only: the browser's middleware, which a call to the key-authenticated API
# (/api/v1/, 第六条) passes by; for every other request each is the original class.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A lock not obtained in time (laborcredit.lib.locks): a 503 in Chinese, not a 500.
    "laborcredit.web.middleware.BusyMiddleware",
    "laborcredit.web.pages_only.WhiteNoiseMiddleware",
    "laborcredit.web.pages_only.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "laborcredit.web.middleware.RefuseNulMiddleware",
    "laborcredit.web.middleware.ChineseMethodNotAllowedMiddleware",
    "laborcredit.web.pages_only.CsrfViewMiddleware",
    "laborcredit.web.pages_only.AuthenticationMiddleware",
    "laborcredit.web.pages_only.OTPMiddleware",
    "laborcredit.audit.middleware.AuditContextMiddleware",
    "laborcredit.web.pages_only.AccountPolicyMiddleware",
    "laborcredit.web.pages_only.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "laborcredit.urls"
WSGI_APPLICATION = "laborcredit.wsgi.application"

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
                "laborcredit.accounts.context_processors.account",
                "laborcredit.web.context_processors.menu",
            ],
        },
    },
]

# IA1: ≥ 8 characters of ≥ LABORCREDIT_PASSWORD_MIN_CLASSES classes, common passwords refused.
# Long passwords are hashed whole (PBKDF2 does not truncate, unlike bcrypt at 72 bytes).
LABORCREDIT_PASSWORD_MIN_CLASSES = env.int("LABORCREDIT_PASSWORD_MIN_CLASSES", default=3)
# IA1: rotation (days; 0 = off). ASVS advises against forced rotation, MLPS assessors often ask for 90.
LABORCREDIT_PASSWORD_MAX_AGE_DAYS = env.int("LABORCREDIT_PASSWORD_MAX_AGE_DAYS", default=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "laborcredit.accounts.validators.UserAttributeSimilarityValidator"},
    {
        "NAME": "laborcredit.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "laborcredit.accounts.validators.CommonPasswordValidator"},
    {"NAME": "laborcredit.accounts.validators.NumericPasswordValidator"},
    {"NAME": "laborcredit.accounts.validators.CharacterClassesValidator"},
]

AUTHENTICATION_BACKENDS = [
    # IA2: django-axes first, so that a locked-out account or address is refused before the password.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

# IA2: 5 failures lock the account, and separately the source address, for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A refused attempt during the lockout does not restart the 30 minutes (nor count again).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "laborcredit.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "laborcredit.accounts.lockout.axes_client_address"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False

# IA4: staff log in with a TOTP second factor; only a demo may switch it off (production refuses).
LABORCREDIT_REQUIRE_2FA = env.bool("LABORCREDIT_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "舞钢市劳动保障信用监管"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# 第八条: how the Henan provincial credit result is applied ("flag" or "cap"), a deployment's choice.
LABORCREDIT_PROVINCIAL_POLICY = env.str("LABORCREDIT_PROVINCIAL_POLICY", default="") or None

# 第十三条 annual evaluation: processes that grade it (0: one per core on PostgreSQL for
# 50,000 employers or more, else none besides the one running it; 1: never more).
LABORCREDIT_EVALUATION_WORKERS = env.int("LABORCREDIT_EVALUATION_WORKERS", default=0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
# IA3: besides the 30-minute idle expiry above, a session ends this many hours after login.
LABORCREDIT_SESSION_MAX_HOURS = env.int("LABORCREDIT_SESSION_MAX_HOURS", default=12)
CSRF_COOKIE_HTTPONLY = True
# A refused form in plain words, not Django's page (which says "403 Forbidden" and names DEBUG).
CSRF_FAILURE_VIEW = "laborcredit.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# AU3: the key that signs audit checkpoints, and where checkpoints are written: both outside the database.
LABORCREDIT_AUDIT_SIGNING_KEY = Path(
    env.str(
        "LABORCREDIT_AUDIT_SIGNING_KEY", default=str(DATA_DIR / "keys" / "audit-signing-key.pem")
    )
)
LABORCREDIT_AUDIT_CHECKPOINT_DIR = Path(
    env.str("LABORCREDIT_AUDIT_CHECKPOINT_DIR", default=str(DATA_DIR / "checkpoints"))
)
# AU2: behind n reverse proxies, the source address is the n-th from the right of X-Forwarded-For.
LABORCREDIT_AUDIT_TRUSTED_PROXIES = env.int("LABORCREDIT_AUDIT_TRUSTED_PROXIES", default=0)

# Long operations (imports, annual evaluations) run in a thread of the web process;
# LABORCREDIT_JOBS_INLINE=true runs them inside the request instead (tests).
LABORCREDIT_JOBS_INLINE = env.bool("LABORCREDIT_JOBS_INLINE", default=False)

# IN2: caps on uploaded and imported files (bytes, rows, and xlsx unzip limits against zip bombs).
LABORCREDIT_IMPORT_MAX_BYTES = env.int("LABORCREDIT_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
LABORCREDIT_IMPORT_MAX_ROWS = env.int("LABORCREDIT_IMPORT_MAX_ROWS", default=200_000)
LABORCREDIT_IMPORT_MAX_UNZIPPED_BYTES = env.int(
    "LABORCREDIT_IMPORT_MAX_UNZIPPED_BYTES", default=300 * 1024 * 1024
)
LABORCREDIT_IMPORT_MAX_RATIO = env.int("LABORCREDIT_IMPORT_MAX_RATIO", default=100)
LABORCREDIT_IMPORT_MAX_MEMBERS = env.int("LABORCREDIT_IMPORT_MAX_MEMBERS", default=1000)

# 第十九条: objection attachments (PDF or images, checked by content), each at most this many bytes.
LABORCREDIT_OBJECTION_ATTACHMENT_MAX_BYTES = env.int(
    "LABORCREDIT_OBJECTION_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024
)

# 第六条、第二十条: the city credit information sharing platform the outbox is pushed to
# (`laborcredit push` / `laborcredit worker`; see laborcredit/exchange/push.py for the protocol).
# Without URL, app id and secret the push commands refuse to run; `push --to-file` needs none.
LABORCREDIT_PLATFORM_URL = env.str("LABORCREDIT_PLATFORM_URL", default="")
LABORCREDIT_PLATFORM_APP_ID = env.str("LABORCREDIT_PLATFORM_APP_ID", default="")
LABORCREDIT_PLATFORM_SECRET = env.str("LABORCREDIT_PLATFORM_SECRET", default="")
LABORCREDIT_PLATFORM_BATCH_SIZE = env.int("LABORCREDIT_PLATFORM_BATCH_SIZE", default=100)
LABORCREDIT_PLATFORM_MAX_ATTEMPTS = env.int("LABORCREDIT_PLATFORM_MAX_ATTEMPTS", default=8)
LABORCREDIT_PLATFORM_TIMEOUT = env.float("LABORCREDIT_PLATFORM_TIMEOUT", default=10.0)
LABORCREDIT_PLATFORM_BACKOFF_BASE = env.float("LABORCREDIT_PLATFORM_BACKOFF_BASE", default=30.0)
LABORCREDIT_PLATFORM_BACKOFF_MAX = env.float("LABORCREDIT_PLATFORM_BACKOFF_MAX", default=3600.0)
LABORCREDIT_PLATFORM_POLL_INTERVAL = env.float("LABORCREDIT_PLATFORM_POLL_INTERVAL", default=10.0)
LABORCREDIT_PLATFORM_AUTHORITY = env.str(
    "LABORCREDIT_PLATFORM_AUTHORITY", default="舞钢市人力资源和社会保障局"
)
LABORCREDIT_PLATFORM_AUTHORITY_CODE = env.str("LABORCREDIT_PLATFORM_AUTHORITY_CODE", default="")
