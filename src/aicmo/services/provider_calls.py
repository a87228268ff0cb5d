"""Writing the cost ledger: each provider call in its own short transaction (issue 18).

`bootstrap.App.provider` hands every call to `record` when it returns or fails (see
`adapters.llm.recording`), independent of the transaction of the job or request it served, so a
job that crashes before committing cannot take its paid call out of the ledger.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from aicmo.domain.errors import WriteRace
from aicmo.domain.provider_calls import ProviderCall
from aicmo.services.unit_of_work import UnitOfWork, UowFactory

log = logging.getLogger("aicmo.ledger")
ATTEMPTS = 3


def record(uow_factory: UowFactory, call: ProviderCall) -> None:
    """Store `call`: a call starting (`pending`) as a new row, its client and engagement looked up
    from its plan job when the caller named only the job; a call that ended over its starting row
    (or as a new row if that one is missing); commits. A busy database is tried again; the last
    error is raised."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with uow_factory() as uow:
                if call.pending or not uow.provider_calls.finish(call):
                    uow.provider_calls.add(_with_owner(uow, call))
                uow.commit()
                return
        except WriteRace:
            return  # the same call id is stored already
        except Exception:
            if attempt == ATTEMPTS:
                raise
            log.warning("recording provider call %s: attempt %d failed", call.id, attempt, exc_info=True)


def _with_owner(uow: UnitOfWork, call: ProviderCall) -> ProviderCall:
    """`call` with the client and engagement of its plan job, when its caller named only the job."""
    scope = call.scope
    owner = (
        uow.provider_calls.owner_of_job(scope.job_id) if scope.job_id and not scope.engagement_id else None
    )
    if owner is None:
        return call
    return replace(call, scope=replace(scope, client_id=owner[0], engagement_id=owner[1]))
