"""The leads service on the fake unit of work: the same use cases as the routes, no database."""

from __future__ import annotations

import pytest
from tests.fakes import FakeUnitOfWork

from aicmo.adapters.db.tables import ArtifactRow, ClientRow, EngagementRow
from aicmo.domain.errors import Conflict, Forbidden, InvalidTransition
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.leads import LeadCreate, LeadImport, LeadMove
from aicmo.services import leads

OPERATOR = Principal(name="ops", role=Role.OPERATOR)
CSV = """Full Name,E-mail,Job Title,Consent
Aoife Byrne,aoife@stbrigid.example,Director of Nursing,yes
Bo Chan,bo@gmail.com,Student nurse,no
,not-an-email,,
Aoife again,AOIFE@stbrigid.example,,yes
"""


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.clients.add(ClientRow(id="cl_1", name="St. Brigid"))
    fake.engagements.add(EngagementRow(id="en_1", client_id="cl_1", name="Hiring"))
    fake.artifacts.add(
        ArtifactRow(
            id="ar_1",
            client_id="cl_1",
            engagement_id="en_1",
            type="intake",
            status="approved",
            version=1,
            content={"target_audience": "Registered nurses and nursing directors", "geography": "Ireland"},
        )
    )
    return fake


def test_an_import_dedupes_by_email_scores_against_the_brief_and_commits_once(uow: FakeUnitOfWork) -> None:
    result = leads.import_leads(uow, OPERATOR, LeadImport(client_id="cl_1", engagement_id="en_1", csv=CSV))

    assert (result.created, result.duplicates_in_file, result.already_known) == (2, 1, 0)
    assert [s["field"] for s in result.skipped] == ["row 4.email"]
    assert uow.commits == 1 and uow.audit.actions() == ["lead.import"]
    listed = leads.list_leads(uow, OPERATOR, "cl_1")
    assert listed.count == 2
    assert listed.data[0].email == "aoife@stbrigid.example"  # the nursing director scores higher
    assert any("nurs" in reason for reason in listed.data[0].score_reasons)


def test_an_imported_lead_is_scored_as_if_it_were_scored_alone(uow: FakeUnitOfWork) -> None:
    """Rows with the same scored fields share one scoring; what each lead stores is still its own:
    two role accounts of one company are each named in their reasons."""
    text = (
        "email,name,title,company,phone,timezone\n"
        "info@northwind.example,,Head of People,Northwind,,Europe/Dublin\n"
        "sales@northwind.example,Sales Desk,Head of People,Northwind,,\n"
        "ana@northwind.example,Ana Diaz,Head of People,Northwind,+353 1 234 5679,\n"
        "bo@northwind.example,Bo Chan,Head of People,Northwind,,\n"
    )
    result = leads.import_leads(uow, OPERATOR, LeadImport(client_id="cl_1", engagement_id="en_1", csv=text))
    assert result.created == 4
    icp = leads.client_icp(uow, OPERATOR, "cl_1", "en_1")[0]
    for row in uow.leads.rows.values():
        alone = leads.derived(vars(row), leads.LeadStatus.NEW, icp, row.created_at)
        assert {key: getattr(row, key) for key in alone} == alone
    reasons = {row.email: row.score_reasons for row in uow.leads.rows.values()}
    assert "0 role account (sales@), not a person" in reasons["sales@northwind.example"]
    assert "0 role account (info@), not a person" in reasons["info@northwind.example"]
    assert {row.name for row in uow.leads.rows.values()} == {"", "Sales Desk", "Ana Diaz", "Bo Chan"}


def test_the_same_file_again_creates_nothing(uow: FakeUnitOfWork) -> None:
    data = LeadImport(client_id="cl_1", csv=CSV)
    leads.import_leads(uow, OPERATOR, data)
    again = leads.import_leads(uow, OPERATOR, data)
    assert (again.created, again.already_known) == (0, 2)


def test_a_second_lead_with_a_known_email_is_a_conflict_naming_the_field(uow: FakeUnitOfWork) -> None:
    leads.create_lead(uow, OPERATOR, LeadCreate(client_id="cl_1", email="bo@gmail.com"))
    with pytest.raises(Conflict) as refused:
        leads.create_lead(uow, OPERATOR, LeadCreate(client_id="cl_1", email="BO@gmail.com"))
    assert refused.value.details[0]["field"] == "email"
    assert uow.commits == 1


def test_only_legal_moves_are_made_and_a_viewer_changes_nothing(uow: FakeUnitOfWork) -> None:
    lead = leads.create_lead(uow, OPERATOR, LeadCreate(client_id="cl_1", email="bo@gmail.com"))
    with pytest.raises(InvalidTransition):
        leads.move_lead(uow, OPERATOR, lead.id, LeadMove(status="ROUTED", expected_version=lead.version))
    moved = leads.move_lead(
        uow, OPERATOR, lead.id, LeadMove(status="ENRICHED", expected_version=lead.version)
    )
    assert moved.status.value == "ENRICHED"
    assert uow.audit.actions() == ["lead.create", "lead.move"]
    with pytest.raises(Forbidden):
        leads.create_lead(
            uow, Principal(name="v", role=Role.VIEWER), LeadCreate(client_id="cl_1", email="x@y.ie")
        )
