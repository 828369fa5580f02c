"""Vietnamese text helpers: search keys without diacritics, and comparison of header names."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def strip_diacritics(text: str) -> str:
    """Return text without Vietnamese diacritics ("Cam Lộ" → "Cam Lo", "Đà" → "Da")."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def search_key(text: str | None) -> str:
    """Return the lowercase, diacritic-free, single-spaced form used for search columns."""
    if not text:
        return ""
    return _SPACES.sub(" ", strip_diacritics(str(text)).lower()).strip()


def nfc(text: str) -> str:
    """Return text in Unicode NFC (files typed on different machines mix NFC and NFD)."""
    return unicodedata.normalize("NFC", text)


def display_name(user) -> str:
    """A person's name as Vietnamese write it, family name first: "Lê Thị Hoa" (Django's
    get_full_name puts the given name first). Falls back to the username."""
    if user is None:
        return ""
    first = (getattr(user, "first_name", "") or "").strip()
    last = (getattr(user, "last_name", "") or "").strip()
    full = " ".join(part for part in (last, first) if part)
    return full or user.get_username()
