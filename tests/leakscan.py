"""Search saved artefacts (notebooks, logs, exports, command output) for secrets.

Used by the notebook tests, the widget save tests and the hardening leak scan: after a run, every
token, password, TOTP secret and one-time code it used must be absent from everything it wrote.

A secret rarely leaks in the form it was made in, so the scan normalises both sides:

- spacing, hyphens and case: ``ABCD EFGH IJKL`` (how the TOTP secret is shown), ``abcd-efgh``,
  ``123 456`` (how codes are shown) all match;
- encodings: JSON string escapes (a notebook is JSON), URL escapes, base64 runs (``data:`` URLs,
  widget buffers) are decoded and searched too, and a base32 secret is also looked for as the
  base64 or hex of its bytes;
- QR codes: every ``<svg>`` QR (segno's path form) and base64 PNG image is decoded to the text
  it carries (``otpauth://...secret=...``) with zxing-cpp, and that text is searched.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import io
import json
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

# Whitespace, hyphens, and the JSON/Python escapes of whitespace (a notebook is JSON text).
_SEPARATORS = re.compile(r"(?:[\s\-\u00a0\u200b]|\\[ntr]|\\u00a0)+")
_DIGIT_GAPS = re.compile(r"(?<=\d)[ \-\u00a0](?=\d)")
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL | re.IGNORECASE)
_PATH_D = re.compile(r'<path\b[^>]*?\bd="([^"]+)"', re.IGNORECASE)
_PATH_SCALE = re.compile(r"scale\(([\d.]+)\)")
_PATH_TOKENS = re.compile(r"([MmHhVvZz])|(-?[\d.]+)")
_PNG = b"\x89PNG\r\n\x1a\n"


def find_leaks(sources: Iterable[str | Path], secrets: Iterable[str]) -> list[str]:
    """Return ``"<source>: <secret kind>"`` for every secret found in any source.

    A source is a path (read as text, undecodable bytes replaced) or a string. Secrets shorter
    than 6 characters are ignored (too likely to occur by chance).
    """
    needles = [(s, _Needle(s)) for s in dict.fromkeys(secrets) if len(s) >= 6]
    leaks = []
    for source in sources:
        is_path = isinstance(source, Path)
        text = source.read_text(errors="replace") if is_path else str(source)
        name = str(source) if is_path else f"text[{len(text)} chars]"
        haystacks = [_Haystack(variant) for variant in _variants(text)]
        for secret, needle in needles:
            if any(needle.found_in(haystack) for haystack in haystacks):
                kind = "code" if secret.isdigit() else f"secret of {len(secret)} chars"
                fingerprint = hashlib.sha256(secret.encode()).hexdigest()[:8]
                leaks.append(f"{name}: {kind} (sha256 {fingerprint})")
    return leaks


class _Haystack:
    """One text in the forms the needles are compared with."""

    def __init__(self, text: str) -> None:
        self.digits = _DIGIT_GAPS.sub("", text)  # "123 456" -> "123456"
        self.squeezed = _SEPARATORS.sub("", text)  # case kept: base64 is case-sensitive
        self.folded = self.squeezed.upper()


class _Needle:
    """A secret and the forms it can take in a saved file."""

    def __init__(self, secret: str) -> None:
        self.numeric = secret.isdigit()
        # A numeric one-time code only counts when not embedded in a longer run of digits, nor
        # right after a decimal point (the microseconds of a timestamp, the decimals of a latency).
        self.code = re.compile(rf"(?<![\d.]){re.escape(secret)}(?!\d)") if self.numeric else None
        self.folded = _SEPARATORS.sub("", secret).upper()
        self.encoded = [_b64(secret.encode())]
        raw = _base32_bytes(self.folded)
        if raw is not None and len(raw) >= 8:
            self.encoded += [_b64(raw), raw.hex(), raw.hex().upper()]

    def found_in(self, haystack: _Haystack) -> bool:
        if self.code is not None:
            return bool(self.code.search(haystack.digits))
        if self.folded in haystack.folded:
            return True
        return any(form in haystack.squeezed for form in self.encoded)


def _b64(data: bytes) -> str:
    """Base64 of ``data`` without padding (a prefix that holds wherever the data starts)."""
    return base64.b64encode(data).decode().rstrip("=")[: max(8, len(data) * 4 // 3 - 1)]


def _base32_bytes(text: str) -> bytes | None:
    if not re.fullmatch(r"[A-Z2-7]+=*", text):
        return None
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return None


# -- the forms a saved text holds -------------------------------------------------------------


def _variants(text: str, depth: int = 0) -> Iterator[str]:
    """``text``, its JSON strings, URL-unescaped, base64-decoded parts and decoded QR codes."""
    yield text
    if depth > 2:
        return
    parts = [text]
    with contextlib.suppress(ValueError, RecursionError):
        parts += list(_json_strings(json.loads(text)))
    for part in parts:
        if part is not text:
            yield part
        unquoted = urllib.parse.unquote(part)
        if unquoted != part:
            yield unquoted
        for svg in _SVG.findall(part):
            yield from _qr_texts_from_svg(svg)
        for run in _BASE64_RUN.findall(part):
            decoded = _b64decode(run)
            if decoded is None:
                continue
            if decoded.startswith(_PNG):
                yield from _qr_texts_from_png(decoded)
            else:
                as_text = decoded.decode("utf-8", errors="ignore")
                if (len(as_text) >= 6 and as_text.isprintable()) or "<svg" in as_text:
                    yield from _variants(as_text, depth + 1)


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _b64decode(run: str) -> bytes | None:
    padded = run + "=" * (-len(run) % 4)
    try:
        return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None


def _qr_texts_from_svg(svg: str) -> Iterator[str]:
    """The text of a QR code drawn as an SVG path of 1-module strokes (segno's form)."""
    import numpy as np

    for d in _PATH_D.findall(svg):
        cells = list(_stroked_cells(d))
        if not cells:
            continue
        size = max(max(x for x, _ in cells), max(y for _, y in cells)) + 3
        grid = np.zeros((size, size), dtype=np.uint8)
        for x, y in cells:
            grid[y, x] = 1
        yield from _qr_texts(grid)


def _stroked_cells(d: str) -> Iterator[tuple[int, int]]:
    """Module cells covered by the horizontal/vertical strokes of an SVG path."""
    x = y = 0.0
    command = "M"
    numbers: list[float] = []

    def run(cmd: str, args: list[float]) -> Iterator[tuple[int, int]]:
        nonlocal x, y
        if cmd in "Mm" and len(args) >= 2:
            x, y = (args[0], args[1]) if cmd == "M" else (x + args[0], y + args[1])
        elif cmd in "Hh" and args:
            end = args[0] if cmd == "H" else x + args[0]
            for cx in range(int(min(x, end)), int(max(x, end))):
                yield cx, int(y)
            x = end
        elif cmd in "Vv" and args:
            end = args[0] if cmd == "V" else y + args[0]
            for cy in range(int(min(y, end)), int(max(y, end))):
                yield int(x), cy
            y = end

    for letter, number in _PATH_TOKENS.findall(d):
        if letter:
            yield from run(command, numbers)
            command, numbers = letter, []
        else:
            numbers.append(float(number))
    yield from run(command, numbers)


def _qr_texts_from_png(data: bytes) -> Iterator[str]:
    import numpy as np
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data)).convert("L")
    except OSError:
        return
    yield from _read(np.asarray(image))


def _qr_texts(grid: Any) -> Iterator[str]:
    """Decode a module grid (1 = dark) by drawing it 4 px per module with a quiet zone."""
    import numpy as np

    pixels = np.kron(1 - grid, np.ones((4, 4), dtype=np.uint8)) * 255
    yield from _read(np.pad(pixels, 16, constant_values=255))


def _read(image: Any) -> Iterator[str]:
    import zxingcpp

    for result in zxingcpp.read_barcodes(image):
        if result.text:
            yield result.text
