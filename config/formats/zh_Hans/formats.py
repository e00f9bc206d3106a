"""Django's Simplified Chinese formats, with the month of a month and day not zero-padded: 9月5日, as
DATE_FORMAT writes it (Django's own MONTH_DAY_FORMAT, "m月j日", gives 09月5日 beside 2026年9月5日)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "n月j日"
