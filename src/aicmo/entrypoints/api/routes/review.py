"""The client review page: the share link the client opens (HTML, no login, readable on a phone).

Plain forms posting back to the page (post → redirect → get), so it works with any browser and no
script. A link that is expired, revoked, altered or no longer shared gets an HTML page that says so,
never JSON or a traceback. The JSON API under /api/v1/share stays for programmatic use.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from aicmo.adapters.exporters.text import module_label
from aicmo.domain.errors import AicmoError, Conflict, Forbidden, Gated, Invalid, NotFound, Unauthorized
from aicmo.domain.schemas.sharing import ReviewDecision, ShareReview
from aicmo.entrypoints.api.deps import AppDep
from aicmo.entrypoints.api.downloads import file_response
from aicmo.entrypoints.api.errors import STATUS_CODES, validation_details
from aicmo.entrypoints.api.pages import branding, render
from aicmo.services import client_review, review_page, share_links

router = APIRouter(prefix="/review", include_in_schema=False)
Token = Annotated[str, Path(max_length=1000)]
REVIEWER_COOKIE = "aicmo_reviewer"
DONE = {
    ReviewDecision.APPROVE.value: "approved",
    ReviewDecision.REQUEST_CHANGES.value: "sent back with your comments",
    ReviewDecision.REJECT.value: "rejected",
}
LINK_ERRORS: list[tuple[type[AicmoError], int, str]] = [
    (Unauthorized, 401, "This review link has expired"),
    (Forbidden, 403, "This review link is not valid"),
    (NotFound, 404, "Nothing is shared at this link any more"),
]


WITHDRAWN = "This review link was withdrawn"


def _link_error(app: AppDep, exc: AicmoError) -> Response:
    """The clear page for a link that cannot be used (expired, altered, revoked, not shared)."""
    status, title = next(
        ((code, t) for kind, code, t in LINK_ERRORS if isinstance(exc, kind)),
        (next((code for kind, code in STATUS_CODES if isinstance(exc, kind)), 400), ""),
    )
    return render(
        "review/error.html.j2",
        status_code=status,
        title="This review link was withdrawn"
        if "revoked" in exc.message
        else title or "This review link cannot be used",
        message=exc.message.replace("your agency", app.settings.agency_name or "your agency").replace(
            "the agency", app.settings.agency_name or "the agency"
        ),
        **branding(app.settings),
    )


def _page(
    request: Request,
    app: AppDep,
    token: str,
    *,
    status_code: int = 200,
    notice: str = "",
    errors: dict[str, str] | None = None,
    kept: dict[str, str] | None = None,
) -> Response:
    with app.uow() as uow:  # a fresh unit of work: a refused decision left nothing behind
        try:
            view = review_page.review_page(uow, token, share_links.share_link_secret(app.settings))
        except AicmoError as exc:  # expired, altered, revoked, no longer shared
            return _link_error(app, exc)
    return render(
        "review/page.html.j2",
        status_code=status_code,
        view=view,
        token=token,
        notice=notice,
        errors=errors or {},
        kept=kept or {},
        reviewer=request.cookies.get(REVIEWER_COOKIE, ""),
        label=module_label,
        **branding(app.settings),
    )


def _done(token: str, message: str, anchor: str, reviewer: str) -> Response:
    response = RedirectResponse(f"/review/{token}?done={quote(message)}#{anchor}", status_code=303)
    response.set_cookie(
        REVIEWER_COOKIE, reviewer, max_age=90 * 86400, path="/review", httponly=True, samesite="lax"
    )
    return response


@router.get("/{token}")
def show_review_page(
    token: Token, request: Request, app: AppDep, done: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """Every deliverable of the shared engagement with its decision form, and the PDF to download."""
    return _page(request, app, token, notice=done)


@router.post("/{token}/decide")
def decide(
    token: Token,
    request: Request,
    app: AppDep,
    artifact_id: Annotated[str, Form(max_length=64)],
    expected_version: Annotated[int, Form(ge=1, le=1_000_000)],
    decision: Annotated[str, Form(max_length=32)] = "",
    comment: Annotated[str, Form(max_length=2_000)] = "",
    reviewer_name: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """One decision on one deliverable, bound to the version the client had on screen."""
    kept = {
        "artifact_id": artifact_id,
        "decision": decision,
        "comment": comment,
        "reviewer_name": reviewer_name,
    }
    try:
        review = ShareReview(
            artifact_id=artifact_id,
            decision=decision or None,
            comment=comment,
            reviewer_name=reviewer_name,
            expected_version=expected_version,
        )
    except ValidationError as exc:
        problems = {d["field"]: _field_message(d) for d in validation_details(list(exc.errors()))}
        return _page(
            request, app, token, status_code=422, errors={artifact_id: _sentence(problems)}, kept=kept
        )
    secret = share_links.share_link_secret(app.settings)
    try:
        with app.uow() as uow:
            shared = client_review.review_via_share(uow, token, secret, review)
    except (Unauthorized, Forbidden) as exc:
        return _link_error(app, exc)
    except (Conflict, Gated, Invalid, NotFound) as exc:
        return _page(
            request, app, token, status_code=_status(exc), errors={artifact_id: _refusal(exc)}, kept=kept
        )
    message = (
        f"{shared.title} v{shared.version} {DONE[review.decision.value]}. Thank you, {review.reviewer_name}."
    )
    return _done(token, message, f"item-{shared.type.value}", review.reviewer_name)


@router.post("/{token}/approve-all")
def approve_all(
    token: Token,
    request: Request,
    app: AppDep,
    reviewer_name: Annotated[str, Form(max_length=100)] = "",
    versions: Annotated[list[str] | None, Form(max_length=80)] = None,
) -> Response:
    """Approve every deliverable still awaiting a decision, each at the version on screen."""
    seen: dict[str, int] = {}
    for entry in versions or []:
        artifact_id, _, number = entry.partition(":")
        if number.isdigit():
            seen[artifact_id] = int(number)
    if not reviewer_name.strip():
        return _page(
            request,
            app,
            token,
            status_code=422,
            errors={"all": "Type your name above the button, so your agency knows who approved."},
        )
    secret = share_links.share_link_secret(app.settings)
    try:
        with app.uow() as uow:
            approved = client_review.approve_all_via_share(uow, token, secret, reviewer_name, seen)
    except (Unauthorized, Forbidden) as exc:
        return _link_error(app, exc)
    except (Conflict, Gated, Invalid, NotFound) as exc:
        return _page(request, app, token, status_code=_status(exc), errors={"all": _refusal(exc)})
    names = ", ".join(f"{a.title} v{a.version}" for a in approved)
    return _done(token, f"Approved {names}. Thank you, {reviewer_name.strip()}.", "summary", reviewer_name)


@router.get("/{token}/files/{export_id}")
def download(token: Token, export_id: Annotated[str, Path(max_length=64)], app: AppDep) -> Response:
    """A file the agency exported for this engagement (the PDF report, the deck, the ZIP)."""
    secret = share_links.share_link_secret(app.settings)
    try:
        with app.uow() as uow:
            file = client_review.download_shared_export(uow, token, secret, export_id)
    except AicmoError as exc:
        return _link_error(app, exc)
    return file_response(file)


# ---- wording ------------------------------------------------------------------------------------
FIELD_WORDS = {
    "decision": "Choose approve, request changes or reject.",
    "reviewer_name": "Type your name, so your agency knows who decided.",
    "comment": "Say what should change: a comment is required when you request changes.",
}


def _field_message(detail: dict[str, str]) -> str:
    return FIELD_WORDS.get(detail["field"], f"{detail['field']}: {detail['message']}")


def _sentence(problems: dict[str, str]) -> str:
    return " ".join(dict.fromkeys(problems.values()))


def _status(exc: AicmoError) -> int:
    return 409 if isinstance(exc, Conflict | Gated) else 404 if isinstance(exc, NotFound) else 422


def _refusal(exc: AicmoError) -> str:
    if isinstance(exc, Conflict) and any("current_version" in d for d in exc.details):
        return (
            "This deliverable changed while you were reading it, so nothing was recorded. "
            "The page now shows the new version: please look at it again."
        )
    return f"Not recorded: {exc.message}."
