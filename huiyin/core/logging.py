"""Logging filters. Nothing that identifies a petitioner is written to a log: no IP, no user agent, no text."""

import logging
import re

_REQUEST_LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>[^ ?"]*)(?:\?[^ "]*)? HTTP/[0-9.]+"')


class NoClientDataFilter(logging.Filter):
    """Strip query strings and the request object from log records (it carries addresses and agents)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                _REQUEST_LINE.sub(r'"\g<method> \g<path>"', a) if isinstance(a, str) else a for a in record.args
            )
        return True
