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
from sqlalchemy.exc import DBAPIError

from aicmo.adapters.db import liveness, sqlite_gate
from aicmo.adapters.engine.wakeup import Listener, Notifier, Signal, quiet_commits, watch_commits
from aicmo.adapters.llm.base import Provider
from aicmo.config import Settings
from aicmo.domain.errors import JobCannotRun
from aicmo.domain.provider_calls import CallKind, CallScope, call_scope
from aicmo.services import job_lease, job_runner, plan_parts, plans, publishing
from aicmo.services.prefetch import Prefetcher
from aicmo.services.runner_sizing import (
    DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
    RateWindow,
    Slots,
    concurrency_for,
)
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
CLAIM_BATCH = 2  # queue entries one claim takes
SWEEP_GAP_S = 0.25
DBOS_HOUSEKEEPING_S = 10.0  # DBOS's own pollers for features AICMO does not use
DBOS_SCHEDULES_S = 60.0  # DBOS's look for new schedules (AICMO has none): a query each time
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
    # (its commits wake no sweep: the runner dispatches what they make ready itself)
    with (
        quiet_commits(),
        call_scope(CallScope(CallKind.PLAN_JOB, job_id=job_id, actor=f"system:worker {runtime.worker_id}")),
    ):
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
        # At most `runner_concurrency` jobs at once in this process (or as many as the plan can run:
        # sized beside the job when a slot is free, before waiting for one when none is).
        if runtime.job_slots.acquire(blocking=False):
            runtime.size_soon(current)
        else:
            runtime.size_for(current)
            runtime.job_slots.acquire()
        try:
            outcome = _run_with_retries(current)
        finally:
            runtime.job_slots.release()
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
        # New work wakes the loops below; they poll only as a slow fallback (see wakeup.py).
        self.queue_signal = Signal()  # the job queue has new entries: dequeue now
        self.sweep_signal = Signal()  # something was committed: look for jobs to dispatch now
        self.change_signal = Signal()  # any commit here, the runner's included: for `wait_for_change`
        self._notifier: Notifier | None = None
        self._unwatch: Callable[[], None] | None = None
        self._queue: Any = None
        # A SQLite system database lives on one host: a worker there starts the jobs it dispatches
        # itself, without a trip through the queue (which then only carries other processes'
        # enqueues: an API or CLI in front of external workers).
        self.single_host = app.settings.resolved_engine_url.startswith("sqlite")
        # Jobs at once in this process (dequeued or started here directly): the setting, or sized
        # from the plans it runs (`runner_sizing.most_in_flight`), within the provider's rate limit.
        fixed = app.settings.runner_concurrency
        self.auto_size = fixed is None
        self.job_slots = Slots(fixed or DEFAULT_CONCURRENCY)
        self._sized_jobs: set[str] = set()
        self._sizing_lock = threading.Lock()
        # Provider calls share the same cap. On a queue shared with other workers, only the job
        # this workflow runs next in-line gets its call started ahead (the others may run elsewhere).
        self.prefetcher = Prefetcher(
            self.job_slots.capacity,
            followers=None if self.single_host else 1,
            rate=RateWindow(app.settings.llm_rate_limit_rpm),
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
        dbos = DBOS(
            config={
                "name": APP_NAME,
                "system_database_url": _dbos_url(settings.resolved_engine_url),
                "system_database_engine": _sqlite_engine(settings.resolved_engine_url),
                "executor_id": self.worker_id,
                "log_level": "WARNING",
                # DBOS's message/event notifications (unused here) are flushed at this interval: its
                # default (10 ms) woke an idle process a hundred times a second.
                "notification_coalesce_sec": DBOS_HOUSEKEEPING_S / 10,
                # DBOS's schedules (unused here) are looked for at this interval
                "scheduler_polling_interval_sec": DBOS_SCHEDULES_S,
                # its system database's pooled connections are pinged only after sitting idle
                # (`liveness.ping_when_idle`, installed below), not at every checkout
                "db_engine_kwargs": {"pool_pre_ping": False},
            }
        )
        _quiet_dbos_housekeeping(dbos)
        # DBOS's poller never takes this queue: `_dequeue_loop` does, when woken or at the fallback
        # poll, within this worker's slots (the queue's worker cap is the ceiling, see `_dequeue`).
        DBOS.listen_queues([])
        DBOS.launch()
        _list_queues_less_often(dbos)
        if settings.resolved_engine_url.startswith("postgresql"):
            liveness.ping_when_idle(dbos._sys_db.engine)
        self._queue = DBOS.register_queue(
            QUEUE,
            worker_concurrency=MAX_CONCURRENCY,
            polling_interval_sec=settings.resolved_queue_polling_s,
            on_conflict="always_update",
        )
        engine_url = settings.resolved_engine_url
        if engine_url.startswith("postgresql"):
            self._notifier = Notifier(engine_url).connect()
        if self.listen:
            signals = [self.queue_signal, self.sweep_signal]
            app_engine = getattr(self.app, "engine", None)
            if isinstance(app_engine, sa.Engine):
                self._unwatch = watch_commits(app_engine, [self.sweep_signal], every=[self.change_signal])
            if engine_url.startswith("postgresql"):
                listener = Listener(engine_url, signals, self._stop).start()
                self._threads.append(listener.thread)
                listener.listening.wait(wait_ready)
            self.queue_signal.set()  # what was queued before this worker started
            loops = (
                ("sweep", self._sweep_loop),
                ("dequeue", self._dequeue_loop),
                ("heartbeat", self._heartbeat_loop),
                ("outbox", self._drain_outbox),
            )
            for name, target in loops:
                thread = threading.Thread(target=target, daemon=True, name=f"aicmo-{name}")
                thread.start()
                self._threads.append(thread)
            # Everything loaded so far (SDKs, schemas, DBOS) lives as long as the process: keep it
            # out of the cyclic collector, whose full passes over it stalled every thread for
            # ~150 ms in the middle of a plan.
            gc.freeze()
        return self

    def wait_for_change(self, timeout: float) -> bool:
        """Block until something is committed in this process (a job finished...) or `timeout`."""
        return self.change_signal.wait(timeout)

    def size_soon(self, job_id: str) -> None:
        """`size_for` in a helper thread, so a job with a free slot does not wait for it."""
        if self.auto_size and job_id not in self._sized_jobs:
            threading.Thread(target=self._guarded, args=(lambda: self.size_for(job_id),), daemon=True).start()

    def size_for(self, job_id: str) -> None:
        """Grow this worker's slots to the most jobs of `job_id`'s plan that run at once (automatic sizing;
        one read per plan this process sees)."""
        if not self.auto_size or job_id in self._sized_jobs:
            return
        with self._sizing_lock:
            if job_id in self._sized_jobs:
                return
            with self.app.uow() as uow:
                ids, width = plans.fan_out_of_job_plan(uow, job_id)
            self._sized_jobs.update(ids or [job_id])
            size = concurrency_for(width, self.app.settings.llm_rate_limit_rpm)
            self.prefetcher.grow_to(size)
            if self.job_slots.grow_to(size):
                log.info("runner concurrency %d (jobs of a plan that can run at once: %d)", size, width)
                self.queue_signal.set()  # room for more of the queue

    def _guarded(self, target: Callable[[], object]) -> None:
        try:
            target()
        except Exception:  # a sweep that fails is retried on the next wake-up or tick
            log.exception("engine background task %s failed", target.__name__)

    def _sweep_loop(self) -> None:
        """Dispatch ready jobs nobody queued (e.g. an approval made them ready) and hand expired
        leases on: at once when woken (a commit here, a notification), else every
        `sweep_fallback_s`; at most one sweep per SWEEP_GAP_S while work is going on."""
        settings = self.app.settings
        last = 0.0
        while not self._stop.is_set():
            self.sweep_signal.wait(settings.sweep_fallback_s)
            gap = SWEEP_GAP_S - (time.monotonic() - last)
            if gap > 0 and self._stop.wait(gap):
                return
            last = time.monotonic()
            if not self._stop.is_set():
                self._guarded(self._sweep)

    def _sweep(self) -> None:
        with quiet_commits(), self.app.uow() as uow:
            jobs = job_lease.dispatchable(uow)
        self.dispatch(jobs)
        with quiet_commits(), self.app.uow() as uow:
            posts = publishing.dispatchable(uow)
        self.dispatch(posts)

    def _heartbeat_loop(self) -> None:
        while not self._stop.wait(self.app.settings.lease_seconds / 3):
            self._guarded(self._heartbeat)

    def _heartbeat(self) -> None:
        with quiet_commits(), self.app.uow() as uow:
            job_lease.renew_leases(uow, self.worker_id, self.app.settings.lease_seconds)

    def _dequeue_loop(self) -> None:
        """Take the queue's entries as soon as a dispatch, a notification or a freed slot says
        there are some, else every `queue_polling_s` (entries whose notification was lost)."""
        poll = self.app.settings.resolved_queue_polling_s
        while not self._stop.is_set():
            self.queue_signal.wait(poll)
            if not self._stop.is_set():
                self._guarded(self._dequeue)

    def _dequeue(self) -> int:
        """One claim of queued workflows for this worker, as DBOS's queue poller makes it (its
        internals: `start_queued_workflows` then `execute_dequeued_workflow`), so a job starts
        without waiting for a poll. A claim racing another worker's retries a moment later."""
        from dbos._core import execute_dequeued_workflow
        from dbos._dbos import _get_dbos_instance
        from dbos._utils import GlobalParams, generate_uuid

        dbos = _get_dbos_instance()
        queue = self._queue
        running = self._active()
        claimed = conflicts = 0
        while conflicts < 20 and not self._stop.is_set():
            room = self.job_slots.capacity - running - claimed
            if room <= 0:
                break
            # A few at a time, so workers woken together by one notification share a fan-out.
            take = min(room, CLAIM_BATCH)
            ceiling = queue._worker_concurrency or take  # the queue's cap, the same for every worker
            owner = generate_uuid()
            try:
                ids, _reason = dbos._sys_db.start_queued_workflows(
                    queue,
                    GlobalParams.executor_id,
                    GlobalParams.app_version,
                    None,
                    max(0, ceiling - take),
                    owner_xid=owner,
                )
            except DBAPIError as exc:
                if dbos._sys_db.is_lock_conflict(exc) or dbos._sys_db.is_serialization_conflict(exc):
                    conflicts += 1
                    time.sleep(0.002 * conflicts)
                    continue
                raise
            if not ids:
                break
            claimed += len(ids)
            statuses = {s["workflow_uuid"]: s for s in dbos._sys_db.get_workflow_statuses(ids)}
            for wid in ids:
                status = statuses.get(wid) or dbos._sys_db.get_workflow_status(wid)
                if status is not None:
                    handle = execute_dequeued_workflow(dbos, status, owner)
                    future = getattr(handle, "future", None)
                    if future is not None:  # its slot frees when it ends: take the next entry then
                        future.add_done_callback(lambda _done: self.queue_signal.set())
        return claimed

    def dispatch_soon(self, jobs: list[tuple[str, int]]) -> None:
        """Enqueue from a helper thread (see run_job_workflow)."""
        if jobs:
            self._outbox.put(list(jobs))

    def _drain_outbox(self) -> None:
        while not self._stop.is_set():
            jobs = self._outbox.get()  # blocks until jobs or `stop`'s empty list: no idle wake-ups
            if not jobs:
                continue
            try:
                self.dispatch(jobs, here=False)  # a fan-out's siblings: any worker may take them
            except Exception:  # the sweeper re-queues what did not go out
                log.exception("could not start %d job(s)", len(jobs))

    def _active(self) -> int:
        """Workflows running in this process (dequeued or started here)."""
        from dbos._dbos import _get_dbos_instance

        return len(_get_dbos_instance()._active_workflows_set.activeList())

    def _free_slots(self) -> int:
        return max(0, self.job_slots.capacity - self._active())

    def _start_here(self, jobs: list[tuple[str, int]]) -> None:
        """Start workflows in this process without a trip through the queue (SQLite engine: there
        is only this host to run them; the ids still make a duplicate start a no-op)."""
        for job_id, run_no in jobs:
            with SetWorkflowID(workflow_id(job_id, run_no)):
                DBOS.start_workflow(run_job_workflow, job_id, run_no)

    def dispatch(self, jobs: list[tuple[str, int]], *, here: bool = True) -> None:
        """Start `jobs`: in this process when it runs jobs and has free slots (`here`; a SQLite
        engine: always), the rest through the queue, waking every worker (NOTIFY)."""
        if not jobs:
            return
        if self.listen and (self.single_host or here):
            n = len(jobs) if self.single_host else self._free_slots()
            self._start_here(jobs[:n])
            jobs = jobs[n:]
            if not jobs:
                return
        queue = self._queue  # its settings, read once at start (every worker registers the same)
        for job_id, run_no in jobs:
            with SetWorkflowID(workflow_id(job_id, run_no)):
                queue.enqueue(run_job_workflow, job_id, run_no)
        if self.listen:
            self.queue_signal.set()  # this worker looks at once
        if self._notifier is not None:
            self._notifier.notify()  # and so do the others

    def stop(self) -> None:
        global _runtime
        self._stop.set()
        self.queue_signal.set()
        self.sweep_signal.set()
        self._outbox.put([])
        for thread in self._threads:
            thread.join(timeout=5)
        if self._unwatch is not None:
            self._unwatch()
        if self._notifier is not None:
            self._notifier.close()
        DBOS.destroy(destroy_registry=False)
        _runtime = None


class ClientDispatcher:
    """Enqueue jobs from a process that runs none itself (an API in front of external workers)."""

    def __init__(self, engine_url: str) -> None:
        url = _dbos_url(engine_url)
        DBOS.migrate(url)  # idempotent: the API may enqueue before any worker has started
        self._client = DBOSClient(system_database_url=url, system_database_engine=_sqlite_engine(url))
        self._notifier = Notifier(url).connect() if url.startswith("postgresql") else None

    def dispatch(self, jobs: list[tuple[str, int]]) -> None:
        if not jobs:
            return
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
        if self._notifier is not None:
            self._notifier.notify()  # the workers dequeue now, not at their next poll

    def stop(self) -> None:
        if self._notifier is not None:
            self._notifier.close()
        self._client.destroy()


def _quiet_dbos_housekeeping(dbos: DBOS) -> None:
    """Slow down DBOS's own once-a-second pollers, which an idle worker otherwise pays for all day:
    its internal queue (scheduled, resumed and forked workflows, none of which AICMO uses), its
    background jobs (delayed workflows and workflow timeouts, also unused) and, in its first
    minute, its look for new schedules (none either). Private attributes of
    DBOS 3.x, like the dequeue in `Runtime._dequeue`; a DBOS without them keeps its defaults."""
    from dbos import _workflow_commands

    if hasattr(_workflow_commands, "_BACKGROUND_JOBS_INTERVAL_SEC"):
        _workflow_commands._BACKGROUND_JOBS_INTERVAL_SEC = DBOS_HOUSEKEEPING_S
    from dbos import _scheduler

    # For its first minute DBOS looks for new schedules every second (a query each), not every
    # `scheduler_polling_interval_sec`; with no schedules that minute is only cost.
    if hasattr(_scheduler, "_STARTUP_FAST_POLL_DURATION_SEC"):
        _scheduler._STARTUP_FAST_POLL_DURATION_SEC = 0.0
    registry = getattr(dbos, "_registry", None)
    if registry is not None and hasattr(registry, "get_internal_queue"):
        registry.get_internal_queue()._polling_interval_sec = DBOS_HOUSEKEEPING_S


def _list_queues_less_often(dbos: DBOS) -> None:
    """DBOS's queue manager lists the queues in its system database every second (a query each),
    to start a poller for any new one; this worker listens to none of them (`_dequeue_loop` takes
    its queue), so the list is read at most once per DBOS_HOUSEKEEPING_S. A private attribute of
    DBOS 3.x, like those in `_quiet_dbos_housekeeping`; without it nothing changes."""
    system_db = getattr(dbos, "_sys_db", None)
    listing = getattr(system_db, "list_queues", None)
    if listing is None:
        return
    last: dict[str, tuple[float, Any]] = {}

    def list_queues(*args: Any, **kwargs: Any) -> Any:
        key = repr((args, sorted(kwargs.items())))
        seen = last.get(key)
        if seen is not None and time.monotonic() - seen[0] < DBOS_HOUSEKEEPING_S:
            return seen[1]
        queues = listing(*args, **kwargs)
        last[key] = (time.monotonic(), queues)
        return queues

    system_db.list_queues = list_queues


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
