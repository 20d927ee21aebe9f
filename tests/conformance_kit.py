"""Run schemathesis's engine in-process over a WSGI app with the conformance checks.

Why the engine and not ``operation.as_strategy()``: two of the checks the services must pass
(``missing_required_header``, ``unsupported_method``) only fire in the coverage phase, and
``use_after_free`` / ``ensure_resource_availability`` only in the stateful phase; the engine
runs all four phases (examples, coverage, fuzzing, stateful) exactly as ``schemathesis run``
does. Runs are bounded (examples per operation, stateful steps) and seeded, so a run is
reproducible and stays within a minute or two on two cores.

``run_conformance`` returns the distinct failures as readable lines; a test asserts the list
is empty so a failure report names every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import Status
from schemathesis.engine import events
from schemathesis.engine import from_schema

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "use_after_free",
    "ensure_resource_availability",
)


@dataclass(frozen=True)
class Found:
    check: str
    operation: str
    title: str
    message: str
    sample: str = ""

    def __str__(self) -> str:
        first = self.message.strip().splitlines()[0] if self.message.strip() else ""
        return f"[{self.check}] {self.operation}: {self.title} — {first[:300]}"

    def report(self) -> str:
        """The failure with the request that shows it (a curl command)."""
        return f"{self}\n    {self.sample[:1500]}"


PHASES = ("examples", "coverage", "fuzzing", "stateful")


def conformance_config(
    *, headers: dict[str, str], max_examples: int, seed: int = 20261206, stateful_steps: int = 8,
    phases: tuple[str, ...] = PHASES,
) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": seed,
        "workers": 1,
        "continue-on-failure": True,
        "suppress-health-check": ["all"],
        "headers": headers,
        "generation": {"max-examples": max_examples, "deterministic": True, "database": "none"},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "phases": {
            "examples": {"enabled": "examples" in phases},
            "coverage": {"enabled": "coverage" in phases},
            "fuzzing": {"enabled": "fuzzing" in phases},
            "stateful": {"enabled": "stateful" in phases, "max-steps": stateful_steps},
        },
    })


def run_conformance(
    app: Any, *, headers: dict[str, str], max_examples: int = 10, stateful_steps: int = 8,
    path: str = "/api/v1/openapi.json", parameters: dict[str, Any] | None = None,
    phases: tuple[str, ...] = PHASES, path_regex: str | None = None,
) -> list[Found]:
    """Every distinct failure the engine finds (empty = the document tells the truth).

    ``phases`` and ``path_regex`` narrow a run (e.g. the coverage phase over the operations
    a gateway implements itself, the other phases over every operation).
    """
    config = conformance_config(headers=headers, max_examples=max_examples,
                                stateful_steps=stateful_steps, phases=phases)
    schema = schemathesis.openapi.from_wsgi(path, app, config=config, headers=headers)
    if path_regex is not None:
        schema = schema.include(path_regex=path_regex)
    if parameters:
        schema.config.update(parameters=parameters)
    found: dict[tuple[str, str, str], Found] = {}
    errors: list[Found] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for checks in event.recorder.checks.values():
                for node in checks:
                    if node.status == Status.FAILURE and node.failure_info is not None:
                        failure = node.failure_info.failure
                        key = (node.name, failure.operation, failure.title)
                        found.setdefault(key, Found(node.name, failure.operation, failure.title,
                                                    failure.message,
                                                    node.failure_info.code_sample))
        elif isinstance(event, events.NonFatalError):
            errors.append(Found("error", event.label, type(event.value).__name__,
                                str(event.value)))
        elif isinstance(event, events.FatalError):
            errors.append(Found("fatal", "-", type(event.exception).__name__,
                                str(event.exception)))
    return sorted(found.values(), key=str) + errors
