"""Logos uploaded in the admin: checked by content and size, stored small, old files removed."""

import io
import random

import factory
import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import translation
from PIL import Image

from profiles import logos
from profiles.models import Cluster
from tests.factories import ClusterFactory
from tests.forms import form_data
from tests.images import huge_png, image_bytes, upload

pytestmark = pytest.mark.django_db

EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nnewpath 0 0 moveto 10 10 lineto stroke\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cluster():
    return ClusterFactory(
        name="Smart City Cluster",
        logo=factory.django.ImageField(filename="old.png", color="blue", width=240, height=120),
    )


def noise_png():
    # Random pixels do not compress: cut anywhere past the header, the pixel data is cut.
    pixels = random.Random(0).randbytes(200 * 200 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (200, 200), pixels).save(buffer, "PNG")
    return buffer.getvalue()


def change_url(cluster):
    return f"/admin/profiles/cluster/{cluster.pk}/change/"


def save_form(client, cluster, **fields):
    data = form_data(client.get(change_url(cluster)).text, "cluster_form")
    data.update(fields)
    return client.post(change_url(cluster), data)


def stored_image(cluster):
    cluster.refresh_from_db()
    with default_storage.open(cluster.logo.name) as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
    return image


def test_a_large_photo_is_stored_downscaled_without_its_metadata(editor_client, cluster):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (40.0, 25.0, 0.0)}  # GPS latitude: where the photo was taken
    photo = image_bytes("JPEG", size=(1600, 1000), exif=exif.tobytes())

    response = save_form(editor_client, cluster, logo=upload(photo, "photo.jpg", "image/jpeg"))

    assert response.status_code == 302
    image = stored_image(cluster)
    assert (image.format, image.size, image.mode) == ("JPEG", (800, 500), "RGB")
    assert not image.getexif()
    assert cluster.logo.name.startswith("logos/photo")
    page = editor_client.get(f"/clusters/{cluster.slug}/").text
    assert f'src="/media/{cluster.logo.name}"' in page


def test_a_transparent_logo_stays_a_transparent_png(editor_client, cluster):
    drawing = Image.new("RGBA", (1200, 1200), (0, 0, 0, 0))
    drawing.paste((10, 120, 200, 255), (300, 300, 900, 900))
    buffer = io.BytesIO()
    drawing.save(buffer, "WEBP", lossless=True)  # a WebP arrives, a PNG is stored

    response = save_form(editor_client, cluster, logo=upload(buffer.getvalue(), "logo.webp"))

    assert response.status_code == 302
    image = stored_image(cluster)
    assert (image.format, image.size, image.mode) == ("PNG", (800, 800), "RGBA")
    assert image.getpixel((0, 0))[3] == 0 and image.getpixel((400, 400))[3] == 255
    assert cluster.logo.name.endswith(".png")


def test_the_upload_field_offers_only_the_accepted_formats(editor_client, cluster):
    html = editor_client.get(change_url(cluster)).text
    assert 'accept="image/png,image/jpeg,image/webp"' in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (EPS, "The logo must be a PNG, JPEG or WebP image; this file is not one."),
        (image_bytes("GIF", size=(50, 50)), "must be a PNG, JPEG or WebP image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "must be a PNG, JPEG or WebP image"),
        # 20 KB that would decode to 169 megapixels (the PDF took 8.6 s and 1.4 GB).
        (huge_png(13000), "at most 4000 × 4000 pixels; this image is 13000 × 13000."),
        # So large that Pillow refuses to open it at all.
        (huge_png(20000), "The logo must be at most 4000 × 4000 pixels."),
        (image_bytes("PNG", size=(40, 40)) + bytes(5 * 1024 * 1024),
         "The logo must be at most 5.0\xa0MB; this file is 5.0\xa0MB."),
        (noise_png()[:30_000],  # the upload broke off
         "The logo could not be read: the file is damaged or incomplete."),
    ],
    ids=["eps-named-png", "gif", "svg", "13000px", "20000px", "padded", "truncated"],
)
def test_a_refused_logo_gets_a_clear_message_and_nothing_is_stored(
    editor_client, cluster, media, content, message
):
    before = cluster.logo.name

    response = save_form(editor_client, cluster, name="Renamed", logo=upload(content))

    assert response.status_code == 200
    assert message in response.text.replace("&times;", "×")
    cluster.refresh_from_db()
    assert (cluster.name, cluster.logo.name) == ("Smart City Cluster", before)
    assert sorted(p.name for p in (media / "logos").iterdir()) == [before.split("/")[-1]]


def test_a_replaced_logo_leaves_storage_once_the_save_is_committed(
    editor_client, cluster, django_capture_on_commit_callbacks
):
    old = cluster.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = save_form(editor_client, cluster, logo=upload(image_bytes(), "new.png"))

    assert response.status_code == 302
    cluster.refresh_from_db()
    assert cluster.logo.name != old
    assert default_storage.exists(cluster.logo.name)
    assert not default_storage.exists(old)


def test_a_cleared_logo_leaves_storage(editor_client, cluster, django_capture_on_commit_callbacks):
    old = cluster.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = save_form(editor_client, cluster, **{"logo-clear": "on"})

    assert response.status_code == 302
    cluster.refresh_from_db()
    assert not cluster.logo
    assert not default_storage.exists(old)


def test_a_deleted_clusters_logo_leaves_storage(
    editor_client, cluster, django_capture_on_commit_callbacks
):
    old = cluster.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/admin/profiles/cluster/{cluster.pk}/delete/",
                                      {"post": "yes"})

    assert response.status_code == 302
    assert not Cluster.objects.filter(pk=cluster.pk).exists()
    assert not default_storage.exists(old)


def test_a_logo_another_cluster_still_shows_is_kept(
    editor_client, cluster, django_capture_on_commit_callbacks
):
    # The import attaches files already in storage: two clusters may share one.
    ClusterFactory(name="Sister Cluster", logo=cluster.logo.name)
    with django_capture_on_commit_callbacks(execute=True):
        save_form(editor_client, cluster, logo=upload(image_bytes(), "new.png"))

    assert default_storage.exists(Cluster.objects.get(name="Sister Cluster").logo.name)


def test_a_rolled_back_save_keeps_the_logo_file(cluster, django_capture_on_commit_callbacks):
    old = cluster.logo.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            cluster.logo = ""
            cluster.save()
            raise RuntimeError("the rest of the save failed")

    assert not callbacks
    assert default_storage.exists(old)


def test_the_messages_are_in_spanish_too():
    with pytest.raises(ValidationError) as error:
        logos.validate_logo(upload(huge_png(13000)))
    with translation.override("es"):
        messages = error.value.messages
    assert messages == [
        "El logotipo debe tener como máximo 4000 × 4000 píxeles; esta imagen tiene "
        "13000 × 13000."
    ]
