"""Chinese first: every message has a Chinese translation, and the compiled catalogues match."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in path.parts and "node_modules" not in path.parts
)


def _entries(po_text: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry of a .po file (header skipped)."""
    entries = []
    for block in po_text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or ", fuzzy" in block
        ids = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        strs = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if not ids or not strs:
            continue
        msgid = "".join(re.findall(r'"(.*)"', ids.group(1)))
        msgstr = "".join(re.findall(r'"(.*)"', strs.group(1)))
        if msgid:
            entries.append((msgid, msgstr, fuzzy))
    return entries


def test_there_are_catalogues():
    assert (ROOT / "locale/zh_Hans/LC_MESSAGES/django.po") in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated(po):
    entries = _entries(po.read_text())
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert untranslated == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_is_up_to_date(po, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed (.ci/run installs it)")
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"{po.with_suffix('.mo')} is stale: run msgfmt (make messages)"
    )
