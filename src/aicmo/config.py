"""One Settings class for the whole product, read from the environment and an optional `.env`.

Secrets are `SecretStr` so they never appear in a repr, a log line or an API answer; database
URLs are shown only through `mask_url`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from aicmo.domain.urls import mask_url

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="AICMO_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("AICMO_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL; empty means a SQLite file under data_dir.",
    )
    admin_token: SecretStr | None = Field(default=None, description="Bootstrap admin API token.")
    backend_url: str = Field(
        default="http://127.0.0.1:8000",
        validation_alias=AliasChoices("AICMO_BACKEND_URL", "BACKEND_URL"),
    )
    api_token: SecretStr | None = Field(default=None, description="Token the console uses.")

    llm_provider: Literal["offline", "openai", "anthropic"] = "offline"
    llm_base_url: str = ""
    llm_api_key: SecretStr | None = None
    llm_model: str = ""
    llm_timeout_s: float = 60.0
    llm_max_retries: int = Field(default=4, ge=0, le=10)
    llm_backoff_base_s: float = 0.5
    llm_price_input_per_mtok: float = Field(default=0.0, ge=0)
    llm_price_output_per_mtok: float = Field(default=0.0, ge=0)
    # Unset prices: the model's published prices (genai-prices); set ones override them.
    llm_price_cached_input_per_mtok: float | None = Field(default=None, ge=0)

    share_link_secret: SecretStr | None = None
    metrics_token: SecretStr | None = Field(
        default=None, description="When set, GET /metrics needs 'Authorization: Bearer <token>'."
    )
    backup_key: SecretStr | None = Field(
        default=None,
        description="HMAC key that signs backups and verifies them on restore; empty: generated into "
        "data_dir/backup_key. Set the same value where you back up and where you restore.",
    )
    backup_encryption_key: SecretStr | None = Field(
        default=None,
        description="A Fernet key: when set, backups are encrypted at rest and restore decrypts them.",
    )
    token_key: SecretStr | None = Field(
        default=None,
        description="HMAC key for stored API token hashes; empty: generated into data_dir/token_key.",
    )
    public_url: str = Field(
        default="",
        max_length=500,
        description="The address clients reach the API at (e.g. https://review.agency.example behind "
        "a proxy); share links are built on it. Empty: the address of the request that made the link.",
    )
    agency_name: str = Field(
        default="",
        max_length=120,
        description="Your agency's name on the client review page, the PDF report, the deck and the "
        'bundle ("Prepared by"); empty: no name is shown.',
    )
    agency_logo_url: str = Field(
        default="", max_length=1000, description="An https (or data:) URL of your logo for the review page."
    )
    agency_logo: Path | None = Field(
        default=None,
        description="A PNG, JPEG or SVG file of your logo for the PDF report's cover and the deck "
        "(documents are rendered offline, so a remote URL cannot be used there).",
    )
    runner_concurrency: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="Jobs one worker runs at once, and LLM calls it has in flight (calls started "
        "ahead for the next jobs included); empty: sized from the jobs of each plan that can run "
        "at once, within llm_rate_limit_rpm.",
    )
    llm_rate_limit_rpm: int = Field(
        default=500,
        ge=1,
        le=100_000,
        description="The provider's rate limit in requests per minute: a worker never starts more "
        "calls than this in any minute, and its automatic concurrency stays within it.",
    )
    runner_mode: Literal["embedded", "external"] = Field(
        default="embedded",
        description="embedded: the API process runs jobs itself; external: `aicmo worker` processes do.",
    )
    engine_database_url: str = Field(
        default="",
        description="DBOS system database; empty: a SQLite file beside the app database, or the app's "
        "PostgreSQL database (schema dbos).",
    )
    worker_id: str = Field(
        default="local", max_length=100, description="This worker's identity (DBOS executor)."
    )
    lease_seconds: float = Field(
        default=120.0, gt=0, description="A running job's lease; renewed while alive."
    )
    queue_polling_s: float | None = Field(
        default=None,
        gt=0,
        le=30,
        description="How often a worker looks at the job queue when nothing woke it; new work wakes "
        "it at once (LISTEN/NOTIFY on PostgreSQL, in-process on SQLite). Empty: 5 s on PostgreSQL, "
        "2 s on SQLite.",
    )
    sweep_fallback_s: float = Field(
        default=5.0,
        gt=0,
        le=60,
        description="How often a worker looks for expired leases and ready jobs nobody queued when "
        "no commit or notification woke it.",
    )
    job_max_attempts: int = Field(default=4, ge=1, le=20)
    job_retry_base_s: float = Field(default=0.5, ge=0, le=60)
    log_level: str = "INFO"
    db_connect_timeout_s: float = Field(
        default=5.0,
        gt=0,
        le=120,
        description="PostgreSQL connect timeout: an unreachable database fails fast.",
    )
    db_statement_timeout_s: float = Field(
        default=60.0,
        ge=0,
        description="PostgreSQL statement_timeout for the API and workers (0: none; migrations never).",
    )
    db_busy_timeout_s: float = Field(
        default=15.0, gt=0, le=300, description="SQLite: how long a write waits for another writer."
    )
    min_free_disk_mb: int = Field(
        default=200,
        ge=0,
        description="Free space under data_dir below which the disk sentinel fails and /readyz is 503.",
    )
    max_body_bytes: int = Field(
        default=4 * 1024 * 1024,
        ge=1024,
        description="Largest request body the API reads; a bigger one is a 413 envelope.",
    )
    max_upload_bytes: int = Field(
        default=32 * 1024 * 1024,
        ge=1024,
        description="Largest body of an upload route (a leads or metrics CSV import); bigger is a 413.",
    )

    smtp_host: str = Field(
        default="", max_length=255, description="SMTP server for outgoing e-mail; empty: e-mail is off."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = Field(default="", max_length=320, description="SMTP login; empty: no AUTH.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password (never logged).")
    smtp_tls: Literal["none", "starttls", "ssl"] = Field(
        default="starttls",
        description="starttls (port 587), ssl (implicit TLS, port 465) or none (a local relay only).",
    )
    smtp_timeout_s: float = Field(default=30.0, gt=0, le=300)
    smtp_ca_file: str = Field(default="", description="A CA bundle to trust for the SMTP server's TLS.")
    mail_from: str = Field(
        default="",
        max_length=320,
        description="The From address of outreach e-mail (e.g. hello@agency.example).",
    )

    # Live-mode publishing (SPEC §6). The signing secret is a SecretStr: never logged or returned.
    publish_webhook_url: str = Field(default="", description="Where live campaigns POST approved posts.")
    publish_webhook_secret: SecretStr | None = Field(
        default=None, description="HMAC-SHA256 key signing every webhook POST (X-AICMO-Signature)."
    )
    publish_private_destinations: bool = Field(
        default=False,
        description="Let a campaign's own webhook URL reach private, loopback or link-local addresses "
        "(a receiver on the agency's own network). Off, such a post is refused before it is sent: an "
        "operator's URL must not reach the deployment's internal services. The default URL is trusted.",
    )
    publish_email_to: str = Field(
        default="",
        max_length=320,
        description="Live campaigns on the e-mail channel send each approved post here (over AICMO_SMTP_*).",
    )
    publish_timeout_s: float = Field(
        default=10.0, gt=0, le=120, description="One publishing attempt's timeout (below the lease)."
    )
    publish_lease_s: float = Field(
        default=60.0,
        gt=0,
        description="How long a sending worker holds a publish job; only after it lapses may another "
        "worker send the item (with the same idempotency key).",
    )
    publish_max_attempts: int = Field(default=5, ge=1, le=20)
    publish_retry_base_s: float = Field(default=2.0, ge=0, le=600)
    publish_retry_cap_s: float = Field(default=300.0, ge=0, le=86_400)

    @model_validator(mode="after")
    def _publish_timeout_below_lease(self) -> Settings:
        # An attempt still in flight when its lease lapsed could be sent again by another worker.
        if self.publish_timeout_s * 2 > self.publish_lease_s:
            raise ValueError("AICMO_PUBLISH_TIMEOUT_S must be at most half AICMO_PUBLISH_LEASE_S")
        return self

    @field_validator("database_url")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("AICMO_PUBLIC_URL must start with http:// or https://")
        return value

    @field_validator("agency_logo_url")
    @classmethod
    def _logo_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("https://", "http://", "data:image/")):
            raise ValueError("AICMO_AGENCY_LOGO_URL must be an http(s) URL or a data:image/ URI")
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'aicmo.db').resolve()}"

    @property
    def masked_database_url(self) -> str:
        return mask_url(self.resolved_database_url)

    @property
    def resolved_queue_polling_s(self) -> float:
        """The setting, else 5 s on PostgreSQL (a NOTIFY wakes workers; the poll only catches one
        lost with a dropped connection) and 2 s on SQLite (another process's work is found by it)."""
        if self.queue_polling_s is not None:
            return self.queue_polling_s
        return 5.0 if self.resolved_engine_url.startswith("postgresql") else 2.0

    @property
    def resolved_engine_url(self) -> str:
        if self.engine_database_url:
            return self.engine_database_url
        url = self.resolved_database_url
        if url.startswith("sqlite"):
            return f"sqlite:///{engine_file_beside(url, self.data_dir)}"
        return url

    def __repr_args__(self):  # keep reprs free of raw URLs with passwords
        for key, value in super().__repr_args__():
            if key == "database_url" and value:
                yield key, mask_url(value)
            else:
                yield key, value


def engine_file_beside(sqlite_url: str, data_dir: Path) -> Path:
    """The task engine's SQLite file, next to the app's (`app.db` -> `app-engine.db`), so every command
    works from any folder with only AICMO_DATABASE_URL set; an in-memory app database keeps the engine's
    in data_dir."""
    database = make_url(sqlite_url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return (data_dir / "aicmo-engine.db").resolve()
    app_file = Path(database).expanduser().resolve()
    return app_file.with_name(f"{app_file.stem}-engine.db")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
