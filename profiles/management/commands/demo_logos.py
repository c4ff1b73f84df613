"""Give every cluster of the demo fixture a made-up logo, drawn here (`make demo` runs this).

The logos are fictional on purpose: a coloured emblem with the cluster's initials and the word
DEMO, the same drawing for the same cluster on every machine. They go through the same checks
and re-encoding as an upload (profiles/logos.py) into the media storage, so a fresh clone gets
them without any image in the repository. Only the fixture's clusters are touched, and the
profile's "last updated" date stays as the fixture has it.
"""

import hashlib
import io
import json
import math

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw, ImageFont

from profiles.logos import stored_logo
from profiles.models import Cluster

SIZE = 480
# Dark enough for white initials at 4.5:1 or more.
COLOURS = ["#0b4f8a", "#1b6e4f", "#7a2e8e", "#a23b20", "#2f4858", "#8a5a00", "#005f73",
           "#6a4c93", "#9b2242", "#3d5a1e"]
SHAPES = ["circle", "hexagon", "rounded", "diamond", "shield"]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _font(size):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:  # no DejaVu: Pillow's own scalable font
        return ImageFont.load_default(size)


def _polygon(sides, radius, centre, turn=0.0):
    cx, cy = centre
    return [(cx + radius * math.cos(turn + 2 * math.pi * k / sides),
             cy + radius * math.sin(turn + 2 * math.pi * k / sides)) for k in range(sides)]


def draw_logo(cluster):
    """A PNG of the cluster's made-up logo, the same for the same slug and name."""
    seed = int(hashlib.sha256(cluster.slug.encode()).hexdigest(), 16)
    colour = COLOURS[seed % len(COLOURS)]
    shape = SHAPES[(seed // len(COLOURS)) % len(SHAPES)]
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre, radius = (SIZE / 2, SIZE * 0.42), SIZE * 0.36
    if shape == "circle":
        draw.ellipse([centre[0] - radius, centre[1] - radius, centre[0] + radius,
                      centre[1] + radius], fill=colour)
    elif shape == "hexagon":
        draw.polygon(_polygon(6, radius * 1.05, centre, math.pi / 6), fill=colour)
    elif shape == "diamond":
        draw.polygon(_polygon(4, radius * 1.15, centre), fill=colour)
    elif shape == "shield":
        left, right, top = centre[0] - radius, centre[0] + radius, centre[1] - radius
        draw.rounded_rectangle([left, top, right, centre[1] + radius * 0.2], radius=24,
                               fill=colour)
        draw.polygon([(left, centre[1]), (right, centre[1]), (centre[0], centre[1] + radius * 1.1)],
                     fill=colour)
    else:
        draw.rounded_rectangle([centre[0] - radius, centre[1] - radius, centre[0] + radius,
                                centre[1] + radius], radius=SIZE * 0.12, fill=colour)
    # A ring of small dots: the members of the cluster.
    for k in range(3 + seed % 4):
        angle = 2 * math.pi * k / (3 + seed % 4) - math.pi / 2
        x = centre[0] + radius * 0.8 * math.cos(angle)
        y = centre[1] + radius * 0.8 * math.sin(angle)
        draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill=(255, 255, 255, 110))
    initials = cluster.monogram or "?"
    font = _font(150 if len(initials) < 2 else 120)
    draw.text(centre, initials, font=font, fill="white", anchor="mm")
    draw.text((SIZE / 2, SIZE * 0.93), "DEMO", font=_font(44), fill=colour, anchor="mm")
    output = io.BytesIO()
    image.save(output, "PNG")
    return ContentFile(output.getvalue(), name=f"demo-{cluster.slug}.png")


class Command(BaseCommand):
    help = "Draw a made-up logo for every cluster of the demo fixture that has none."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default=str(settings.BASE_DIR / "fixtures" / "demo.json"),
                            help="The fixture whose clusters get a logo (default: the demo's).")
        parser.add_argument("--replace", action="store_true",
                            help="Draw them again, also where the cluster has a logo already.")

    def handle(self, *args, fixture, replace, **options):
        with open(fixture, encoding="utf-8") as file:
            slugs = [row["fields"]["slug"] for row in json.load(file)
                     if row["model"] == "profiles.cluster"]
        clusters = Cluster.objects.filter(slug__in=slugs)
        if not replace:
            clusters = clusters.filter(logo="")
        drawn = 0
        for cluster in clusters.only("pk", "slug", "name", "logo"):
            logo = stored_logo(draw_logo(cluster))  # checked and re-encoded like an upload
            name = f"logos/{logo.name}"
            if default_storage.exists(name):
                default_storage.delete(name)
            name = default_storage.save(name, logo)
            # update(), not save(): the fixture's "last updated" dates stay as they are.
            Cluster.objects.filter(pk=cluster.pk).update(logo=name)
            drawn += 1
        self.stdout.write(f"Drew {drawn} demo logo{'s' if drawn != 1 else ''}.")
