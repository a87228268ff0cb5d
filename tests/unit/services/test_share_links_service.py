"""Share links on the fake unit of work: issuing, resolving and revoking one link, no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tests.fakes import FakeUnitOfWork

from aicmo.adapters.db.tables import ClientRow, EngagementRow
from aicmo.domain.errors import NotFound, Unauthorized
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.sharing import ShareLinkCreate
from aicmo.services import share_links

OPERATOR = Principal(name="ops", role=Role.OPERATOR)
SECRET = b"s" * 32
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.clients.add(ClientRow(id="cl_1", name="St. Brigid"))
    fake.engagements.add(EngagementRow(id="en_1", client_id="cl_1", name="Hiring"))
    fake.engagements.add(EngagementRow(id="en_2", client_id="cl_1", name="Retention"))
    return fake


def issue(uow: FakeUnitOfWork, engagement_id: str = "en_1"):
    return share_links.issue_share_link(uow, OPERATOR, engagement_id, ShareLinkCreate(), SECRET, now=NOW)


def test_a_revoked_link_no_longer_resolves_and_the_others_still_do(uow: FakeUnitOfWork) -> None:
    first, second = issue(uow), issue(uow)
    revoked = share_links.revoke_share_link(uow, OPERATOR, "en_1", first.link_id)

    assert revoked.revoked_at is not None and uow.audit.actions()[-1] == "share_link.revoke"
    with pytest.raises(Unauthorized):
        share_links.resolve_share(uow, first.token, SECRET, now=NOW)
    claims, engagement = share_links.resolve_share(uow, second.token, SECRET, now=NOW)
    assert (claims.link_id, engagement.id) == (second.link_id, "en_1")
    assert uow.share_links.revoked_links("en_1") == {first.link_id}


def test_revoking_twice_is_harmless_and_another_engagements_link_is_not_found(uow: FakeUnitOfWork) -> None:
    link = issue(uow)
    share_links.revoke_share_link(uow, OPERATOR, "en_1", link.link_id)
    commits = uow.commits
    share_links.revoke_share_link(uow, OPERATOR, "en_1", link.link_id)
    assert uow.audit.actions().count("share_link.revoke") == 1 and uow.commits == commits + 1
    with pytest.raises(NotFound):
        share_links.revoke_share_link(uow, OPERATOR, "en_2", link.link_id)
