"""Test pictures made with Pillow: small, with an EXIF GPS block and an orientation tag on demand."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture(
    width: int = 64,
    height: int = 48,
    *,
    fmt: str = "JPEG",
    gps: bool = False,
    orientation: int | None = None,
    colour: tuple[int, int, int] = (200, 30, 30),
) -> bytes:
    """A picture whose left half is coloured and right half white (so rotation can be seen)."""
    image = Image.new("RGB", (width, height), "white")
    image.paste(Image.new("RGB", (width // 2, height), colour), (0, 0))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (40.0, 22.0, 1.5), 3: "E", 4: (49.0, 50.0, 2.25)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def write_picture(path: Path, **options: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(picture(**options))  # type: ignore[arg-type]
    return path


def gps_of(data: bytes) -> dict[int, object]:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(GPS_IFD))
