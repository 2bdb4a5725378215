"""What a person hears when a vendor's cloud lets jibsa down: keys of the words catalogue under the
vendor's name (`thinq.*`, `smartthings.*` in words/ko.yaml and en.yaml), worded in the reader's language
where they are read. The failures every cloud account shares are here; a vendor adds its own through
`about`."""

from __future__ import annotations

from typing import Any

from jibsa.domain.said import Said

# What every vendor's section of the catalogue holds (the tests check each vendor has them all).
SHARED_KEYS = ("account", "token_expired", "rate_limited", "cloud_error", "cloud_unreachable", "not_answering",
               "refused", "not_linked", "unsupported")  # fmt: skip


class CloudMessages:
    """One vendor's sentences. `account` is the name used (logs too) when the account, not one device, did
    not answer: said as the catalogue's `<vendor>.account`."""

    def __init__(self, vendor: str, account: str) -> None:
        self.vendor = vendor
        self.account = account
        self.token_expired = Said(f"{vendor}.token_expired")
        self.rate_limited = Said(f"{vendor}.rate_limited")
        self.cloud_error = Said(f"{vendor}.cloud_error")
        self.cloud_unreachable = Said(f"{vendor}.cloud_unreachable")

    def about(self, key: str, name: str, **fields: Any) -> Said:
        """`<vendor>.<key>` about the device (or the account) called `name`."""
        said_name = Said(f"{self.vendor}.account").to_json() if name == self.account else name
        return Said(f"{self.vendor}.{key}", {"name": said_name, **fields})

    def not_answering(self, name: str, seconds: float) -> Said:
        return self.about("not_answering", name, seconds=seconds)

    def not_linked(self, name: str) -> Said:
        return self.about("not_linked", name)

    def unsupported(self, name: str) -> Said:
        return self.about("unsupported", name)
