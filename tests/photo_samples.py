"""Photos as phones make them, for the tests of photos with notes: a JPEG carrying
GPS, camera and maker data, XMP, a comment and an ICC profile, held sideways."""

from __future__ import annotations

import io
from typing import Final

from PIL import ExifTags, Image, ImageCms

from rules.photos import PhotoImage

MAKER: Final = "SQ-TestCam"
GPS_LATITUDE: Final = (51.0, 31.0, 7.42)  # 51° 31' 7.42" N: Brackel
XMP: Final = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="51,31.12N"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
COMMENT: Final = b"Aufgenommen von Erika Mustermann"
# What must never leave the server: markers of each kind of metadata.
METADATA_MARKERS: Final = (
    b"Exif",
    b"GPS",
    MAKER.encode(),
    b"http://ns.adobe.com/xap",
    b"xmpmeta",
    b"ICC_PROFILE",
    COMMENT,
    b"Erika",
    b"SQ-MAKERNOTE",
)


def two_halves(width_px: int, height_px: int) -> Image.Image:
    """Left half red, right half blue: which way round a photo was turned shows."""
    image = Image.new("RGB", (width_px, height_px), (220, 20, 20))
    image.paste((20, 20, 220), (width_px // 2, 0, width_px, height_px))
    return image


def phone_jpeg(width_px: int = 400, height_px: int = 200, *, orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: EXIF with camera, maker note, GPS position and an
    orientation (6: shown turned 90° clockwise), XMP with the position again, a comment
    and an sRGB ICC profile."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKER
    exif[ExifTags.Base.Model] = "Phone 15"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Software] = "SQ test"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (7.0, 33.0, 0.4),
    }
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.MakerNote] = b"SQ-MAKERNOTE serial 0815"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    two_halves(width_px, height_px).save(
        out, format="JPEG", exif=exif, xmp=XMP, comment=COMMENT, icc_profile=icc, quality=90
    )
    return out.getvalue()


def clean_photo(width_px: int = 64, height_px: int = 48) -> PhotoImage:
    """A small photo as formats.photos hands it to the store."""
    out = io.BytesIO()
    Image.new("RGB", (width_px, height_px), (90, 140, 60)).save(out, format="JPEG")
    return PhotoImage(jpeg=out.getvalue(), width_px=width_px, height_px=height_px)
