"""What the cloud adapters (ThinQ, SmartThings) share: polling an account's devices, retrying calls,
refusing actions a vendor has no command for."""

from jibsa.adapters.cloud.polling import AccountPoller, Linked
from jibsa.adapters.cloud.retry import AccountError, Retryable, RetryPolicy, call_with_retries

__all__ = ["AccountError", "AccountPoller", "Linked", "RetryPolicy", "Retryable", "call_with_retries"]
