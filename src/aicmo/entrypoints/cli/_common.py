"""Shared CLI plumbing: the wired App, and domain errors turned into one-line messages."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console

from aicmo.bootstrap import App, build_app
from aicmo.domain.errors import AicmoError

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


@contextmanager
def cli_app() -> Iterator[App]:
    """The App for one command; domain errors become `Error: …` with exit code 1."""
    app = build_app()
    try:
        yield app
    except AicmoError as exc:
        err_console.print(f"[red]Error:[/red] {exc.message}", highlight=False)
        for detail in exc.details:
            if "field" in detail:
                err_console.print(f"  - {detail['field']}: {detail.get('message', '')}", highlight=False)
        raise typer.Exit(1) from None
    finally:
        app.close()


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: dict[str, Any]) -> M:
    """`data` checked by `model`; each problem printed as `Error: field: message`, exit code 2."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "body"
            err_console.print(f"[red]Error:[/red] {where}: {error['msg']}", highlight=False)
        raise typer.Exit(2) from None


def local_api_token() -> str:
    """The API token a local command uses when none is given: AICMO_API_TOKEN, else the
    configured admin token, else the one `aicmo serve` keeps in the data folder; "" if none."""
    if token := os.environ.get("AICMO_API_TOKEN", "").strip():
        return token
    try:
        from aicmo.config import Settings

        settings = Settings()
        if settings.admin_token is not None:
            return settings.admin_token.get_secret_value()
        token_file = Path(settings.data_dir) / "admin_token"
        return token_file.read_text().strip() if token_file.exists() else ""
    except Exception:  # configuration problems are the API's to report
        return ""
