"""Scraper DAGs triggered by jira-airflow-reconciler: one DAG per source, all from this file.

The reconciler triggers ``scraper_<source>`` with a run id ``jira__<ISSUE-KEY>__<request>`` and this
``conf``::

    {"jira_issue_key": "SCR-12", "source": "alfabeta", "run_type": "DELTA",
     "params": {"limit": 100}, "environment": "prod"}

and, once the run has ended (success or failure), reads the XCom ``return_value`` of the task
``run_pipeline``::

    {"run_id": "RUN-2025-01-05-0001", "item_count": 4870, "error": None}

On failure the task pushes that result with ``error`` set, then fails, so the DAG run is ``failed``
and the ticket's comment carries the error text. A run that dies without pushing (worker killed,
out of memory) is reported on the ticket as "result missing". See README.md beside this file.
"""

from __future__ import annotations

import importlib
import os
from datetime import datetime, timezone
from typing import Any

try:  # Airflow 3
    from airflow.sdk import dag, task
except ImportError:  # Airflow 2
    from airflow.decorators import dag, task

SOURCES = ("alfabeta", "quebec", "lafa")

# What the reconciler sends and reads back; keep in step with its RunConf and result parser.
CONF_KEYS = ("jira_issue_key", "source", "run_type", "params", "environment")
RESULT_KEYS = ("run_id", "item_count", "error")

# "module:function"; override per deployment without editing this file.
PIPELINE_ENTRY_POINT = os.environ.get("SCRAPER_PIPELINE_ENTRY_POINT", "scraper_platform.pipeline:run")


class RunConfError(ValueError):
    """The DAG run's conf is not what the reconciler sends: the run was triggered by hand or by another tool."""


def _result(run_id: str | None, item_count: int | None, error: str | None) -> dict[str, Any]:
    return {"run_id": run_id, "item_count": item_count, "error": error}


def read_conf(conf: Any, dag_source: str) -> dict[str, Any]:
    """The validated conf, or RunConfError naming every key that is missing or wrong."""
    if not isinstance(conf, dict):
        raise RunConfError(
            f"dag_run.conf must be a JSON object with keys {', '.join(CONF_KEYS)}; got {type(conf).__name__}. "
            "Trigger this DAG through the reconciler (a Jira ticket in Ready to Run) or pass that conf."
        )
    problems = [f"{key} is missing" for key in CONF_KEYS if key not in conf]
    for key in ("jira_issue_key", "source", "run_type", "environment"):
        if key in conf and not (isinstance(conf[key], str) and conf[key]):
            problems.append(f"{key} must be a non-empty string")
    if "params" in conf and not isinstance(conf["params"], dict):
        problems.append("params must be a JSON object")
    if not problems and conf["source"] != dag_source:
        problems.append(f"source is {conf['source']!r} but this DAG runs {dag_source!r}")
    if problems:
        raise RunConfError(
            "dag_run.conf is not valid: " + "; ".join(problems) + f". Expected keys: {', '.join(CONF_KEYS)}."
        )
    return {key: conf[key] for key in CONF_KEYS}


def load_pipeline(entry_point: str | None = None) -> Any:
    """Imported when a run starts, not when the scheduler parses this file, so parsing stays fast."""
    entry_point = entry_point or PIPELINE_ENTRY_POINT
    module_name, _, function_name = entry_point.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise RuntimeError(
            f"the pipeline module {module_name!r} cannot be imported ({error}). Install the scraper "
            "platform in the Airflow workers' environment, or point SCRAPER_PIPELINE_ENTRY_POINT at "
            "'module:function'."
        ) from error
    function = getattr(module, function_name or "run", None)
    if not callable(function):
        raise RuntimeError(f"{entry_point!r} is not a callable pipeline entry point; expected 'module:function'.")
    return function


def _field(outcome: Any, name: str) -> Any:
    return outcome.get(name) if isinstance(outcome, dict) else getattr(outcome, name, None)


def execute(conf: Any, dag_source: str, airflow_run_id: str, push: Any) -> dict[str, Any]:
    """Runs the pipeline and returns the result; on any failure pushes the result with error, then raises."""
    run_id: Any = None
    try:
        run_conf = read_conf(conf, dag_source)
        pipeline = load_pipeline()
        outcome = pipeline(**run_conf, airflow_run_id=airflow_run_id)
        run_id, item_count, error = _field(outcome, "run_id"), _field(outcome, "item_count"), _field(outcome, "error")
        if error:
            raise RuntimeError(str(error))
        if not isinstance(run_id, str) or not run_id:
            raise RuntimeError(f"the pipeline returned no run_id (got {run_id!r})")
        if isinstance(item_count, bool) or not isinstance(item_count, int) or item_count < 0:
            raise RuntimeError(f"the pipeline returned no item_count (got {item_count!r})")
    except Exception as failure:
        # The platform's run id, when it got that far, lets people find the failed run's logs.
        push(_result(run_id if isinstance(run_id, str) and run_id else None, None, str(failure)))
        raise
    return _result(run_id, item_count, None)


def make_dag(source: str) -> Any:
    @dag(
        dag_id=f"scraper_{source}",
        description=f"Scrape {source}; triggered by jira-airflow-reconciler from a Jira ticket",
        schedule=None,
        start_date=datetime(2025, 1, 1, tzinfo=timezone.utc),
        catchup=False,
        tags=["jira-airflow-reconciler", "scraper", source],
        doc_md=__doc__,
        # A retry would run the pipeline again and replace the first try's result; a re-run is
        # asked for in Jira (the ticket moved back to Ready to Run) instead.
        default_args={"retries": 0},
    )
    def scraper() -> None:
        # multiple_outputs=False: the dict must stay one XCom, return_value, as the reconciler reads it.
        @task(task_id="run_pipeline", multiple_outputs=False)
        def run_pipeline(**context: Any) -> dict[str, Any]:
            def push(result: dict[str, Any]) -> None:
                context["ti"].xcom_push(key="return_value", value=result)

            return execute(context["dag_run"].conf, source, context["run_id"], push)

        run_pipeline()

    return scraper()


for _source in SOURCES:
    globals()[f"scraper_{_source}"] = make_dag(_source)
