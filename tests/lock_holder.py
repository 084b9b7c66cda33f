"""A process that holds a data file's lock until it is killed: `lock_holder.py DB HOLDER`.

HOLDER is "window" or a command's name. It prints "held" once it has the lock."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.store.lock import InstanceLock

lock = InstanceLock(Path(sys.argv[1]), holder=sys.argv[2])
lock.acquire()
print("held", flush=True)
time.sleep(120)
