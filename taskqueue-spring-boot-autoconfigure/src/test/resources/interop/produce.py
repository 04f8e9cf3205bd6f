"""Send one task from Python and print its outcome as JSON.

usage: produce.py <task name> <args JSON> <kwargs JSON> <queue>
prints {"result": ...} or {"error": "<exception type>", "message": "<message>"}
"""
import json
import sys

from pyapp import app

name, args, kwargs, queue = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
result = app.send_task(name, args=args, kwargs=kwargs, queue=queue)
try:
    print(json.dumps({"result": result.get(timeout=30)}))
except Exception as error:  # noqa: BLE001 - the test reads whatever Celery raised
    print(json.dumps({"error": type(error).__name__, "message": str(error)}))
