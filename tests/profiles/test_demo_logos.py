"""`make demo`'s made-up logos: every demo cluster gets one, drawn into the media storage."""

import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from profiles.models import Cluster
from tests.factories import ClusterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_demo_cluster_gets_a_fictional_logo_and_keeps_its_date(visitor):
    call_command("loaddata", "fixtures/demo.json", verbosity=0)
    real = ClusterFactory(name="A Real Cluster")  # not in the fixture: left alone
    dates = dict(Cluster.objects.values_list("slug", "updated"))
    call_command("demo_logos", stdout=io.StringIO())
    with open("fixtures/demo.json", encoding="utf-8") as file:
        slugs = {row["fields"]["slug"] for row in json.load(file)
                 if row["model"] == "profiles.cluster"}
    for cluster in Cluster.objects.filter(slug__in=slugs):
        assert cluster.logo.name == f"logos/demo-{cluster.slug}.png"
        with default_storage.open(cluster.logo.name) as file, Image.open(file) as image:
            assert image.format == "PNG" and max(image.size) <= 800
        assert cluster.updated == dates[cluster.slug]
    assert not Cluster.objects.get(pk=real.pk).logo
    call_command("refresh_clusters", verbosity=0)
    page = visitor.get("/clusters/smart-city-cluster/").text
    assert 'src="/media/logos/demo-smart-city-cluster.png"' in page


def test_drawing_again_keeps_one_file_per_cluster(settings):
    call_command("loaddata", "fixtures/demo.json", verbosity=0)
    call_command("demo_logos", stdout=io.StringIO())
    call_command("demo_logos", "--replace", stdout=io.StringIO())
    files = sorted((settings.MEDIA_ROOT / "logos").iterdir())
    assert len(files) == Cluster.objects.exclude(logo="").count()
