"""The lab's QR code as a PNG: a black-and-white square with its quiet border,
larger for a longer link."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from layers.qr import qr_png


def test_qr_png_is_a_black_and_white_square_that_grows_with_the_text() -> None:
    short = Image.open(io.BytesIO(qr_png("http://192.168.1.20:8501/?code=ABC123")))
    long = Image.open(io.BytesIO(qr_png("http://192.168.1.20:8501/?code=ABC123" + "x" * 200)))
    assert short.format == "PNG" and short.width == short.height
    assert long.width > short.width
    pixels = np.asarray(short.convert("L"))
    assert set(np.unique(pixels)) == {0, 255}
    # The quiet border (2 modules of 8 px) is white all round.
    assert (pixels[:16, :] == 255).all() and (pixels[:, -16:] == 255).all()
