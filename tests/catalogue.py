"""The English catalogue for the tests: its path, scripts/pofile.py (the reader that
scripts/check-messages uses; scripts/ is not a package) and what a message's text is made of."""

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

_spec = importlib.util.spec_from_file_location("scripts_pofile", ROOT / "scripts" / "pofile.py")
pofile = sys.modules.setdefault("scripts_pofile", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(pofile)

VIETNAMESE = re.compile(r"[À-ỹĐđ]")
# %(name)s, %s, %d, %%: printf style (gettext, blocktranslate); {name}: str.format (targets' messages).
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]\w*\)[sdrif]|%[sdrif%]|\{[a-zA-Z_]\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
