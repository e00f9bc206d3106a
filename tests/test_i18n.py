"""The Chinese catalogue is complete and compiled: every string a page shows has a translation."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

PO = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def entries() -> list[tuple[str, str, str]]:
    def unquote(chunk: str) -> str:
        return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', chunk))

    found = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r"^msgstr(?:\[0\])? ((?:\".*\"\n?)+)", block, re.M)
        if msgid and unquote(msgid.group(1)):
            found.append((unquote(msgid.group(1)), unquote(msgstr.group(1)) if msgstr else "", block))
    return found


def test_every_message_is_translated_and_none_is_a_fuzzy_guess():
    untranslated = [m for m, s, _ in entries() if not s]
    fuzzy = [m for m, _, b in entries() if re.search(r"^#,.*fuzzy", b, re.M)]
    assert untranslated == []
    assert fuzzy == []


def test_placeholders_survive_translation():
    for msgid, msgstr, _ in entries():
        assert set(re.findall(r"\{\w+\}|%\(\w+\)s", msgid)) == set(re.findall(r"\{\w+\}|%\(\w+\)s", msgstr)), msgid


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_compiled_catalogue_is_up_to_date(tmp_path):
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(out), str(PO)], check=True)
    assert out.read_bytes() == PO.with_suffix(".mo").read_bytes(), "run `make messages`"


def test_chinese_is_the_default_language():
    with translation.override("zh-hans"):
        assert translation.gettext("My work") == "我的工作"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_the_hand_kept_javascript_catalogue_is_complete_and_compiled(tmp_path):
    po = PO.with_name("djangojs.po")
    text = po.read_text(encoding="utf-8")
    assert not re.search(r'^msgstr ""\n\n', text + "\n", re.M)  # the header's msgstr is followed by its lines
    out = tmp_path / "djangojs.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(out), str(po)], check=True)
    assert out.read_bytes() == po.with_suffix(".mo").read_bytes(), "run `make messages`"
