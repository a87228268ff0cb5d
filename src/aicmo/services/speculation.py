"""Starting a module's first calls before the module they wait for is stored (SPEC §5).

Under autonomy assisted or full, a module is approved the moment its last part is stored and it
passes every quality gate; the first jobs of the modules built on it then ask the provider for
something fully determined by that content. So when the last answer of a module arrives, the
runner assembles the module in memory from its jobs' answers, runs the finish the last job will
run (repair, quality gates), and, if nothing would stop the approval, starts those downstream
calls at once: they overlap the writing of the module's parts and its approval instead of
waiting for them.

This is safe by construction: a call started ahead is handed only to a job whose own request is
identical (`Prefetcher`). A guess that proves wrong (an operator edited the module meanwhile,
another worker wrote one of its parts) costs one unused call, never a wrong answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aicmo.adapters.llm.base import GenerationTask
from aicmo.domain.artifacts import UPSTREAMS, ArtifactStatus, Module
from aicmo.domain.plan import JobSpec
from aicmo.domain.schemas.plans import JobStatus
from aicmo.services.generators import get_generator
from aicmo.services.inputs import LoadedInputs, inputs_from_contents
from aicmo.services.module_draft import has_written
from aicmo.services.plan_parts import finish_module, job_inputs_hash, merge_part, part_task, window_of

Part = tuple[JobSpec, dict[str, Any]]


@dataclass(frozen=True)
class EntryJob:
    """A downstream job that starts as soon as its upstream module is approved."""

    spec: JobSpec
    last_inputs_hash: str | None  # of its last completed run (None: it never wrote)


@dataclass(frozen=True)
class ModuleAhead:
    """What a job read that it takes, at its answer, to start the calls its module's approval
    unlocks: the module's jobs and which had written, its content and inputs, and the entry jobs
    of the modules built on it with the approved content they read besides."""

    plan_id: str
    module: Module
    job_keys: frozenset[str]
    written: frozenset[str]  # jobs of the module completed when read (their parts are in `content`)
    content: dict[str, Any]
    inputs: LoadedInputs
    approved: Mapping[str, dict[str, Any]]  # approved artifact contents by type
    entries: tuple[EntryJob, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.plan_id, self.module.value, self.inputs.inputs_hash)

    def tasks(self, parts: Iterable[Part]) -> list[GenerationTask[Any]]:
        """The entry jobs' requests as they will make them, from the module assembled of
        `parts`; empty when the module would not be approved (a quality gate fails)."""
        content, window = self.content, window_of(self.inputs.inputs)
        for spec, part in parts:
            content = merge_part(content, part, spec.content_fields, spec.scope, window)
        finished, _, findings = finish_module(self.module, content, self.inputs.inputs)
        if any(f.severity == "error" for f in findings):
            return []
        contents = {**self.approved, self.module.value: finished}
        tasks: list[GenerationTask[Any]] = []
        loaded_by_module: dict[Module, LoadedInputs] = {}
        for entry in self.entries:
            spec = entry.spec
            if spec.module not in loaded_by_module:
                loaded_by_module[spec.module] = inputs_from_contents(spec.module, contents)
            loaded = loaded_by_module[spec.module]
            if entry.last_inputs_hash == job_inputs_hash(loaded.inputs_hash, spec.key):
                continue  # unchanged: the job will complete without a call
            tasks.append(
                part_task(
                    spec.module,
                    loaded.inputs,
                    job_key=spec.key,
                    fields=spec.content_fields,
                    scope=spec.scope,
                    parts_so_far={},
                    payload=loaded.payload,
                )
            )
        return tasks


def module_ahead(
    plan_id: str,
    module: Module,
    jobs: Mapping[str, Any],
    specs: Mapping[str, JobSpec],
    artifacts: Mapping[str, Any],
    inputs: LoadedInputs,
    draft: dict[str, Any],
) -> ModuleAhead | None:
    """The `ModuleAhead` of a job of `module`, from the plan's job rows and their specs by key,
    the engagement's artifact rows by type and the module's working draft (its content with the
    parts its jobs wrote, `services.module_draft`); None when no downstream call could start early
    (every module built on it waits for another upstream too, or makes no call)."""
    approved = {t: row.content for t, row in artifacts.items() if row.status == ArtifactStatus.APPROVED.value}

    def is_entry(key: str, downstream: Module) -> bool:
        job, spec = jobs[key], specs[key]
        return (
            spec.module is downstream
            and spec.kind == "generate"
            and job.enabled
            and not any(specs[d].module is downstream for d in spec.depends_on if d in specs)
        )

    entries = [
        EntryJob(specs[key], jobs[key].inputs_hash if has_written(jobs[key]) else None)
        for downstream in Module
        if module in UPSTREAMS[downstream]
        and get_generator(downstream).uses_llm
        and all(u.value in approved for u in UPSTREAMS[downstream] if u is not module)
        for key in specs
        if is_entry(key, downstream)
    ]
    if not entries:
        return None
    own = [
        k
        for k, spec in specs.items()
        if spec.module is module and spec.kind == "generate" and jobs[k].enabled
    ]
    return ModuleAhead(
        plan_id=plan_id,
        module=module,
        job_keys=frozenset(own),
        written=frozenset(k for k in own if jobs[k].status == JobStatus.COMPLETED.value),
        content=dict(draft),
        inputs=inputs,
        approved=approved,
        entries=tuple(entries),
    )


class Assemblies:
    """The answers of each module's jobs in this process, until the module is complete.

    `add` returns every part of the module exactly once, to the job whose answer completed it
    (counting the parts already written when that job read the module)."""

    def __init__(self, ttl_s: float = 600.0) -> None:
        self._parts: dict[tuple[str, ...], tuple[float, dict[str, Part]]] = {}
        self._done: dict[tuple[str, ...], float] = {}
        self._lock = threading.Lock()
        self._ttl_s = ttl_s

    def add(self, ahead: ModuleAhead, spec: JobSpec, part: dict[str, Any]) -> list[Part] | None:
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            if ahead.key in self._done:
                return None
            _, parts = self._parts.setdefault(ahead.key, (now, {}))
            parts[spec.key] = (spec, part)
            if not ahead.job_keys <= ahead.written | parts.keys():
                return None
            del self._parts[ahead.key]
            self._done[ahead.key] = now
            return list(parts.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._parts)

    def _expire(self, now: float) -> None:
        for key in [k for k, (at, _) in self._parts.items() if now - at > self._ttl_s]:
            del self._parts[key]
        for key in [k for k, at in self._done.items() if now - at > self._ttl_s]:
            del self._done[key]
