"""QR codes of the bot's links for slides and handouts: PNG or SVG, on an opaque white card
(the quiet zone included, so they scan on a dark slide), with a caption under the code."""

from __future__ import annotations

import html
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

import segno

QR_MIN_PIXELS = 1000  # PNG wide enough to scan from the back of a classroom off a projector
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules
QR_ERROR = "q"  # 25 % of the code may be lost (a logo, a smudge, a projector's glare)
CAPTION_MODULES = 2.2  # caption font size, in modules: readable wherever the code scans
CAPTION_LINES = 4  # longer captions are cut with …
CHAR_EM = 0.56  # average width of a caption character in em, to wrap the SVG's lines


@dataclass(frozen=True)
class QrInfo:
    version: int | str  # segno's: a number, or "M1".."M4" for a Micro QR code
    error: str
    modules: int  # the code's width with its quiet zone, in modules
    pixels: int | None  # the PNG's width


def _wrap(caption: str, width_chars: int) -> list[str]:
    lines = textwrap.wrap(" ".join(caption.split()), max(width_chars, 8)) or []
    if len(lines) > CAPTION_LINES:
        lines = lines[:CAPTION_LINES]
        lines[-1] = lines[-1][: max(width_chars - 1, 1)].rstrip() + "…"
    return lines


def make_code(link: str) -> segno.QRCode:
    return segno.make(link, error=QR_ERROR, micro=False)


def svg(link: str, caption: str | None) -> str:
    """An SVG that scales with CSS (viewBox, no fixed size), white under the code and its
    quiet zone, the caption in lines under it."""
    code = make_code(link)
    n = len(code.matrix)
    side = n + 2 * QR_BORDER
    lines = _wrap(caption, int(side / (CHAR_EM * CAPTION_MODULES))) if caption else []
    line_h = CAPTION_MODULES * 1.3
    height = side + (len(lines) * line_h + QR_BORDER / 2 if lines else 0)
    path = []
    for y, row in enumerate(code.matrix):
        x = 0
        while x < n:
            if row[x]:
                start = x
                while x < n and row[x]:
                    x += 1
                path.append(f"M{start + QR_BORDER} {y + QR_BORDER}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    text = "".join(
        f'<text x="{side / 2:g}" y="{side + (i + 0.8) * line_h:.2f}" font-size="{CAPTION_MODULES}"'
        f' text-anchor="middle" font-family="system-ui, Arial, sans-serif" fill="#000">'
        f"{html.escape(line)}</text>" for i, line in enumerate(lines))
    label = html.escape(caption or link, quote=True)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {height:.2f}" '
            f'role="img" aria-label="{label}" shape-rendering="crispEdges">'
            f'<rect width="{side}" height="{height:.2f}" fill="#fff"/>'
            f'<path fill="#000" d="{"".join(path)}"/>{text}</svg>\n')


def png(link: str, caption: str | None) -> tuple[bytes, int]:
    """A PNG at least QR_MIN_PIXELS wide, white card, caption under the code; and its width."""
    from PIL import Image, ImageDraw, ImageFont

    code = make_code(link)
    side = len(code.matrix) + 2 * QR_BORDER
    scale = max(8, -(-QR_MIN_PIXELS // side))
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=QR_BORDER, dark="#000", light="#fff")
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    if caption:
        font = ImageFont.load_default(size=int(CAPTION_MODULES * scale))
        width = image.width
        per_line = max(int(width * 0.92 / max(font.getlength("n"), 1)), 8)
        lines = _wrap(caption, per_line)
        while lines and max(font.getlength(line) for line in lines) > width * 0.94 and per_line > 8:
            per_line -= 2
            lines = _wrap(caption, per_line)
        line_h = int(CAPTION_MODULES * scale * 1.3)
        card = Image.new("RGB", (width, image.height + line_h * len(lines) + 2 * scale), "white")
        card.paste(image, (0, 0))
        draw = ImageDraw.Draw(card)
        for i, line in enumerate(lines):
            draw.text((width / 2, image.height + i * line_h), line, fill="black", font=font,
                      anchor="ma")
        image = card
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), image.width


def write(link: str, path: Path, caption: str | None) -> QrInfo:
    """Write the QR code of ``link`` to ``path`` (.png or .svg). Raises OSError."""
    code = make_code(link)
    side = len(code.matrix) + 2 * QR_BORDER
    if path.suffix.lower() == ".svg":
        data, pixels = svg(link, caption).encode("utf-8"), None
    else:
        data, pixels = png(link, caption)
    path.write_bytes(data)
    return QrInfo(code.version, code.error or QR_ERROR.upper(), side, pixels)
