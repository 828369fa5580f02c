"""A small reader of gettext PO and POT files (standard library only), for scripts/check-messages
and the catalogue tests: entries with their context, msgid, plural msgid, translations and flags."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return self.msgctxt, self.msgid

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]

    @property
    def translated(self) -> bool:
        return all(self.translations) and bool(self.translations) and "fuzzy" not in self.flags

    def __str__(self) -> str:
        where = self.references[0] if self.references else f"line {self.line}"
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"{self.msgid!r}{context} [{where}]"


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # PO strings are C-escaped, as Python's short strings


def read(path: Path) -> list[Entry]:
    """Every entry of the file, the header (msgid "") first, obsolete ones (#~) marked."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush():
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith(("#", "|")):
                continue
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        elif line.startswith("#:"):
            entry.references += line[2:].split()
            continue
        elif line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, value = match.groups()
            if keyword == "msgctxt" and target is not None and target != "msgctxt":
                flush()  # no blank line between two entries
            if not entry.line:
                entry.line = number
            target = ("msgstr_plural", int(index)) if index is not None else keyword
        elif line.startswith('"') and target is not None:
            value = line
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
        text = _unquote(value)
        if isinstance(target, tuple):
            entry.msgstr_plural[target[1]] = entry.msgstr_plural.get(target[1], "") + text
        else:
            setattr(entry, target, (getattr(entry, target) or "") + text)
    flush()
    return entries


def messages(path: Path) -> dict[tuple[str | None, str], Entry]:
    """The file's live entries (no header, no obsolete entry) by (context, msgid)."""
    return {e.key: e for e in read(path) if e.msgid and not e.obsolete}
