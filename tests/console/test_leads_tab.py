"""The Lead Gen tab's lead list over the real API: imported leads show best first with their
reasons, and a move through the form lands in the API (SPEC §7)."""

from __future__ import annotations

from tests.console.conftest import Console, LiveApi, assert_clean, texts

CSV = """email,name,company,title,source,consent
dana@harbour.example,Dana Ruiz,Harbour Logistics,Head of Talent,Referral,yes
eli@gmail.com,Eli Moss,,Recruiter,Instagram,no
"""


def test_the_lead_list_shows_scores_and_moves_a_lead(console: Console, live_api: LiveApi) -> None:
    client_id, engagement_id = live_api.new_engagement("Harbour Logistics")
    live_api.call("POST", "/leads/import", {"client_id": client_id, "csv": CSV})

    at = console.open("Lead Gen", client_id, engagement_id)
    assert_clean(at)
    table = at.dataframe[-1].value
    assert list(table["email"]) == ["dana@harbour.example", "eli@gmail.com"]  # best score first
    assert "senior title" in table["why"][0]
    assert "NEW 2" in texts(at)

    lead_box = next(s for s in at.selectbox if s.label == "Lead")
    lead_box.set_value("eli@gmail.com (NEW)")
    next(s for s in at.selectbox if s.label == "To").set_value("CONTACTED")
    next(b for b in at.button if b.label == "Move").click().run()
    assert_clean(at)
    assert "eli@gmail.com is now CONTACTED" in texts(at)
    leads = live_api.call("GET", f"/leads?client_id={client_id}")["data"]
    assert {lead["email"]: lead["status"] for lead in leads} == {
        "dana@harbour.example": "NEW",
        "eli@gmail.com": "CONTACTED",
    }


def test_a_european_excel_file_imports_and_the_tab_says_how_it_was_read(
    console: Console, live_api: LiveApi
) -> None:
    client_id, engagement_id = live_api.new_engagement("Müller & Söhne")
    at = console.open("Lead Gen", client_id, engagement_id)
    data = "Name;E-Mail;Firma\r\nJürgen Müller;jm@mueller.example;Müller & Söhne\r\n".encode("cp1252")
    at.file_uploader[0].upload("leads.csv", data, "text/csv").run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert_clean(at)
    assert "Read as windows-1252, columns separated by semicolons." in texts(at)
    leads = live_api.call("GET", f"/leads?client_id={client_id}")["data"]
    assert [(lead["name"], lead["company"]) for lead in leads] == [("Jürgen Müller", "Müller & Söhne")]
