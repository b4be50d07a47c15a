"""Build briefing.ico (Windows) and briefing.icns (macOS) from the one source briefing.png."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Windows picks the nearest size for each place (title bar, taskbar, Explorer views, the
# installer); 256 is the largest an .ico holds. Frames are stored as 32-bit bitmaps with
# alpha rather than PNG, which every resource editor and installer compiler reads.
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 96, 128, 256)
# An .icns carries 32…1024 px images (16@2x up to 512@2x); each is scaled here with a
# good filter rather than left to the writer's default.
ICNS_SIZES = (32, 64, 128, 256, 512)
SOURCE_SIZE = 1024


def load_source(path: Path) -> object:
    """Return the source image as RGBA, checking that it is a 1024 px square."""
    from PIL import Image

    if not path.is_file():
        raise SystemExit(f"error: source image {path} not found (run draw_icon.py first)")
    image = Image.open(path)
    if image.size != (SOURCE_SIZE, SOURCE_SIZE):
        raise SystemExit(
            f"error: {path} is {image.size[0]}x{image.size[1]} px; expected "
            f"{SOURCE_SIZE}x{SOURCE_SIZE}"
        )
    return image.convert("RGBA")


def scaled(image: object, size: int) -> object:
    """Return ``image`` scaled to ``size`` px square with a Lanczos filter."""
    from PIL import Image

    return image.resize((size, size), Image.Resampling.LANCZOS)  # type: ignore[attr-defined]


def write_ico(image: object, path: Path) -> None:
    """Write a multi-size Windows icon."""
    frames = [scaled(image, size) for size in ICO_SIZES]
    largest = frames[-1]
    largest.save(  # type: ignore[attr-defined]
        path,
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=frames[:-1],
        bitmap_format="bmp",
    )


def write_icns(image: object, path: Path) -> None:
    """Write a macOS icon family (32 to 1024 px)."""
    frames = [scaled(image, size) for size in ICNS_SIZES]
    image.save(path, format="ICNS", append_images=frames)  # type: ignore[attr-defined]


def check_outputs(ico: Path, icns: Path) -> None:
    """Raise SystemExit unless both icons read back with the sizes they should hold."""
    from PIL import Image

    with Image.open(ico) as icon:
        found = sorted(icon.info.get("sizes", set()))
    expected = [(s, s) for s in ICO_SIZES]
    if found != expected:
        raise SystemExit(f"error: {ico} holds sizes {found}, expected {expected}")
    with Image.open(icns) as icon:
        largest = icon.size
    if largest != (SOURCE_SIZE, SOURCE_SIZE):
        raise SystemExit(f"error: {icns} largest image is {largest}, expected 1024 px")


def main(argv: list[str] | None = None) -> int:
    """Generate both icon files next to the source image."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=HERE / "briefing.png")
    parser.add_argument("--out-dir", type=Path, default=HERE)
    args = parser.parse_args(argv)
    image = load_source(args.source)
    ico = args.out_dir / "briefing.ico"
    icns = args.out_dir / "briefing.icns"
    write_ico(image, ico)
    write_icns(image, icns)
    check_outputs(ico, icns)
    print(ico)
    print(icns)
    return 0


if __name__ == "__main__":
    sys.exit(main())
