"""SMS copy says something (issue 15): each text is the brand and date, a message of at least five
words from the brief (a heading such as "Proof." or a quoted worry with no answer is not one), the
call to action, the opt-out and the disclaimers, inside one 160-character segment."""

from __future__ import annotations

import json
import re
from pathlib import Path

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.intake import Platform
from aicmo.domain.text_length import measure
from aicmo.services.offline_content import offline_contents

BRIEFS = Path(__file__).resolve().parents[2] / "fixtures" / "briefs"


def test_gym_retention_texts_carry_a_message_not_a_heading() -> None:
    raw = json.loads((BRIEFS / "gym_retention.json").read_text())
    posts = offline_contents(raw, [Module.EXECUTION])["execution"]["posts"]
    texts = [p for p in posts if p["platform"] == Platform.SMS.value]
    assert len(texts) >= 6
    for post in texts:
        text = post["text"]
        assert measure(text, Platform.SMS, 160).fits, text
        assert text.startswith("IronWorks Gym, ") and text.endswith("Reply STOP to opt out."), text
        message = text.split(": ", 1)[1].split(post["cta"])[0]
        assert len(re.findall(r"[\w'’%-]+", message)) >= 5, text
        assert not message.lstrip().startswith("“"), text
    assert len({p["text"] for p in texts}) == len(texts)
