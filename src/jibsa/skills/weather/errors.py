"""Why a weather service gave no answer, in the words the reply needs."""

from __future__ import annotations

import re

# data.go.kr's gateway answers a refused key in XML whatever type was asked for:
# <OpenAPI_ServiceResponse><cmmMsgHeader><returnAuthMsg>SERVICE_KEY_IS_NOT_REGISTERED_ERROR
# </returnAuthMsg><returnReasonCode>30</returnReasonCode>...
_GATEWAY_CODE = re.compile(r"<returnReasonCode>\s*(\d+)\s*</returnReasonCode>")
_GATEWAY_MESSAGE = re.compile(r"<returnAuthMsg>\s*([A-Z_]+)\s*</returnAuthMsg>")
# The gateway's codes that mean the key itself: not registered (30), expired (31), not allowed
# from this address (32), access denied (20); 22 is the daily quota.
KEY_CODES = frozenset({"20", "30", "31", "32"})
QUOTA_CODES = frozenset({"22"})


class WeatherServiceError(Exception):
    """A failed request. `reason`: "network", "key", "quota", "no_data" or "service"; `source`: the
    service that failed ("kma", "open_meteo", "airkorea"), named when the failure is told."""

    def __init__(self, reason: str, detail: str, source: str = "kma") -> None:
        super().__init__(f"{source} {reason}: {detail}")
        self.reason = reason
        self.detail = detail
        self.source = source


def gateway_error(text: str, source: str = "kma") -> WeatherServiceError | None:
    """The error in a data.go.kr gateway's XML answer, if the text is one."""
    code = _GATEWAY_CODE.search(text)
    if code is None:
        return None
    message = _GATEWAY_MESSAGE.search(text)
    detail = f"{code.group(1)} {message.group(1) if message else ''}".strip()
    if code.group(1) in KEY_CODES:
        return WeatherServiceError("key", detail, source)
    if code.group(1) in QUOTA_CODES:
        return WeatherServiceError("quota", detail, source)
    return WeatherServiceError("service", detail, source)
