"""Adds the request id to every log line, so a clerk's report can be traced end to end."""

import logging

from core import context


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.current().request_id or "-"
        return True
