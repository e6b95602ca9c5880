"""The deployments of `cchc-pipeline`: what runs when. This is the one place in code;
`prefect.yaml` declares the same three for offices that run a work pool, and
tests/flows/test_deployments.py keeps the two equal.

- daily            ingest what is new, validate, refresh and deliver the reports of every
                   half-year that received data (settings.daily_cron)
- half-year-close  the day after each report deadline: rewrite the half-year that just
                   closed, marked FINAL, and deliver it (settings.close_cron)
- manual           no schedule; run from the UI or `prefect deployment run`
"""
from dataclasses import dataclass, field

from cchc.schedule import JUST_CLOSED
from cchc.settings import Settings

FLOW_NAME = "cchc-pipeline"
ENTRYPOINT = "flows/pipeline.py:cchc_pipeline"
# One run at a time per deployment; the Prefect server queues the next one. Served runs
# are also limited to one across deployments (cli.serve), and the store lock stops
# writers that come from anywhere else.
CONCURRENCY_LIMIT = 1
TAGS = ["cchc"]


@dataclass(frozen=True)
class Spec:
    name: str
    description: str
    cron: str | None
    parameters: dict = field(default_factory=dict)


def specs(settings: Settings) -> list[Spec]:
    return [
        Spec("daily", "Ingest what is new in the inbox, validate, refresh and deliver the reports "
                      "of every half-year that received data.", settings.daily_cron),
        Spec("half-year-close", "After a report deadline: rewrite the report of the half-year "
                                "that just closed, marked FINAL, and deliver it.",
             settings.close_cron, {"half_year": JUST_CLOSED, "final": True}),
        Spec("manual", "Run by hand. Parameters: half_year (e.g. 2024-H1) to rewrite that "
                       "report, inbox and share_dir to use other folders, rebuild to re-extract "
                       "every file.", None),
    ]


def deployments(settings: Settings, flow_settings: dict | None = None) -> list:
    """RunnerDeployments for `prefect.serve`; `flow_settings` becomes every run's `settings`
    parameter (the serving process's overridable settings, shown in the UI; the rest reach
    the runs through the serving process's environment, see cli.serve)."""
    from prefect.schedules import Cron

    from flows.pipeline import cchc_pipeline

    extra = {"settings": flow_settings} if flow_settings else {}
    return [cchc_pipeline.to_deployment(
                name=s.name, description=s.description,
                schedules=[Cron(s.cron, timezone=settings.timezone)] if s.cron else None,
                parameters={**s.parameters, **extra},
                concurrency_limit=CONCURRENCY_LIMIT, tags=TAGS)
            for s in specs(settings)]
