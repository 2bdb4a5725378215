"""Local stand-ins for the vendor clouds, for tests and demos — not part of the running system.

`thinq_server.ThinQServer` follows LG's published ThinQ Connect API and `smartthings_server.
SmartThingsServer` Samsung's SmartThings REST API: the same paths, headers, JSON shapes and error
codes, with a few canned devices whose state changes when controlled. `data_go_kr_server.
DataGoKrServer` answers as data.go.kr's KMA short-range forecast and AirKorea services do. Each has a `FaultSwitch`
(`server.faults`) that makes the next requests answer 401, 429 (with Retry-After), 500 or hang,
so the adapters' error handling can be tested against the real SDK and a real HTTP connection.
`RecordingSink` records what an adapter reports, for any adapter's tests.
"""

from jibsa.testing.sink import RecordingSink
from jibsa.testing.standin import Fault, FaultSwitch, StandInServer, WatchedClock

__all__ = ["Fault", "FaultSwitch", "RecordingSink", "StandInServer", "WatchedClock"]
