"""Images through Pillow: sniffing, pixel limits (decompression bombs), GPS data, renditions.

Pillow is imported inside each function: only attach, validation and the exporters that show
pictures pay for it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prcli.errors import MediaError

if TYPE_CHECKING:
    from PIL import Image as PILImage

# More pixels than any camera a press office uses (a 100-megapixel back is 11,648 x 8,736); a
# picture beyond it is refused rather than decoded into gigabytes of memory.
MAX_PIXELS = 120_000_000
GPS_IFD = 0x8825
ORIENTATION = 0x0112


@dataclass(frozen=True, slots=True)
class ImageInfo:
    format: str  # Pillow's name: JPEG, PNG, ...
    width: int
    height: int
    gps: bool
    orientation: int  # EXIF orientation, 1 when none


@contextmanager
def _guarded(name: str) -> Iterator[Any]:
    """Pillow with our pixel limit, its bomb warning turned into an error, and every decoding
    problem turned into one MediaError naming the file."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield Image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        import re

        found = re.search(r"\((\d+) pixels\)", str(error))
        size = f"{int(found.group(1)):,} pixels" if found else "too many pixels"
        raise MediaError(
            f"{name} has {size}, more than prcli opens ({MAX_PIXELS:,}; a decompression bomb?)",
            hint="scale it down (for example to 6000 pixels on the long side) and attach that",
        ) from None
    except UnidentifiedImageError:
        raise MediaError(
            f"{name} is not an image prcli can read",
            hint="check the file; attach it with --kind document to keep it as a plain file",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise MediaError(
            f"{name} is damaged or truncated ({error})",
            hint="export or download the picture again",
        ) from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _exif_gps(image: PILImage.Image) -> tuple[bool, int]:
    exif = image.getexif()
    gps = GPS_IFD in exif and bool(exif.get_ifd(GPS_IFD) or exif.get(GPS_IFD))
    orientation = exif.get(ORIENTATION, 1)
    return gps, orientation if isinstance(orientation, int) else 1


def inspect(data: bytes, name: str) -> ImageInfo:
    """Open and fully decode an image; raises MediaError when it is not one, is damaged or
    truncated, or has too many pixels."""
    with _guarded(name) as Image, Image.open(io.BytesIO(data)) as image:
        fmt = str(image.format or "")
        gps, orientation = _exif_gps(image)
        image.load()  # decodes every pixel: a truncated file fails here
        return ImageInfo(fmt, image.width, image.height, gps, orientation)


def header_info(data: bytes, name: str) -> ImageInfo:
    """Format, size, GPS and orientation from the header (no decoding)."""
    with _guarded(name) as Image, Image.open(io.BytesIO(data)) as image:
        gps, orientation = _exif_gps(image)
        return ImageInfo(str(image.format or ""), image.width, image.height, gps, orientation)


def header_format(data: bytes, name: str) -> str:
    """The format the file's header names (no decoding); MediaError when it is no image or has
    too many pixels."""
    with _guarded(name) as Image, Image.open(io.BytesIO(data)) as image:
        return str(image.format or "")


def has_gps(data: bytes, name: str) -> bool:
    """Whether the image carries a GPS position in its EXIF data (headers only, no decoding)."""
    with _guarded(name) as Image, Image.open(io.BytesIO(data)) as image:
        return _exif_gps(image)[0]


def strip_gps(data: bytes, name: str) -> bytes:
    """The same image without its GPS block. JPEG: the EXIF segment is rewritten and the picture
    is not re-encoded (lossless); PNG and TIFF are saved again (lossless formats). Other formats
    raise MediaError."""
    with _guarded(name) as Image, Image.open(io.BytesIO(data)) as image:
        fmt = image.format
        exif = image.getexif()
        if GPS_IFD not in exif:
            return data
        del exif[GPS_IFD]
        if fmt == "JPEG":
            return _replace_jpeg_exif(data, exif.tobytes(), name)
        if fmt in ("PNG", "TIFF"):
            image.load()
            out = io.BytesIO()
            params: dict[str, Any] = {"exif": exif.tobytes()}
            if "icc_profile" in image.info:
                params["icc_profile"] = image.info["icc_profile"]
            image.save(out, fmt, **params)
            return out.getvalue()
    raise MediaError(
        f"{name}: prcli can remove GPS data from JPEG, PNG and TIFF files, not {fmt}",
        hint="remove the location in an image editor, or convert the picture to JPEG",
    )


def _replace_jpeg_exif(data: bytes, exif: bytes, name: str) -> bytes:
    """Swap the APP1 Exif segment of a JPEG for `exif` (which starts with b'Exif\\0\\0')."""
    if not exif.startswith(b"Exif\x00\x00"):
        exif = b"Exif\x00\x00" + exif
    if len(exif) + 2 > 0xFFFF:
        raise MediaError(f"{name}: the EXIF block is too large to rewrite")
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker in (0xDA, 0xD9):  # start of scan: no more metadata segments
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        end = position + 2 + length
        if marker == 0xE1 and data[position + 4 : position + 10] == b"Exif\x00\x00":
            segment = b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif
            return data[:position] + segment + data[end:]
        position = end
    raise MediaError(f"{name}: could not find the EXIF segment to rewrite")


@dataclass(frozen=True, slots=True)
class Rendered:
    data: bytes
    extension: str  # ".jpg" or ".png"
    media_type: str
    width: int
    height: int


def render(data: bytes, name: str, longest_edge: int) -> Rendered:
    """One smaller copy for the web (see `render_many`)."""
    return render_many(data, name, [longest_edge])[0]


def render_many(data: bytes, name: str, edges: list[int]) -> list[Rendered]:
    """Smaller copies for the web, one per longest edge: orientation applied, at most that many
    pixels on the long side (never enlarged), and no metadata at all (no EXIF, GPS, XMP or
    comments: only the pixels and the colour profile). JPEG, or PNG when the picture has
    transparency. The picture is decoded once (a JPEG at the smallest DCT scale that still covers
    the largest size). Deterministic for the same input."""
    with _guarded(name) as Image:
        from PIL import ImageOps

        with Image.open(io.BytesIO(data)) as original:
            original.seek(0)  # an animated GIF: its first frame
            icc = original.info.get("icc_profile")
            largest = max(edges)
            long_side = max(original.size)
            if original.format == "JPEG" and long_side > largest:
                width, height = original.size
                original.draft(
                    "RGB",
                    (-(-largest * width // long_side), -(-largest * height // long_side)),
                )
            upright = ImageOps.exif_transpose(original)
            alpha = upright.mode in ("RGBA", "LA", "PA") or (
                upright.mode == "P" and "transparency" in upright.info
            )
            converted = upright.convert("RGBA" if alpha else "RGB")
            results = []
            for edge in edges:
                scaled = converted.copy()
                scaled.thumbnail((edge, edge), Image.Resampling.LANCZOS)
                # A new image carries nothing over from the original's info (EXIF, XMP, comments).
                clean = Image.new(scaled.mode, scaled.size)
                clean.paste(scaled)
                out = io.BytesIO()
                params: dict[str, Any] = {}
                if isinstance(icc, bytes):
                    params["icc_profile"] = icc
                if alpha:
                    clean.save(out, "PNG", **params)
                    results.append(
                        Rendered(out.getvalue(), ".png", "image/png", clean.width, clean.height)
                    )
                else:
                    clean.save(out, "JPEG", quality=85, optimize=True, **params)
                    results.append(
                        Rendered(out.getvalue(), ".jpg", "image/jpeg", clean.width, clean.height)
                    )
            return results
