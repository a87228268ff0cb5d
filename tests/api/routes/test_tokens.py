"""API tokens are stored as keyed hashes; tokens from before keyed hashes keep working; any header
value (non-ASCII included) is an answer, never a server error. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from aicmo.adapters.db.tables import ApiTokenRow
from aicmo.bootstrap import App
from aicmo.services import keys, tokens
from tests.api.helpers import Api


def _stored_hash(app: App, token_id: str) -> str:
    with app.uow() as uow:
        return uow.session.scalar(select(ApiTokenRow.token_hash).where(ApiTokenRow.id == token_id))


def test_a_token_is_stored_as_a_keyed_hash_and_works(client: TestClient, aicmo_app: App) -> None:
    issued = Api(client).post("/tokens", {"name": "ops", "role": "operator"}, expect=201)
    stored = _stored_hash(aicmo_app, issued["id"])
    assert stored == tokens.hash_token(issued["token"], keys.token_key(aicmo_app.settings))
    assert stored != hashlib.sha256(issued["token"].encode()).hexdigest()  # not a bare digest
    assert Api(client).as_token(issued["token"]).get("/tokens/me", expect=200)["role"] == "operator"


def test_a_token_with_a_bare_sha256_hash_works_once_and_is_rehashed(
    client: TestClient, aicmo_app: App
) -> None:
    issued = Api(client).post("/tokens", {"name": "old", "role": "viewer"}, expect=201)
    legacy = hashlib.sha256(issued["token"].encode()).hexdigest()
    with aicmo_app.uow() as uow:
        uow.session.execute(
            update(ApiTokenRow).where(ApiTokenRow.id == issued["id"]).values(token_hash=legacy)
        )
        uow.commit()
    assert Api(client).as_token(issued["token"]).get("/tokens/me", expect=200)["role"] == "viewer"
    assert _stored_hash(aicmo_app, issued["id"]) == tokens.hash_token(
        issued["token"], keys.token_key(aicmo_app.settings)
    )
    assert Api(client).as_token(issued["token"]).get("/tokens/me", expect=200)["role"] == "viewer"


def test_a_token_hashed_with_another_key_is_refused(client: TestClient, aicmo_app: App) -> None:
    issued = Api(client).post("/tokens", {"name": "moved", "role": "viewer"}, expect=201)
    foreign = tokens.hash_token(issued["token"], b"another-installation")
    with aicmo_app.uow() as uow:
        uow.session.execute(
            update(ApiTokenRow).where(ApiTokenRow.id == issued["id"]).values(token_hash=foreign)
        )
        uow.commit()
    answer = client.get("/api/v1/tokens/me", headers={"Authorization": f"Bearer {issued['token']}"})
    assert answer.status_code == 401 and answer.json()["error"]["type"] == "UNAUTHORIZED"


def test_a_non_ascii_bearer_token_is_a_401_envelope(client: TestClient) -> None:
    for raw in (
        "Bearer caf\u00e9-token".encode("latin-1"),
        "Bearer \u2603".encode(),
        b"Bearer \xff\xfe\x00x",
    ):
        answer = client.get("/api/v1/clients", headers=[(b"authorization", raw)])
        assert answer.status_code == 401, (raw, answer.status_code, answer.text)
        assert answer.json()["error"]["type"] == "UNAUTHORIZED" and answer.json()["trace_id"]
