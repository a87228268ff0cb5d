"""The upload form the CSV imports share (performance data, mentions): a file, optional header
mapping ("ours=yours"), and a button; the import's outcome is flashed with each skipped row named."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from aicmo.domain.csv_files import decode_bytes
from aicmo.entrypoints.console import state


@dataclass(frozen=True)
class Upload:
    text: str
    filename: str
    encoding: str
    mapping: dict[str, str]


def upload_form(
    *, label: str, key: str, columns: Sequence[str], placeholder: str, button: str, mapping_label: str
) -> Upload | None:
    """The form's contents when its button was pressed with a readable file, else None."""
    upload = st.file_uploader(label, type=["csv", "txt"], key=f"{key}:csv")
    mapping_text = st.text_input(
        mapping_label,
        key=f"{key}:map",
        placeholder=placeholder,
        help=f"ours=yours, separated by commas. Ours: {', '.join(columns)}.",
    )
    if not st.button(button, key=f"{key}:import", disabled=upload is None, icon=":material/upload:"):
        return None
    assert upload is not None
    try:
        decoded = decode_bytes(upload.getvalue())
    except ValueError as exc:
        st.error(f"{upload.name}: {exc}")
        return None
    mapping = {
        part.split("=", 1)[0].strip(): part.split("=", 1)[1].strip()
        for part in mapping_text.split(",")
        if "=" in part
    }
    return Upload(decoded.text, upload.name, decoded.encoding, mapping)


def flash_outcome(scope: str, summary: str, skipped: list[dict[str, Any]]) -> None:
    state.flash(scope, "success" if not skipped else "warning", summary)
    for row in skipped[:20]:
        state.flash(scope, "info", f"{row['field']}: {row['message']}")
    st.rerun()
