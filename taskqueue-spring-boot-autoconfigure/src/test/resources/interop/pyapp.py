"""A small Python Celery app: the peer of the interoperability tests.

Configured from the environment: PYAPP_BROKER (redis:// or amqp:// URL), PYAPP_BACKEND (redis:// URL).
"""
import os

from celery import Celery

app = Celery("pyapp", broker=os.environ["PYAPP_BROKER"], backend=os.environ["PYAPP_BACKEND"])
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    enable_utc=True,
    timezone="UTC",
    task_track_started=True,
)
if os.environ.get("PYAPP_SERIALIZER") == "pickle":
    app.conf.task_serializer = "pickle"


@app.task(name="pyapp.add")
def add(x, y):
    return x + y


@app.task(name="pyapp.mul")
def mul(x, y):
    return x * y


@app.task(name="pyapp.xsum")
def xsum(values):
    return sum(values)


@app.task(name="pyapp.flaky", bind=True, max_retries=3)
def flaky(self, value):
    if self.request.retries < 2:
        raise self.retry(countdown=0.2)
    return value + self.request.retries


@app.task(name="pyapp.fail")
def fail(message):
    raise ValueError(message)


@app.task(name="pyapp.request_info", bind=True)
def request_info(self):
    """What the worker read from the message's headers, as the task's request."""
    request = self.request
    return {
        "id": request.id,
        "root_id": request.root_id,
        "parent_id": request.parent_id,
        "group": request.group,
        "group_index": request.group_index,
        "retries": request.retries,
        "timelimit": request.timelimit,
        "eta": request.eta,
        "expires": request.expires,
        "shadow": request.shadow,
        "argsrepr": getattr(request, "argsrepr", None),
    }
