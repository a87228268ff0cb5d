"""The durable task engine: DBOS workflows and a DBOS queue run plan jobs. The only DBOS importer.

Each job run is one DBOS workflow (`aicmo-job-<job id>-<run no>`: the id is the idempotency key,
so a duplicate dispatch is a no-op). Its step calls `services.plans.execute_job`, which DBOS retries
with exponential back-off; when the retries are spent the job is marked failed. DBOS records
finished steps in its system database, so a worker restarted after SIGKILL resumes its workflows
instead of starting over; a worker that never comes back loses its leases and a sweeper hands its
jobs to the living. Embedded: a SQLite system database beside the app's. Team: PostgreSQL, with
`aicmo worker` processes on any number of hosts.
"""

from __future__ import annotations

import gc
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import sqlalchemy as sa
from dbos import DBOS, DBOSClient, SetWorkflowID

from aicmo.adapters.db import sqlite_gate
from aicmo.adapters.llm.base import Provider
from aicmo.config import Settings
from aicmo.domain.errors import JobCannotRun
from aicmo.domain.provider_calls import CallKind, CallScope, call_scope
from aicmo.services import job_lease, job_runner, plan_parts, publishing
from aicmo.services.prefetch import Prefetcher
from aicmo.services.unit_of_work import UnitOfWork


class Wiring(Protocol):
    """What the engine needs of the composition root (`bootstrap.App`), which hands itself in: the
    engine never imports the root that builds it."""

    settings: Settings

    @property
    def provider(self) -> Provider: ...

    @property
    def publishing(self) -> publishing.Publishing: ...

    def uow(self) -> UnitOfWork: ...


log = logging.getLogger("aicmo.engine")

QUEUE = "aicmo-jobs"
APP_NAME = "aicmo"
WORKFLOW_NAME = "aicmo_run_job"
_runtime: Runtime | None = None


def workflow_id(job_id: str, run_no: int) -> str:
    return f"aicmo-job-{job_id}-{run_no}"


def _current() -> Runtime:
    if _runtime is None:
        raise RuntimeError("the AICMO job engine is not running in this process")
    return _runtime


@DBOS.step()
def _execute_step(job_id: str) -> dict[str, Any]:
    runtime = _current()
    if publishing.is_publish_job(job_id):  # a live campaign's post (services/publishing.py)
        return publishing.run_job(runtime.app.uow, runtime.app.publishing, job_id, runtime.worker_id)
    # the job's provider calls, and those it starts ahead for the next jobs, are in the cost ledger
    # under this job (its engagement is looked up when they are recorded)
    with call_scope(CallScope(CallKind.PLAN_JOB, job_id=job_id, actor=f"system:worker {runtime.worker_id}")):
        outcome = job_runner.execute_job(
            runtime.app.uow,
            runtime.app.provider,
            job_id,
            runtime.worker_id,
            lease_s=runtime.app.settings.lease_seconds,
            export_runner=runtime.export_runner,
            prefetcher=runtime.prefetcher,
        )
    return {"result": outcome.result, "dispatch": outcome.dispatch, "detail": outcome.detail}


@DBOS.step()
def _fail_step(job_id: str, error: str) -> None:
    with _current().app.uow() as uow:
        job_runner.fail_job(uow, job_id, error)


@DBOS.workflow(name=WORKFLOW_NAME)
def run_job_workflow(job_id: str, run_no: int) -> str:
    """Run the job, then carry on in-line with one job it made ready; the others go to the queue.

    A chain of dependent jobs (ICP -> positioning -> messaging ...) so pays the queue's dispatch
    latency once rather than at every link; fan-out still spreads over workers. The siblings are
    enqueued by a helper thread so the in-line job does not wait for their enqueues; if this
    process dies first, the sweeper re-queues ready jobs that never started.
    """
    runtime = _current()
    current: str | None = job_id
    results: list[str] = []
    while current is not None:
        with runtime.job_slots:  # at most `runner_concurrency` jobs at once in this process
            outcome = _run_with_retries(current)
        results.append(outcome["result"] if outcome else "failed")
        ready = [tuple(item) for item in (outcome or {}).get("dispatch", [])]
        current = str(ready[0][0]) if ready else None
        runtime.dispatch_soon(ready[1:])  # type: ignore[arg-type]
    return ",".join(results)


def _run_with_retries(job_id: str) -> dict[str, Any] | None:
    """The job step with exponential back-off (durable sleeps); None after the job was failed."""
    settings = _current().app.settings
    last_error = ""
    for attempt in range(1, settings.job_max_attempts + 1):
        try:
            return _execute_step(job_id)
        except JobCannotRun as exc:
            last_error = str(exc)
            break
        except Exception as exc:  # retried with back-off, then recorded on the job
            last_error = f"{type(exc).__name__}: {exc}"
            log.warning("job %s attempt %s failed: %s", job_id, attempt, last_error)
            if attempt < settings.job_max_attempts:
                DBOS.sleep(min(settings.job_retry_base_s * (2 ** (attempt - 1)), 30.0))
    _fail_step(job_id, last_error)
    return None


class Runtime:
    """DBOS in this process: launch, the job queue, and (for workers) the sweeper and heartbeat."""

    def __init__(
        self,
        app: Wiring,
        *,
        worker_id: str | None = None,
        listen: bool = True,
        export_runner: job_runner.ExportSteps | None = None,
    ) -> None:
        self.app = app
        self.worker_id = worker_id or app.settings.worker_id
        self.listen = listen
        self.export_runner = export_runner or _default_export_runner()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._outbox: queue.Queue[list[tuple[str, int]]] = queue.Queue()
        # A SQLite system database lives on one host: a worker there starts the jobs it dispatches
        # itself, without a trip through the queue (which then only carries other processes'
        # enqueues: an API or CLI in front of external workers).
        self.single_host = app.settings.resolved_engine_url.startswith("sqlite")
        # The queue caps the workflows it hands out; jobs started here directly share this cap.
        self.job_slots = threading.BoundedSemaphore(app.settings.runner_concurrency)
        # Provider calls share the same cap. On a queue shared with other workers, only the job
        # this workflow runs next in-line gets its call started ahead (the others may run elsewhere).
        self.prefetcher = Prefetcher(
            app.settings.runner_concurrency, followers=None if self.single_host else 1
        )

    def start(self, *, wait_ready: float = 3.0) -> Runtime:
        global _runtime
        if _runtime is not None:
            raise RuntimeError("a job engine is already running in this process")
        _runtime = self
        try:
            return self._start(wait_ready)
        except BaseException:  # e.g. the database is unreachable: leave nothing behind, so a retry can
            _runtime = None
            DBOS.destroy(destroy_registry=False)
            raise

    def _start(self, wait_ready: float) -> Runtime:
        settings = self.app.settings
        if self.listen:
            self.app.provider.warm_up(plan_parts.every_part_model())
        DBOS(
            config={
                "name": APP_NAME,
                "system_database_url": _dbos_url(settings.resolved_engine_url),
                "system_database_engine": _sqlite_engine(settings.resolved_engine_url),
                "executor_id": self.worker_id,
                "log_level": "WARNING",
            }
        )
        DBOS.listen_queues([QUEUE] if self.listen else [])
        DBOS.launch()
        DBOS.register_queue(
            QUEUE,
            worker_concurrency=settings.runner_concurrency,
            polling_interval_sec=settings.resolved_queue_polling_s,
            on_conflict="always_update",
        )
        if self.listen:
            for target, interval in ((self._sweep, 0.5), (self._heartbeat, settings.lease_seconds / 3)):
                thread = threading.Thread(
                    target=self._loop,
                    args=(target, interval),
                    daemon=True,
                    name=f"aicmo-{target.__name__.strip('_')}",
                )
                thread.start()
                self._threads.append(thread)
            outbox = threading.Thread(target=self._drain_outbox, daemon=True, name="aicmo-outbox")
            outbox.start()
            self._threads.append(outbox)
            self._wait_for_queue_worker(wait_ready)
            # Everything loaded so far (SDKs, schemas, DBOS) lives as long as the process: keep it
            # out of the cyclic collector, whose full passes over it stalled every thread for
            # ~150 ms in the middle of a plan.
            gc.freeze()
        return self

    def _wait_for_queue_worker(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(t.name == f"queue-worker-{QUEUE}" for t in threading.enumerate()):
                return
            time.sleep(0.02)

    def _loop(self, target: Callable[[], None], interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                target()
            except Exception:  # a sweep that fails is retried on the next tick
                log.exception("engine background task %s failed", target.__name__)

    def _sweep(self) -> None:
        with self.app.uow() as uow:
            self.dispatch(job_lease.dispatchable(uow))
        with self.app.uow() as uow:
            self.dispatch(publishing.dispatchable(uow))

    def _heartbeat(self) -> None:
        with self.app.uow() as uow:
            job_lease.renew_leases(uow, self.worker_id, self.app.settings.lease_seconds)

    def dispatch_soon(self, jobs: list[tuple[str, int]]) -> None:
        """Enqueue from a helper thread (see run_job_workflow)."""
        if jobs:
            self._outbox.put(list(jobs))

    def _drain_outbox(self) -> None:
        while not self._stop.is_set():
            try:
                jobs = self._outbox.get(timeout=0.2)
            except queue.Empty:
                continue
            try:
                self.dispatch(jobs)
            except Exception:  # the sweeper re-queues what did not go out
                log.exception("could not start %d job(s)", len(jobs))

    def _start_here(self, jobs: list[tuple[str, int]]) -> None:
        """Start workflows in this process without a trip through the queue (SQLite engine: there
        is only this host to run them; the ids still make a duplicate start a no-op)."""
        for job_id, run_no in jobs:
            with SetWorkflowID(workflow_id(job_id, run_no)):
                DBOS.start_workflow(run_job_workflow, job_id, run_no)

    def dispatch(self, jobs: list[tuple[str, int]]) -> None:
        if self.single_host and self.listen:
            self._start_here(jobs)
            return
        queue = DBOS.retrieve_queue(QUEUE)
        assert queue is not None
        for job_id, run_no in jobs:
            with SetWorkflowID(workflow_id(job_id, run_no)):
                queue.enqueue(run_job_workflow, job_id, run_no)

    def stop(self) -> None:
        global _runtime
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        DBOS.destroy(destroy_registry=False)
        _runtime = None


class ClientDispatcher:
    """Enqueue jobs from a process that runs none itself (an API in front of external workers)."""

    def __init__(self, engine_url: str) -> None:
        url = _dbos_url(engine_url)
        DBOS.migrate(url)  # idempotent: the API may enqueue before any worker has started
        self._client = DBOSClient(system_database_url=url, system_database_engine=_sqlite_engine(url))

    def dispatch(self, jobs: list[tuple[str, int]]) -> None:
        for job_id, run_no in jobs:
            self._client.enqueue(
                {
                    "queue_name": QUEUE,
                    "workflow_name": WORKFLOW_NAME,
                    "workflow_id": workflow_id(job_id, run_no),
                    "application_name": APP_NAME,
                },
                job_id,
                run_no,
            )

    def stop(self) -> None:
        self._client.destroy()


def _sqlite_engine(url: str) -> sa.Engine | None:
    """For a SQLite system database: DBOS's own settings (IMMEDIATE transactions, a long busy
    timeout, foreign keys) plus WAL with synchronous=NORMAL. DBOS's default rollback journal pays
    several fsyncs per step and enqueue, which dominated a chain of short jobs; WAL keeps every
    commit across a process crash (only a power cut can lose the last ones). None for PostgreSQL."""
    if not url.startswith("sqlite"):
        return None
    engine = sa.create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30, "factory": sqlite_gate.GatedConnection}
    )
    sqlite_gate.install(engine)  # DBOS's writers (steps, enqueues, the queue poller) queue in-process

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # The busy timeout first: switching to WAL needs a moment of exclusive access, which a
        # process migrating the same file at start-up (an API, another worker) may hold.
        dbapi_conn.execute("PRAGMA busy_timeout=30000")
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA synchronous=NORMAL")
        dbapi_conn.isolation_level = "IMMEDIATE"
        dbapi_conn.execute("PRAGMA foreign_keys=ON")

    return engine


def _dbos_url(url: str) -> str:
    """DBOS speaks plain `postgresql://` (psycopg underneath) and `sqlite:///`."""
    if url.startswith("postgresql+psycopg://"):
        url = "postgresql://" + url.removeprefix("postgresql+psycopg://")
    if url.startswith("postgresql://") and "connect_timeout=" not in url:
        # an unreachable database fails the engine's start (which is retried), never hangs it
        url += ("&" if "?" in url else "?") + "connect_timeout=10"
    return url


def _default_export_runner() -> job_runner.ExportSteps | None:
    try:
        from aicmo.services.exports import render_export_job, store_export
    except ImportError:
        return None
    return job_runner.ExportSteps(render_export_job, store_export)
