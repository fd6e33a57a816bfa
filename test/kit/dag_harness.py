"""Loads config/airflow/scraper_dag.py against a stand-in Airflow and runs its task.

Usage: python3 dag_harness.py <airflow2|airflow3> <dag file>  (scenarios as JSON on stdin)
Prints one JSON object: the DAGs the file defined and, per scenario, what the task returned,
pushed to XCom and raised. The stand-ins record what the DAG file asks of Airflow's decorators;
they do not emulate Airflow.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
import textwrap

DECORATORS = textwrap.dedent(
    """
    DAGS = {}
    _building = []

    class Built:
        def __init__(self, dag_id, kwargs):
            self.dag_id, self.kwargs, self.tasks = dag_id, kwargs, {}

    def dag(**kwargs):
        def wrap(build):
            def call():
                built = Built(kwargs.get("dag_id", build.__name__), kwargs)
                _building.append(built)
                build()
                _building.pop()
                DAGS[built.dag_id] = built
                return built
            return call
        return wrap

    def task(**kwargs):
        def wrap(function):
            def call(*args, **call_kwargs):
                _building[-1].tasks[kwargs.get("task_id", function.__name__)] = (kwargs, function)
            return call
        return wrap
    """
)

PIPELINE = textwrap.dedent(
    """
    import json, os
    CALLS = []

    def run(**kwargs):
        CALLS.append(kwargs)
        behaviour = os.environ["STUB_PIPELINE"]
        if behaviour == "raise":
            raise RuntimeError("site answered 503 on page 7")
        if behaviour == "error":
            return {"run_id": "RUN-ERR-1", "item_count": 0, "error": "login refused"}
        if behaviour == "no_count":
            return {"run_id": "RUN-3", "item_count": None}
        return {"run_id": "RUN-2025-01-05-0001", "item_count": 4870}
    """
)


def write_stubs(root: str, flavour: str) -> None:
    os.makedirs(os.path.join(root, "airflow"))
    open(os.path.join(root, "airflow", "__init__.py"), "w").close()
    # Airflow 3 has airflow.sdk; Airflow 2 only airflow.decorators.
    module = "sdk.py" if flavour == "airflow3" else "decorators.py"
    with open(os.path.join(root, "airflow", module), "w") as f:
        f.write(DECORATORS)
    os.makedirs(os.path.join(root, "scraper_platform"))
    open(os.path.join(root, "scraper_platform", "__init__.py"), "w").close()
    with open(os.path.join(root, "scraper_platform", "pipeline.py"), "w") as f:
        f.write(PIPELINE)


class DagRun:
    def __init__(self, conf):
        self.conf = conf


class TaskInstance:
    def __init__(self):
        self.pushed = []

    def xcom_push(self, key, value):
        self.pushed.append({"key": key, "value": value})


def main() -> None:
    flavour, dag_file = sys.argv[1], sys.argv[2]
    scenarios = json.load(sys.stdin)
    root = tempfile.mkdtemp(prefix="dag-harness-")
    write_stubs(root, flavour)
    sys.path.insert(0, root)
    sys.dont_write_bytecode = True
    spec = importlib.util.spec_from_file_location("scraper_dag", dag_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    decorators = importlib.import_module("airflow.sdk" if flavour == "airflow3" else "airflow.decorators")
    pipeline = importlib.import_module("scraper_platform.pipeline")

    dags = {
        dag_id: {
            "module_global": getattr(module, dag_id, None) is built,
            "schedule": built.kwargs.get("schedule", "unset"),
            "catchup": built.kwargs.get("catchup", "unset"),
            "retries": built.kwargs.get("default_args", {}).get("retries"),
            "tasks": {task_id: kwargs for task_id, (kwargs, _) in built.tasks.items()},
        }
        for dag_id, built in decorators.DAGS.items()
    }
    outcomes = []
    default_entry_point = module.PIPELINE_ENTRY_POINT
    for scenario in scenarios:
        os.environ["STUB_PIPELINE"] = scenario.get("pipeline", "ok")
        module.PIPELINE_ENTRY_POINT = scenario.get("entry_point", default_entry_point)
        pipeline.CALLS.clear()
        ti = TaskInstance()
        _, function = decorators.DAGS[scenario["dag_id"]].tasks["run_pipeline"]
        outcome = {"returned": None, "raised": None, "pushed": ti.pushed, "pipeline_calls": pipeline.CALLS}
        try:
            outcome["returned"] = function(dag_run=DagRun(scenario["conf"]), ti=ti, run_id=scenario["run_id"])
        except Exception as error:
            outcome["raised"] = f"{type(error).__name__}: {error}"
        outcomes.append(json.loads(json.dumps(outcome)))
    print(json.dumps({"dags": dags, "outcomes": outcomes}))


if __name__ == "__main__":
    main()
