"""Configuration classes. Every setting can be given by an environment variable."""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("HALLOBOT_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'hallobot.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    # Locale and time
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")
    TIMEZONE = "Europe/Berlin"

    # Sessions and cookies
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("SESSION_HOURS", 12))
    REMEMBER_COOKIE_DURATION = timedelta(days=_int("REMEMBER_DAYS", 14))
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)

    # Forms and uploads
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 3600 * 4
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024
    # Photos: the re-encoded renditions live here, named by an unguessable key
    MEDIA_DIR = os.environ.get("MEDIA_DIR", str(INSTANCE_DIR / "media"))
    PHOTO_MAX_BYTES = 5 * 1024 * 1024

    # Account tokens
    EMAIL_CONFIRM_MAX_AGE = timedelta(days=2)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=1)
    PASSWORD_MIN_LENGTH = 10
    # argon2id parameters (argon2-cffi defaults: time 3, memory 64 MiB, parallelism 4)
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    # Mail: SMTP when MAIL_SERVER is set, otherwise .eml files in the outbox folder
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 587)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "hallobot Bottrop <no-reply@hallobot.example>"
    )
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))

    # Rate limits (Flask-Limiter): Redis in production, memory otherwise
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)

    # Number of reverse proxies in front of the app whose X-Forwarded-* headers we trust
    # (0: none; the client address is then the TCP peer). Rate limits key on that address.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)

    # Public URL (for links in e-mails sent from the command line)
    SERVER_NAME = os.environ.get("SERVER_NAME") or None
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")

    # Directory
    PAGE_SIZE = _int("PAGE_SIZE", 20)
    # where the site is reached, for links in mails sent outside a request (reminders)
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© OpenStreetMap-Mitwirkende")
    # Geocoding (geopy's Nominatim): the service's base URL (scheme, host[:port], optional
    # path), who we are (Nominatim's usage policy wants a real user agent with a contact;
    # empty: "hallobot/0.1 (+LEGAL_EMAIL)"), how long to wait, and how long answers are
    # cached (found addresses for days, addresses not found for hours).
    GEOCODER_URL = os.environ.get("GEOCODER_URL", "https://nominatim.openstreetmap.org")
    GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "")
    # seconds between requests (Nominatim's policy: 1; never less for the public service)
    GEOCODER_MIN_DELAY = float(os.environ.get("GEOCODER_MIN_DELAY", "1"))
    GEOCODER_TIMEOUT = _int("GEOCODER_TIMEOUT", 5)
    GEOCODER_CACHE_DAYS = _int("GEOCODER_CACHE_DAYS", 90)
    GEOCODER_NOT_FOUND_HOURS = _int("GEOCODER_NOT_FOUND_HOURS", 24)

    # Legal pages (Impressum § 5 DDG, Datenschutz Art. 13 DSGVO): the operator's data
    LEGAL_OPERATOR = os.environ.get("LEGAL_OPERATOR", "hallobot – Demo-Instanz")
    LEGAL_REPRESENTATIVE = os.environ.get("LEGAL_REPRESENTATIVE", "Erika Musterfrau")
    LEGAL_STREET = os.environ.get("LEGAL_STREET", "Ernst-Wilczok-Platz 1")
    LEGAL_CITY = os.environ.get("LEGAL_CITY", "46236 Bottrop")
    LEGAL_EMAIL = os.environ.get("LEGAL_EMAIL", "kontakt@hallobot.example")
    LEGAL_PHONE = os.environ.get("LEGAL_PHONE", "02041 000000")
    LEGAL_VAT_ID = os.environ.get("LEGAL_VAT_ID", "")
    LEGAL_PRIVACY_CONTACT = os.environ.get("LEGAL_PRIVACY_CONTACT", "datenschutz@hallobot.example")
    LEGAL_HOSTING = os.environ.get(
        "LEGAL_HOSTING", "Die Demo-Instanz läuft auf dem Rechner, auf dem sie gestartet wurde."
    )
    LEGAL_IS_DEMO = _bool("LEGAL_IS_DEMO", True)


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SECRET_KEY = "test-secret-key-not-for-production"
    MAIL_SERVER = None
    RATELIMIT_STORAGE_URI = "memory://"
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8192
    ARGON2_PARALLELISM = 1
    SERVER_NAME = None
    MEDIA_DIR = os.path.join(tempfile.gettempdir(), "hallobot-test-media")
    # never the real Nominatim: a closed port on loopback unless a test starts its stand-in;
    # the rate limit has a test of its own, the other tests need not wait a second each
    GEOCODER_URL = "http://127.0.0.1:9"
    GEOCODER_MIN_DELAY = 0.0


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")
    LEGAL_IS_DEMO = _bool("LEGAL_IS_DEMO", False)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """The config class named by HALLOBOT_ENV (default: development)."""
    return CONFIGS[os.environ.get("HALLOBOT_ENV", "development")]
