"""Fill the database with N plausible, published, made-up clusters for load tests.

Generated clusters carry `Cluster.generated = True`: a flag rather than a slug prefix, so that
no editor's choice of slug can make a real profile look generated (or the reverse), and so
that `Cluster.objects.filter(generated=True).delete()` removes them all (then `manage.py
refresh_clusters`, as after any write behind the admin's back). The command refuses
to run while real clusters are present unless given --force.

Rows are plain model instances written with bulk inserts, one transaction per batch; each
batch is then refreshed as any save is (`cluster_portal.changes.clusters_changed`). (The test
factories would be the natural builders, but factory-boy spends about a millisecond per
object: eleven objects per cluster made 100,000 clusters take a quarter of an hour instead
of a few minutes.)
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils.text import slugify

from cluster_portal import changes
from cooperation.models import PartnerCluster, Scope, TargetCountry, UndertakenActivity
from members.models import Composition, MajorPlayer
from profiles import models as profiles
from profiles.places import coordinates_of
from programmes.models import FundedProgramme

# (country, [(region, [cities])]) — accents on purpose: the search must find them without.
PLACES = {
    "ES": [("Andalucía", ["Sevilla", "Málaga", "Córdoba"]), ("Cataluña", ["Barcelona"]),
           ("País Vasco", ["Bilbao", "San Sebastián"]), ("Comunidad de Madrid", ["Madrid"]),
           ("Galicia", ["A Coruña", "Vigo"])],
    "DE": [("Bayern", ["München", "Nürnberg"]), ("Baden-Württemberg", ["Stuttgart"]),
           ("Nordrhein-Westfalen", ["Köln", "Düsseldorf"]), ("Sachsen", ["Dresden"])],
    "FR": [("Île-de-France", ["Paris"]), ("Auvergne-Rhône-Alpes", ["Lyon", "Grenoble"]),
           ("Occitanie", ["Toulouse", "Montpellier"]), ("Bretagne", ["Rennes"])],
    "IT": [("Lombardia", ["Milano", "Bergamo"]), ("Emilia-Romagna", ["Bologna"]),
           ("Piemonte", ["Torino"]), ("Puglia", ["Bari"])],
    "PL": [("Mazowieckie", ["Warszawa"]), ("Małopolskie", ["Kraków"]), ("Łódzkie", ["Łódź"])],
    "PT": [("Norte", ["Porto", "Braga"]), ("Lisboa", ["Lisboa"])],
    "NL": [("Noord-Brabant", ["Eindhoven"]), ("Zuid-Holland", ["Rotterdam", "Delft"])],
    "BE": [("Vlaanderen", ["Gent", "Antwerpen"]), ("Wallonie", ["Liège", "Namur"])],
    "AT": [("Steiermark", ["Graz"]), ("Oberösterreich", ["Linz"])],
    "CZ": [("Jihomoravský kraj", ["Brno"]), ("Praha", ["Praha"])],
    "HU": [("Közép-Magyarország", ["Budapest"]), ("Dél-Alföld", ["Szeged"])],
    "RO": [("Nord-Vest", ["Cluj-Napoca"]), ("Vest", ["Timișoara"])],
    "SE": [("Västra Götaland", ["Göteborg"]), ("Skåne", ["Malmö", "Lund"])],
    "FI": [("Uusimaa", ["Helsinki", "Espoo"]), ("Pirkanmaa", ["Tampere"])],
    "DK": [("Midtjylland", ["Aarhus"]), ("Hovedstaden", ["København"])],
    "GR": [("Kentriki Makedonia", ["Thessaloniki"]), ("Attiki", ["Athína"])],
    "IE": [("Southern", ["Cork"]), ("Eastern and Midland", ["Dublin"])],
    "NO": [("Vestland", ["Bergen"]), ("Trøndelag", ["Trondheim"])],
    "TR": [("Marmara", ["İstanbul", "Bursa"]), ("Ege", ["İzmir"])],
}
COUNTRY_WEIGHTS = {"ES": 14, "DE": 14, "FR": 12, "IT": 11, "PL": 7, "PT": 5, "NL": 5, "BE": 4,
                   "AT": 4, "CZ": 3, "HU": 3, "RO": 3, "SE": 3, "FI": 2, "DK": 2, "GR": 2,
                   "IE": 2, "NO": 2, "TR": 2}
EU = set(PLACES) - {"NO", "TR"}
TARGETS = ["US", "CA", "KR", "JP", "CN", "IN", "BR", "MX", "CL", "MA", "ZA", "AU", "SG",
           "GB", *PLACES]
TOPICS = [
    "Smart City", "Smart Grid", "Automotive", "Aerospace", "Agri-food", "Biotech",
    "Clean Tech", "Digital Health", "Maritime", "Textile", "Photonics", "Water",
    "Logistics", "Tourism", "Wood and Furniture", "Renewable Energy", "Hydrogen",
    "Artificial Intelligence", "Cybersecurity", "Circular Economy", "Mobility", "Wine",
    "Creative Industries", "Advanced Manufacturing", "Medical Devices", "Space",
    "Construction", "Packaging", "Plastics", "Microelectronics", "Railway", "Fashion",
    "Food Processing", "Bioeconomy", "Nanotechnology", "Robotics", "Fintech", "Gaming",
    "Olive Oil", "Ceramics",
]
KINDS = ["Cluster", "Cluster", "Alliance", "Network", "Innovation Cluster", "Association", "Hub"]
PROGRAMMES = [
    ("european", "Interreg Europe", "Interreg"),
    ("european", "Horizon Europe", "European Commission"),
    ("european", "COSME Cluster Excellence", "EISMEA"), ("european", "Digital Europe", "DG CNECT"),
    ("national", "Cluster Development Programme", "Ministry of Industry"),
    ("regional", "Regional Smart Specialisation Fund", "Regional Development Agency"),
]
FIRST_NAMES = ["Ana", "Jan", "Marie", "Luca", "Eva", "Piotr", "Sofia", "Jonas", "Inès", "Mikel",
               "Zsófia", "Lars", "Chiara", "Tomás", "Ewa", "Nuno"]
LAST_NAMES = ["García", "Müller", "Dubois", "Rossi", "Nowak", "Silva", "Jansen", "Peeters",
              "Novák", "Nagy", "Popescu", "Andersson", "Virtanen", "Hansen", "Ó Briain", "Aksoy"]
ROLES = [role for role, _label in FundedProgramme.Role.choices]


class Command(BaseCommand):
    help = (
        "Create N plausible published clusters (contacts, vocabularies, partners, programmes) "
        "for load tests, in bulk. Refuses while real clusters exist unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="How many clusters.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same clusters.")
        parser.add_argument("--force", action="store_true",
                            help="Run even though the database holds clusters not generated.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, count, seed, force, batch_size, verbosity, **options):
        if count < 1 or batch_size < 1:
            raise CommandError("--count and --batch-size must be at least 1.")
        real = profiles.Cluster.objects.filter(generated=False).count()
        if real and not force:
            raise CommandError(
                f"The database holds {real} cluster(s) that were not generated. Use an empty or "
                "test database, or pass --force to add made-up clusters next to them."
            )
        from tqdm import tqdm

        last = profiles.Cluster.objects.aggregate(last=Max("pk"))["last"] or 0
        generator = Generator(seed, first=last)
        with tqdm(total=count, unit=" clusters", disable=verbosity == 0) as progress:
            done = 0
            while done < count:
                size = min(batch_size, count - done)
                with transaction.atomic():
                    generator.write_batch(size)
                done += size
                progress.update(size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Fresh statistics, or the planner guesses after a load. Outside a transaction
                # also VACUUM, as autovacuum would later: the GIN indexes keep a pending list
                # that every directory query would otherwise wade through.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Generated {count} published clusters."))


class Generator:
    """Builds batches of clusters and their related rows from one seeded random source."""

    def __init__(self, seed, first=0):
        self.random = random.Random(seed)
        self.number = first
        self.terms = {
            relation: list(
                profiles.Cluster._meta.get_field(relation).related_model.objects.values_list(
                    "pk", flat=True
                )
            )
            for relation in [
                "sectoral_industries", "technology_fields", "s3_priority_areas",
                "emerging_industries", "industrial_ecosystems", "support_services",
            ]
        }
        self.labels = list(profiles.ClusterExcellenceLabel.objects.values_list("pk", flat=True))
        self.activities = list(profiles.CooperationActivity.objects.values_list("pk", flat=True))
        self.countries = list(COUNTRY_WEIGHTS)
        self.weights = list(COUNTRY_WEIGHTS.values())

    def write_batch(self, size):
        rnd = self.random
        clusters = [self.build_cluster() for _ in range(size)]
        profiles.Cluster.objects.bulk_create(clusters)

        links = {relation: [] for relation in self.terms}
        contacts, compositions, players, targets = [], [], [], []
        activities, partners, programmes = [], [], []
        for cluster in clusters:
            for relation, pks in self.terms.items():
                most = {"sectoral_industries": 3, "industrial_ecosystems": 2}.get(relation, 2)
                least = 1 if relation in ("sectoral_industries", "industrial_ecosystems") else 0
                chosen = rnd.sample(pks, min(len(pks), rnd.randint(least, most)))
                through = profiles.Cluster._meta.get_field(relation).remote_field.through
                term_field = profiles.Cluster._meta.get_field(relation).m2m_reverse_field_name()
                links[relation] += [
                    through(cluster_id=cluster.pk, **{f"{term_field}_id": pk}) for pk in chosen
                ]
            for position in range(rnd.randint(1, 2)):
                contacts.append(profiles.Contact(
                    cluster=cluster, position=position,
                    role=["Cluster Manager", "Project Manager", "Communication Officer"][position],
                    name=f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}",
                    email=f"contact{position}@{cluster.slug[:40]}.example.org",
                    phone_numbers=f"+34600{rnd.randint(100000, 999999)}",
                ))
            compositions.append(self.build_composition(cluster))
            players += [
                MajorPlayer(cluster=cluster, position=p, name=f"{w} {cluster.city}")
                for p, w in enumerate(rnd.sample(["Industrias", "Technologies", "University"],
                                                 rnd.randint(0, 2)))
            ]
            for country in rnd.sample(TARGETS, rnd.randint(0, 4)):
                if country != cluster.country:
                    scope = Scope.TRANSNATIONAL if country in EU else Scope.INTERNATIONAL
                    targets.append(TargetCountry(
                        cluster=cluster, country=country, scope=scope))
            activities += [
                UndertakenActivity(
                    cluster=cluster, activity_id=pk, scope=rnd.choice(list(Scope)))
                for pk in rnd.sample(self.activities, min(len(self.activities), rnd.randint(0, 3)))
            ]
            for position in range(rnd.randint(0, 3)):
                partner = rnd.choice(clusters)
                if partner is not cluster:
                    partners.append(PartnerCluster(
                        cluster=cluster, partner=partner, name=partner.name,
                        country=partner.country, position=position))
            programmes += [self.build_programme(cluster, p) for p in range(rnd.randint(0, 3))]

        for relation, rows in links.items():
            profiles.Cluster._meta.get_field(relation).remote_field.through.objects.bulk_create(
                rows
            )
        for model, rows in [
            (profiles.Contact, contacts), (Composition, compositions), (MajorPlayer, players),
            (TargetCountry, targets), (UndertakenActivity, activities),
            (PartnerCluster, partners), (FundedProgramme, programmes),
        ]:
            model.objects.bulk_create(rows)
        # What any save refreshes: the directory's index, the pages showing these clusters.
        changes.clusters_changed([cluster.pk for cluster in clusters], touched=False)

    def build_cluster(self):
        rnd = self.random
        self.number += 1
        country = rnd.choices(self.countries, self.weights)[0]
        region, cities = rnd.choice(PLACES[country])
        city = rnd.choice(cities)
        topic = rnd.choice(TOPICS)
        name = f"{rnd.choice([city, region])} {topic} {rnd.choice(KINDS)}"
        specialisations = rnd.sample(TOPICS, 2)
        # Bulk inserts skip save(), which would fill the location from the city; the year is
        # spread by number, not drawn, so that earlier seeds give the same clusters as before.
        latitude, longitude = coordinates_of(city, country) or (None, None)
        return profiles.Cluster(
            latitude=latitude,
            longitude=longitude,
            date_established=datetime.date(1985 + self.number * 7 % 40, 1, 1),
            name=name,
            slug=f"{slugify(name)[:180]}-{self.number}",
            acronym="".join(word[0] for word in name.split() if word[0].isalnum()).upper(),
            country=country,
            region=region,
            city=city,
            website=f"https://cluster{self.number}.example.org/",
            status=profiles.Cluster.Status.PUBLISHED,
            generated=True,
            excellence_label_id=rnd.choice(self.labels) if rnd.random() < 0.3 else None,
            management_staff_count=rnd.randint(1, 25),
            languages_spoken=rnd.choice(["English", "English, Spanish", "English, German",
                                         "English, French, Italian"]),
            specialisation_other=", ".join(specialisations),
            strategy=(
                f"<p>We help {topic.lower()} companies in {region} to innovate, to find partners "
                f"abroad and to grow, with a focus on {specialisations[0].lower()}.</p>"
            ),
            has_formal_strategy=rnd.choice(["yes", "no", ""]),
        )

    def build_composition(self, cluster):
        rnd = self.random
        total = int(rnd.lognormvariate(4.2, 0.9)) + 1
        sme = rnd.randint(0, total)
        large = rnd.randint(0, total - sme)
        research = rnd.randint(0, total - sme - large)
        return Composition(
            cluster=cluster, total_members=total, sme_members=sme,
            large_company_members=large, research_members=research,
            other_members=total - sme - large - research,
            entrepreneurship_facilities=f"{cluster.city} incubator" if rnd.random() < 0.4 else "",
        )

    def build_programme(self, cluster, position):
        rnd = self.random
        scope, name, body = rnd.choice(PROGRAMMES)
        start = rnd.randint(2010, 2024)
        return FundedProgramme(
            cluster=cluster, scope=scope, name=f"{name} – {rnd.choice(TOPICS)}", funding_body=body,
            role=rnd.choice(ROLES), position=position,
            description=f"<p>Cooperation of clusters on {rnd.choice(TOPICS).lower()}.</p>",
            link=f"https://programme{rnd.randint(1, 500)}.example.org/",
            start_date=datetime.date(start, 1, 1),
            end_date=datetime.date(start + rnd.randint(1, 4), 12, 31),
            status=rnd.choice(["running", "completed"]),
        )
