"""Capture Celery events for a while, as 'celery events' does, and print them as JSON.

usage: events.py <seconds>   prints "ready" once listening, then one JSON list of events
"""
import json
import sys
import threading

from pyapp import app

captured = []
with app.connection() as connection:
    receiver = app.events.Receiver(connection, handlers={"*": captured.append})
    threading.Timer(float(sys.argv[1]), lambda: setattr(receiver, "should_stop", True)).start()
    print("ready", flush=True)
    receiver.capture(limit=None, timeout=None, wakeup=False)
print(json.dumps([{"type": e.get("type"), "hostname": e.get("hostname"), "uuid": e.get("uuid")} for e in captured]))
