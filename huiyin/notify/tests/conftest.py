from huiyin.workflow.tests.conftest import (  # noqa: F401
    _fresh_clock_data,
    _frozen,
    replied_case,
    superuser,
    traveller,
    with_emails,
)
