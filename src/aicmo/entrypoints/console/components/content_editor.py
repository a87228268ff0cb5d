"""The Edit view: the artifact's content edited as structure, saved as a new version.

The widgets come from the module's content model (`structured_edit`); saving sends the whole
content, checked against the same model first, with the version it was read at (a 409 keeps the
edit on screen). The Markdown the client reads is rendered by the API from what is saved, so every
export shows the edit.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from aicmo.domain.modules import MODULES
from aicmo.domain.schemas.execution import Execution
from aicmo.domain.schemas.resources import ArtifactPublic
from aicmo.entrypoints.console import state
from aicmo.entrypoints.console.client import ApiClient, ApiError
from aicmo.entrypoints.console.components import structured_edit
from aicmo.entrypoints.console.components.common import show_api_error
from aicmo.entrypoints.console.components.posts_editor import posts_view

Fallback = Callable[[], None]


def edit_view(api: ApiClient, module: str, artifact: ArtifactPublic, fallback: Fallback) -> None:
    """Structured editing when the content fits its model; otherwise (or on request) the raw editor."""
    spec = MODULES.get(artifact.type)
    model = spec.content if spec else None
    if model is None or structured_edit.problems(model, artifact.content):
        st.caption("This content does not fit the module's current model: edit it as text below.")
        fallback()
        return
    if model is Execution:  # hundreds of posts: edited one by one, with a month grid
        posts_view(api, module, artifact)
        with st.expander("Edit as raw content instead"):
            fallback()
        return
    key = f"se:{artifact.id}:v{artifact.version}"
    st.caption(
        "Edit the fields, lists and tables below, then save: the Markdown, the PDF, the deck and "
        "everything built on this module are rendered from them."
    )
    edited = structured_edit.edit_model(model, artifact.content, key)
    notes = st.text_area(
        "Operator notes",
        value=artifact.notes,
        key=f"{key}:notes",
        height=100,
        placeholder="Amendments, context for the client, what changed and why",
    )
    changed = structured_edit.changed_fields(artifact.content, edited)
    if changed:
        st.caption("Changed: " + ", ".join(structured_edit.label_of(c) for c in changed))
    if st.button("Save changes as a new version", key=f"{key}:save", type="primary", icon=":material/save:"):
        _save(api, module, artifact, model, edited, notes, changed)
    with st.expander("Edit as raw content instead"):
        fallback()


def _save(
    api: ApiClient,
    module: str,
    artifact: ArtifactPublic,
    model: type,
    edited: dict,
    notes: str,
    changed: list[str],
) -> None:
    if not changed and notes == artifact.notes:
        st.info("Nothing changed: edit a field first.")
        return
    found = structured_edit.problems(model, edited)
    if found:
        st.error("**Not saved: fix these first.**\n" + "\n".join(f"- {p}" for p in found[:10]))
        return
    try:
        saved = api.amend(artifact.id, artifact.version, content=edited, notes=notes)
    except ApiError as exc:
        if exc.status_code == 409:
            st.error(
                f"**Someone changed this since you opened it** (you edited version {artifact.version}). "
                "Nothing was overwritten and your edit is kept above: reload and re-apply it."
            )
        else:
            show_api_error(exc, what="save")
        return
    what = ", ".join(structured_edit.label_of(c) for c in changed) or "notes"
    state.flash(
        module, "success", f"Saved your edit of {what} as version {saved.version} ({saved.status.value})."
    )
    st.rerun()
