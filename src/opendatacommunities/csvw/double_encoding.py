"""The ``x-utf-8-double-encoded`` text encoding, for files whose UTF-8 was mangled once.

Several ONS lookups were read as Latin-1 and written back as UTF-8, so ``Ynys Môn`` became
``Ynys MÃ´n``. Naming this encoding in a mapping's dialect repairs such a file as it is read:
the UTF-8 text is turned back into the bytes it was made from and decoded again. Characters
that were never mangled (anything that does not form valid UTF-8 once reversed) are kept.
"""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Buffer

NAME = "x-utf-8-double-encoded"
_NORMALIZED = {NAME, NAME.replace("-", "_")}


def repair(text: str) -> str:
    """Undo one round of UTF-8 read as Latin-1.

    >>> repair("Ynys MÃ´n"), repair("Ynys Môn"), repair("Glasgow")
    ('Ynys Môn', 'Ynys Môn', 'Glasgow')
    """
    if text.isascii():
        return text
    raw = bytearray()
    for char in text:
        code = ord(char)
        raw.extend(bytes([code]) if code < 256 else char.encode("utf-8"))
    repaired = bytes(raw).decode("utf-8", "surrogateescape")
    # Bytes that were not part of a mangled sequence come back as surrogates: restore them.
    return "".join(chr(ord(c) - 0xDC00) if "\udc80" <= c <= "\udcff" else c for c in repaired)


class _IncrementalDecoder(codecs.IncrementalDecoder):
    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors)
        self._pending = ""

    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        text = self._pending + self._utf8.decode(data, final)
        cut = len(text)
        if not final:
            # Hold back a trailing run of non-ASCII: it may be half of a mangled sequence.
            while cut and ord(text[cut - 1]) >= 128:
                cut -= 1
        self._pending = text[cut:]
        return repair(text[:cut])

    def reset(self) -> None:
        self._utf8.reset()
        self._pending = ""


def _decode(data: Buffer, errors: str = "strict") -> tuple[str, int]:
    raw = bytes(data)
    return repair(codecs.utf_8_decode(raw, errors, True)[0]), len(raw)


def _encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    return codecs.utf_8_encode(text, errors)[0], len(text)


def _search(name: str) -> codecs.CodecInfo | None:
    if name not in _NORMALIZED:
        return None
    return codecs.CodecInfo(
        name=NAME,
        encode=_encode,
        decode=_decode,
        incrementaldecoder=_IncrementalDecoder,
        incrementalencoder=codecs.getincrementalencoder("utf-8"),
    )


codecs.register(_search)
