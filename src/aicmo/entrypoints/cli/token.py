"""`aicmo token create|list|revoke`: API tokens, stored hashed."""

from __future__ import annotations

import typer

from aicmo.domain.roles import Role
from aicmo.domain.schemas.resources import TokenCreate
from aicmo.entrypoints.cli._common import cli_app, console
from aicmo.services import keys, tokens

app = typer.Typer(help="API tokens.", no_args_is_help=True)


@app.command()
def create(
    role: Role = typer.Option(..., help="admin, operator, viewer or client_reviewer."),
    client: str | None = typer.Option(None, "--client", help="Client id (client_reviewer only)."),
    name: str = typer.Option("", help="A label, e.g. who holds the token."),
) -> None:
    """Create a token and print it once; only its hash is stored."""
    with cli_app() as app_, app_.uow() as uow:
        issued = tokens.create_token(
            uow,
            tokens.SYSTEM_ADMIN,
            TokenCreate(name=name or f"{role.value} token", role=role, client_id=client),
            key=keys.token_key(app_.settings),
        )
    typer.echo(issued.token)
    console.print(f"[dim]id {issued.id}, role {issued.role.value}; store it now, it is not shown again[/dim]")


@app.command("list")
def list_() -> None:
    """List tokens (prefix, role, client, revoked)."""
    with cli_app() as app_, app_.uow() as uow:
        page = tokens.list_tokens(uow, tokens.SYSTEM_ADMIN, limit=200)
    for t in page.data:
        revoked = f" revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else ""
        console.print(f"{t.id}  {t.prefix}…  {t.role.value:<15} {t.client_id or '-':<28} {t.name}{revoked}")


@app.command()
def revoke(token_id: str) -> None:
    """Revoke a token by id."""
    with cli_app() as app_, app_.uow() as uow:
        tokens.revoke_token(uow, tokens.SYSTEM_ADMIN, token_id)
    console.print(f"revoked {token_id}")
