"""M4SH settings, read from the environment.

With no environment at all M4SH runs embedded: SQLite (WAL) under ``var/``, an in-memory channel
layer, a local-memory cache, e-mail to the console and a secret key generated once under ``var/``.
Production is switched on by configuration (see ``docs/operations.md`` and the README's table).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, persistent_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("M4SH_VAR_DIR", str(BASE_DIR / "var")))

M4SH_ENV = env_str("M4SH_ENV", "embedded")
if M4SH_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured("M4SH_ENV must be 'embedded' or 'production'")
PRODUCTION = M4SH_ENV == "production"


def _required(name: str) -> str:
    value = env_str(name)
    if PRODUCTION and not value:
        raise ImproperlyConfigured(f"{name} is required when M4SH_ENV=production")
    return value


SECRET_KEY = _required("SECRET_KEY") or persistent_secret(VAR_DIR / "secret_key")
DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when M4SH_ENV=production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when M4SH_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PUBLIC_URL = env_str("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/dashboard/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "apps.core",
    "apps.accounts",
    "apps.marketplace",
    "apps.booking",
    "apps.classroom",
    "apps.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

# --- Database: SQLite (WAL) embedded, PostgreSQL through DATABASE_URL -----------------------------
DATABASE_URL = _required("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0), conn_health_checks=True
        )
    }
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...)")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "m4sh.sqlite3",
            "OPTIONS": {
                # IMMEDIATE transactions take the write lock up front: writers queue instead of
                # failing with "database is locked" halfway through, and booking writes serialise.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and channel layer ---------------------------------------------------------------
REDIS_URL = _required("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "m4sh",
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": "m4sh"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "m4sh"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Background work: Celery on Redis in production, in-process otherwise -------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE = {
    "expire-pending-bookings": {"task": "booking.expire_pending", "schedule": 60.0},
    "finish-lessons": {"task": "classroom.finish_due", "schedule": 60.0},
    "five-minute-warnings": {"task": "classroom.five_minute_warnings", "schedule": 30.0},
    "refresh-free-slot-index": {"task": "booking.refresh_free_slots", "schedule": 3600.0},
    "refresh-response-stats": {"task": "marketplace.refresh_response_stats", "schedule": 6 * 3600.0},
    "forget-expired-tokens": {"task": "accounts.forget_expired_tokens", "schedule": 24 * 3600.0},
}
# The embedded default drives the beat schedule from the ASGI process; production runs celery beat.
SCHEDULER_IN_PROCESS = env_bool("SCHEDULER_IN_PROCESS", default=not PRODUCTION)

# --- Booking rules --------------------------------------------------------------------------------
BOOKING_MAX_OPEN_REQUESTS = env_int("BOOKING_MAX_OPEN_REQUESTS", 5)
BOOKING_REQUEST_TTL_HOURS = env_int("BOOKING_REQUEST_TTL_HOURS", 24)
BOOKING_LATE_CANCELLATION_HOURS = env_int("BOOKING_LATE_CANCELLATION_HOURS", 12)
BOOKING_REVIEW_EDIT_DAYS = env_int("BOOKING_REVIEW_EDIT_DAYS", 14)

# --- Classroom ------------------------------------------------------------------------------------
CLASSROOM_JOIN_BEFORE_MINUTES = env_int("CLASSROOM_JOIN_BEFORE_MINUTES", 15)
CLASSROOM_GRACE_MINUTES = env_int("CLASSROOM_GRACE_MINUTES", 10)  # after the end, before auto-completion
CLASSROOM_NO_SHOW_MINUTES = env_int("CLASSROOM_NO_SHOW_MINUTES", 15)  # after the start
CLASSROOM_TOKEN_KEY = env_str("CLASSROOM_TOKEN_KEY")  # defaults to a key derived from SECRET_KEY
CLASSROOM_STUN_URLS = env_list("CLASSROOM_STUN_URLS", ["stun:stun.l.google.com:19302"])
CLASSROOM_TURN_URLS = env_list("CLASSROOM_TURN_URLS", [])
CLASSROOM_TURN_SECRET = env_str("CLASSROOM_TURN_SECRET")  # coturn static-auth-secret
CLASSROOM_MATERIAL_MAX_BYTES = env_int("CLASSROOM_MATERIAL_MAX_BYTES", 20 * 1024 * 1024)
CLASSROOM_MATERIAL_MAX_PAGES = env_int("CLASSROOM_MATERIAL_MAX_PAGES", 60)
BOARD_FLUSH_MS = env_int("BOARD_FLUSH_MS", 250)
BOARD_UNLOAD_SECONDS = env_int("BOARD_UNLOAD_SECONDS", 30)
BOARD_RESYNC_SECONDS = env_int("BOARD_RESYNC_SECONDS", 10)
BOARD_COMPACT_EVERY = env_int("BOARD_COMPACT_EVERY", 500)  # log rows before the log is folded into the snapshot
BOARD_MAX_FRAME_BYTES = env_int("BOARD_MAX_FRAME_BYTES", 1024 * 1024)
BOARD_MAX_MESSAGES_PER_SECOND = env_int("BOARD_MAX_MESSAGES_PER_SECOND", 120)
BOARD_SEND_QUEUE = env_int("BOARD_SEND_QUEUE", 512)  # frames waiting for a slow client before it is dropped

# --- Accounts and authentication ------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 10)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env_str("JWT_SIGNING_KEY") or SECRET_KEY,
    "AUDIENCE": env_str("JWT_AUDIENCE", "m4sh-api"),
    "ISSUER": env_str("JWT_ISSUER", PUBLIC_URL),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "AUTH_HEADER_TYPES": ("Bearer",),
}

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["apps.core.api.renderers.ORJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env_str("THROTTLE_AUTH", "30/min"),
        "password_reset": env_str("THROTTLE_PASSWORD_RESET", "5/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "M4SH API",
    "DESCRIPTION": "Online tutoring: marketplace, booking, classroom and dashboards.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {"LessonDurationEnum": "apps.marketplace.models.catalogue.LESSON_DURATION_CHOICES"},
}

# --- Internationalisation and time ----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("uk", "Українська")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Embedded: serve straight from the apps' static folders, no collectstatic step needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "M4SH <no-reply@m4sh.local>")

# --- Security -------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "celery": {"level": "WARNING"}},
}
