"""Cluster logos: what may be uploaded, what is stored, and when old files leave storage.

A logo is drawn on every profile page and decoded again by WeasyPrint for every PDF, so an
upload is checked by its content (not its name) and bounded before anything decodes it: a PNG
of 20 KB can declare 13,000 × 13,000 pixels, 676 MB once decoded. What passes is re-encoded
at display size without its metadata; that small file is the one pages and PDFs use.
"""

import io
import logging
import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
# Checked in the file's header, before decoding: 16 megapixels decode to 64 MB at most.
MAX_SIDE = 4000
MAX_PIXELS = MAX_SIDE * MAX_SIDE
# The stored logo: pages show it 120 px wide; 800 px leaves room for sharp print and zoom.
STORED_SIZE = (800, 800)
# Only these decoders ever see an upload: Pillow would otherwise also try EPS (which runs
# Ghostscript), PSD, TIFF and dozens more, whatever the file's name says.
FORMATS = ("PNG", "JPEG", "WEBP")

NOT_AN_IMAGE = _("The logo must be a PNG, JPEG or WebP image; this file is not one.")
TOO_LARGE = _("The logo must be at most %(limit)s; this file is %(size)s.")
TOO_MANY_PIXELS = _(
    "The logo must be at most %(side)s × %(side)s pixels; this image is %(width)s × %(height)s."
)
UNREADABLE = _("The logo could not be read: the file is damaged or incomplete.")


def validate_logo(file):
    """Raise ValidationError unless `file` is a PNG, JPEG or WebP of bounded size and pixels.

    Decodes the image (so that a damaged file is refused now, not on the public page), but
    only once its header has shown that it is small enough.
    """
    _decoded(file)


def stored_logo(file):
    """The logo as it is stored: `file` validated, its first frame turned upright, scaled
    down to fit STORED_SIZE, without metadata; PNG when it has transparency or was a PNG
    (sharp edges of a drawn logo), else JPEG. Returns a ContentFile named after the upload."""
    image, source_format = _decoded(file)
    with image:
        try:
            image = ImageOps.exif_transpose(image)
            transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            image = image.convert("RGBA" if transparent else "RGB")
        except (OSError, ValueError):  # a pixel format Pillow cannot convert
            raise ValidationError(UNREADABLE, code="logo_unreadable") from None
    image.thumbnail(STORED_SIZE, Image.Resampling.LANCZOS)
    # A new image carries no EXIF (places, camera, dates), ICC profile or text chunks.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    output = io.BytesIO()
    if transparent or source_format == "PNG":
        clean.save(output, "PNG", optimize=True)
        extension = "png"
    else:
        clean.save(output, "JPEG", quality=90, optimize=True)
        extension = "jpg"
    stem = PurePath(getattr(file, "name", "") or "logo").stem or "logo"
    return ContentFile(output.getvalue(), name=f"{stem}.{extension}")


def _decoded(file):
    """(image loaded from `file`, its format), or ValidationError. The caller closes it."""
    size = file.size
    if size > MAX_BYTES:
        raise ValidationError(
            TOO_LARGE,
            code="logo_too_large",
            params={"limit": filesizeformat(MAX_BYTES), "size": filesizeformat(size)},
        )
    # At most MAX_BYTES, read into memory: Pillow closes the file it is given, and the
    # caller's file is not Pillow's to close.
    file.seek(0)
    data = io.BytesIO(file.read())
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Opening reads the header only; the size is checked below, with a message that
            # gives it. Pillow's warning (past 89 megapixels) would only fill the logs.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(data, formats=FORMATS)
    except Image.DecompressionBombError:
        # Past 179 megapixels Pillow refuses even to open the file, and does not say its size.
        raise ValidationError(
            _("The logo must be at most %(side)s × %(side)s pixels."),
            code="logo_too_many_pixels",
            params={"side": MAX_SIDE},
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(NOT_AN_IMAGE, code="logo_not_an_image") from None
    width, height = image.size
    if width > MAX_SIDE or height > MAX_SIDE:
        image.close()
        raise ValidationError(
            TOO_MANY_PIXELS,
            code="logo_too_many_pixels",
            params={"side": MAX_SIDE, "width": width, "height": height},
        )
    # WeasyPrint, once imported for a PDF, tells Pillow to fill in truncated images for the
    # whole process; an upload that broke off must be refused all the same. (gunicorn's sync
    # workers run one request at a time, so no other thread sees the switch.)
    fill_truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        image.load()
    except Exception:  # truncated data, a bad checksum: any decoder failure
        image.close()
        raise ValidationError(UNREADABLE, code="logo_unreadable") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = fill_truncated
    return image, image.format


class LogoFormField(forms.FileField):
    """The upload field of a logo: validates the file and hands the model the stored version."""

    def to_python(self, data):
        file = super().to_python(data)
        if file is None:
            return None
        return stored_logo(file)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", "image/png,image/jpeg,image/webp")
        return attrs


class LogoField(models.ImageField):
    """An ImageField whose forms check and re-encode the upload (LogoFormField)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LogoFormField, **kwargs})


def delete_when_committed(names):
    """Remove the logo files `names` from storage once the current transaction commits (a
    rolled-back save keeps them), unless a cluster still uses one (the import can attach one
    file to several clusters)."""
    names = {name for name in names if name}
    if names:
        transaction.on_commit(lambda: _delete_unused(names), robust=True)


def _delete_unused(names):
    from profiles.models import Cluster

    used = set(Cluster.objects.filter(logo__in=names).values_list("logo", flat=True))
    for name in names - used:
        try:
            default_storage.delete(name)
        except Exception:  # storage unreachable: a stray file is no reason to fail a save
            logger.exception("Could not delete the replaced logo %s", name)
