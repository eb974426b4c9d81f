"""TIPs map settings: one file, every deployment choice read from the environment.

A bad value fails loudly at start-up (ImproperlyConfigured) rather than running half-configured.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} is required")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


DEBUG = env_bool("DJANGO_DEBUG", False)

if DEBUG:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 32 characters long")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    # SimpleAdminConfig: no autodiscovery, because leaflet/admin.py imports GDAL, which the app
    # must not need. tips_map/urls.py registers our own admin modules explicitly.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "leaflet",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_filters",
    "django_ratelimit",
    "tips_map",  # project-wide management commands
    "territories",
    "actors",
    "relations",
    "contributions",
    "network",
    "explore",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app processes themselves (compressed, cache headers): no separate
    # web server is needed, and any reverse proxy or CDN can cache them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tips_map.middleware.PayloadMiddleware",
    # Compresses pages and API answers; BREACH-mitigated since Django 4.2 (random padding).
    "django.middleware.gzip.GZipMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tips_map.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the logged-in user as the author of every change made through a request.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "tips_map.urls"

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
                "contributions.context_processors.moderation",
            ],
        },
    },
]

WSGI_APPLICATION = "tips_map.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections: opening one costs more than most of our requests. No health
        # check (a "SELECT 1" per request): after a database restart each process fails one
        # request, then reconnects.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}

# URLs typed without a scheme are taken as https (Django 6's default, adopted now).
FORMS_URLFIELD_ASSUME_HTTPS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# `collectstatic` writes gzip copies next to each file; WhiteNoise serves them to browsers that
# accept gzip. No manifest: pages work before collectstatic has run (tests, development).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Map backgrounds: tiles fetched by the browser, never by the server. The default is the French
# public service's Plan IGN (Géoplateforme, no key, Licence Ouverte), then OpenStreetMap, offered
# in a layer switcher. TIPS_MAP_BACKGROUNDS lists the keys in order ("none": no background, the
# maps draw the département outlines on a blank ground, as offline). TIPS_TILES_URL (with
# TIPS_TILES_ATTRIBUTION and TIPS_TILES_NAME) is one's own tile server: key "custom", alone by
# default when it is set. The maps' script (static/js/map_layers.js) draws them, not
# django-leaflet: it reads the page's ?fond= before any tile is asked for.
MAP_BACKGROUND_CHOICES = {
    "ign": {
        "name": _("Plan IGN"),
        "url": "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM"
        "&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
        "attribution": '<a href="https://www.ign.fr/">© IGN</a> – Plan IGN, Géoplateforme',
        "max_zoom": 19,
    },
    "osm": {
        "name": "OpenStreetMap",
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": _(
            '<a href="https://www.openstreetmap.org/copyright">© les contributeurs '
            "d'OpenStreetMap</a>"
        ),
        "max_zoom": 19,
    },
}
TILES_URL = env_str("TIPS_TILES_URL", "")
if TILES_URL:
    MAP_BACKGROUND_CHOICES["custom"] = {
        "name": env_str("TIPS_TILES_NAME", "") or _("Fond de carte"),
        "url": TILES_URL,
        "attribution": env_str("TIPS_TILES_ATTRIBUTION", ""),
        "max_zoom": env_int("TIPS_TILES_MAX_ZOOM", 19),
    }


def map_backgrounds(keys: list[str]) -> list[dict]:
    """The backgrounds named by `keys`, in that order, each with its key; [] for "none"."""
    if keys == ["none"]:
        return []
    unknown = [key for key in keys if key not in MAP_BACKGROUND_CHOICES]
    if unknown:
        raise ImproperlyConfigured(
            f"TIPS_MAP_BACKGROUNDS: unknown background {', '.join(unknown)!s} (choose among "
            f"{', '.join(MAP_BACKGROUND_CHOICES)}, or none; custom needs TIPS_TILES_URL)"
        )
    return [{"key": key, **MAP_BACKGROUND_CHOICES[key]} for key in keys]


MAP_BACKGROUNDS = map_backgrounds(
    env_list("TIPS_MAP_BACKGROUNDS", ["custom"] if TILES_URL else ["ign", "osm"])
)
# django-leaflet draws no tiles itself (see above); its other settings place the maps.
LEAFLET_CONFIG = {
    "TILES": [],
    "DEFAULT_CENTER": (45.5, 4.5),
    "DEFAULT_ZOOM": 7,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
}

# Absolute links in emails sent outside a request (digest command).
SITE_URL = env_str("TIPS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "contributions:queue"
LOGOUT_REDIRECT_URL = "actors:home"

# Email: the console in development; SMTP (EMAIL_HOST…) or any backend in production.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "TIPs map <noreply@localhost>")

# A cache shared by every app process: rate limits must hold across them. Redis in production
# (TIPS_CACHE_URL=redis://host:6379/0); by default a database table, which needs no other
# service (created by `manage.py createcachetable`).
CACHE_URL = env_str("TIPS_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tips_cache",
            # Past MAX_ENTRIES every write culls a third of the table (two more queries): 300,
            # Django's default, is reached by the rate-limit counters and payload keys alone.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    # The database cache increments non-atomically: in a burst a few extra proposals may pass
    # the limit. Acceptable against spam; use Redis where that matters.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Network measures (network/bundle.py, network/background.py): computed by the request up to
# this many current actors, above in the background ("process": a `manage.py compute_network`
# child process; "thread"; "" for none: run `compute_network` from cron or after a bulk load).
TIPS_NETWORK_SYNC_LIMIT = env_int("TIPS_NETWORK_SYNC_LIMIT", 500)
TIPS_NETWORK_BACKGROUND = env_str("TIPS_NETWORK_BACKGROUND", "process")

# Rate limits of proposals (django-ratelimit), counted in the cache shared by app processes.
TIPS_CONTRIBUTIONS_PER_IP = env_str("TIPS_CONTRIBUTIONS_PER_IP", "20/h")
TIPS_CONTRIBUTIONS_PER_EMAIL = env_str("TIPS_CONTRIBUTIONS_PER_EMAIL", "10/h")

# Open data: the API is read-only from any origin (CORS for GET), writes need the same site or a
# token. The licence travels with every export.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
DATA_LICENCE_NAME = env_str("TIPS_DATA_LICENCE_NAME", "Licence Ouverte 2.0 (Etalab)")
DATA_LICENCE_URL = env_str(
    "TIPS_DATA_LICENCE_URL", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
)
REST_FRAMEWORK = {
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Errors: one JSON shape, French by default; ?format=garbage is a 400 (opendata/api/errors.py).
    "EXCEPTION_HANDLER": "opendata.api.errors.handle_exception",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "opendata.api.errors.ApiContentNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TIPs map API",
    "DESCRIPTION": "Les acteurs organisés de l'innovation publique et leurs relations "
    "(données validées par la Chaire Transformations de l'action publique, Sciences Po Lyon).",
    "VERSION": "1.0.0",
    "LICENSE": {"name": DATA_LICENCE_NAME, "url": DATA_LICENCE_URL},
    # Its url, the data page, is written on SITE_URL (opendata/api/schema.py).
    "CONTACT": {"name": "Chaire Transformations de l'action publique, Sciences Po Lyon"},
    # Every GET of the data documents its 400 and 404 answers (opendata/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opendata.api.schema.document_errors",
        # The application/ld+json answers documented as JSON-LD (opendata/linked_data.py).
        "opendata.linked_data.document_linked_data",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set in the schema (drf-spectacular warns under `check --deploy`).
    "ENUM_NAME_OVERRIDES": {
        "ActorTypeEnum": "actors.models.ActorType",
        "AdministrativeStatusEnum": "actors.models.AdministrativeStatus",
        "ScopeEnum": "actors.models.Scope",
        "LifecycleEnum": "actors.models.Lifecycle",
        "LocationPrecisionEnum": "actors.models.LocationPrecision",
        "ProvenanceEnum": "tips_map.sources.ProvenanceKind",
        "RelationTypeEnum": "relations.models.RelationType",
        "LevelEnum": "territories.models.Level",
        "ContributionKindEnum": "contributions.models.Kind",
        "ContributionStatusEnum": "contributions.models.Status",
    },
}

# The report the data comes from, cited by line numbers in the fixtures.
REPORT_TITLE = "Les territoires de l'innovation publique — Rapport intermédiaire (mars 2023)"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# Production behind HTTPS (docs/production.md). Off by default: development and the test suite
# serve plain http. With TIPS_HTTPS=1, `manage.py check --deploy` is clean.
HTTPS = env_bool("TIPS_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("TIPS_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("TIPS_HSTS_INCLUDE_SUBDOMAINS", True)
    # Asking browsers to hard-code the domain as HTTPS-only is the domain owner's decision, hard
    # to undo: opt in with TIPS_HSTS_PRELOAD=1; until then, W021 only reminds of the option.
    SECURE_HSTS_PRELOAD = env_bool("TIPS_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]
# Behind a reverse proxy or load balancer, every request comes from the proxy's address: name
# the header in which the proxy puts the client's (e.g. X-Real-IP, which it must overwrite), or
# the per-IP limit of proposals counts everyone together.
CLIENT_IP_HEADER = env_str("TIPS_CLIENT_IP_HEADER", "").strip()
if CLIENT_IP_HEADER:
    RATELIMIT_IP_META_KEY = "HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_")
