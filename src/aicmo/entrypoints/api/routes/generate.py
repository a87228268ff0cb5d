"""POST /api/v1/{module}/generate for the nine modules, and brief validation (SPEC §3, §8)."""

from __future__ import annotations

from fastapi import APIRouter

from aicmo.domain.artifacts import Module
from aicmo.domain.errors import Forbidden
from aicmo.domain.schemas.envelope import Envelope
from aicmo.domain.schemas.generation import GenerateRequest, IntakeValidateRequest, IntakeValidation
from aicmo.entrypoints.api.deps import AppDep, PrincipalDep, UowDep
from aicmo.services import generation

router = APIRouter(tags=["generate"])

_502 = {502: {"model": Envelope, "description": "The LLM provider failed after its retries"}}


@router.post("/intake/validate")
def validate_intake(body: IntakeValidateRequest, app: AppDep, principal: PrincipalDep) -> IntakeValidation:
    """Errors (block) and warnings (do not block) for a brief, each naming its field. Stores nothing.
    With `review`, the configured LLM reviews the brief too: its remarks are warnings, and
    `review` says whether it ran (off without an LLM; a provider failure is reported, not a 5xx).
    A review calls the LLM, so it needs operator rights; validation alone is for every role."""
    if body.review and not principal.can_write:  # an LLM call costs money: operators and admins only
        raise Forbidden(f"an LLM review of the brief needs operator rights (role {principal.role.value})")
    return generation.validate_brief(
        body.intake, app.provider if body.review else None, actor=principal.actor
    )


def _generate_route(module: Module):
    def handler(body: GenerateRequest, app: AppDep, uow: UowDep, principal: PrincipalDep) -> Envelope:
        outcome = generation.generate(uow, app.provider, principal, module, body)
        return outcome.envelope()

    handler.__name__ = f"generate_{module.value}"
    handler.__doc__ = (
        f"Generate the {module.value} from the approved upstream artifacts and store it as a draft "
        "version. Answers the deliverables envelope; gating refusals are 409 GATING_ERROR."
        + (" The body carries the brief in `intake`." if module is Module.INTAKE else "")
    )
    return handler


for _module in Module:
    router.add_api_route(
        f"/{_module.value}/generate",
        _generate_route(_module),
        methods=["POST"],
        response_model=Envelope,
        responses=_502,
    )
