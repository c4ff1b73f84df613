import csv
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from members.models import Composition
from profiles.models import (
    Cluster,
    ClusterExcellenceLabel,
    CooperationActivity,
    EmergingIndustry,
    IndustrialEcosystem,
    S3PriorityArea,
    SectoralIndustry,
    SupportService,
    TechnologyField,
)
from tests.factories import (
    ClusterFactory,
    MajorPlayerFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    UserFactory,
    full_profile,
)

pytestmark = pytest.mark.django_db


def shipped_terms():
    """Terms every database has (loaded by migration), so an empty database can take them."""
    return {
        "sectoral_industries": list(
            SectoralIndustry.objects.filter(slug__in=["automotive", "apparel"])
        ),
        "technology_fields": [TechnologyField.objects.get(slug="smart-grids")],
        "s3_priority_areas": [S3PriorityArea.objects.order_by("pk").first()],
        "emerging_industries": [EmergingIndustry.objects.get(slug="digital-industries")],
        "industrial_ecosystems": [IndustrialEcosystem.objects.get(slug="digital")],
        "support_services": [SupportService.objects.order_by("pk").first()],
        "excellence_label": ClusterExcellenceLabel.objects.get(
            slug="cluster-management-excellence-gold"
        ),
        "activity": CooperationActivity.objects.get(slug="technology-transfer"),
    }


def build_portal():
    smart = full_profile(**shipped_terms())
    # A partner whose profile is further down the file than the cluster naming it.
    zeta = ClusterFactory(name="Zeta Partner Cluster", country="PL")
    PartnerClusterFactory(cluster=smart, name="Zeta Partner Cluster", country="PL", partner=zeta)
    ClusterFactory(name="Alpha Plain Cluster", country="HU", city="", region="")
    ClusterFactory(name="Draft Cluster", draft=True)


def download(client, url):
    return b"".join(client.get(url).streaming_content)


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def import_file(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_clusters", path, *args, stdout=out, stderr=err)
    return out.getvalue()


def csv_text(*rows, columns=("slug", "name", "country", "sectoral_industries")):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


# --- Round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_into_an_empty_database_and_export_again_gives_the_same_file(
    visitor, tmp_path, fmt
):
    build_portal()
    first = download(visitor, f"/clusters/export.{fmt}")
    Cluster.objects.all().delete()

    output = import_file(write(tmp_path, f"clusters.{fmt}", first))

    assert "Created 3, updated 0, left 0 unchanged." in output
    assert download(visitor, f"/clusters/export.{fmt}") == first


def test_importing_the_same_file_again_changes_nothing(visitor, tmp_path):
    build_portal()
    path = write(tmp_path, "clusters.json", download(visitor, "/clusters/export.json"))
    before = dict(Cluster.objects.values_list("slug", "updated"))
    output = import_file(path)
    assert "Created 0, updated 0, left 3 unchanged." in output
    assert dict(Cluster.objects.values_list("slug", "updated")) == before


def test_profile_json_can_be_imported_on_its_own(visitor, tmp_path):
    cluster = full_profile(**shipped_terms())
    document = visitor.get(f"/clusters/{cluster.slug}/profile.json").content
    Cluster.objects.all().delete()
    import_file(write(tmp_path, "one.json", document))
    assert visitor.get(f"/clusters/{cluster.slug}/profile.json").content == document


# --- Updates, terms and dry runs ------------------------------------------------------------


def test_import_updates_clusters_matched_by_slug_and_maps_terms_by_slug_label_or_alias(
    tmp_path,
):
    cluster = ClusterFactory(name="Old Name", slug="smart-city")
    PartnerClusterFactory(cluster=cluster, name="Kept Partner", link="https://kept.example/")
    path = write(
        tmp_path,
        "update.csv",
        csv_text(
            ["smart-city", "New Name", "ES",
             "automotive; Apparel; Aerospace Vehicles and Defence"],
            ["brand-new", "Brand New Cluster", "PT", ""],
        ),
    )
    output = import_file(path)
    assert "Updated smart-city: name, sectoral_industries" in output
    assert "Created brand-new" in output
    cluster.refresh_from_db()
    assert cluster.name == "New Name"
    assert sorted(cluster.sectoral_industries.values_list("slug", flat=True)) == [
        "aerospace-vehicles-and-defense", "apparel", "automotive",
    ]
    # Columns the file does not have are left as they were.
    assert cluster.partners.get().link == "https://kept.example/"
    assert Cluster.objects.get(slug="brand-new").status == Cluster.Status.PUBLISHED


def test_import_finds_terms_by_their_label_in_any_language(tmp_path):
    SectoralIndustryFactory(name="Space Logistics", labels={"fr": "Logistique spatiale"})
    path = write(
        tmp_path, "labels.csv",
        csv_text(["smart-city", "Smart City Cluster", "ES", "Automoción; logistique spatiale"]),
    )
    import_file(path)
    cluster = Cluster.objects.get(slug="smart-city")
    assert sorted(cluster.sectoral_industries.values_list("slug", flat=True)) == [
        "automotive", "space-logistics",
    ]


def test_csv_partner_names_keep_the_details_of_partners_already_known(tmp_path):
    cluster = ClusterFactory(slug="smart-city")
    PartnerClusterFactory(cluster=cluster, name="Kept", country="HU", link="https://kept.example/")
    PartnerClusterFactory(cluster=cluster, name="Dropped")
    path = write(
        tmp_path, "partners.csv",
        csv_text(["smart-city", cluster.name, "ES", "New; Kept"],
                 columns=("slug", "name", "country", "partner_clusters")),
    )
    import_file(path)
    partners = list(cluster.partners.values_list("name", "country", "link"))
    assert partners == [("New", "", ""), ("Kept", "HU", "https://kept.example/")]


def test_csv_major_player_names_keep_the_players_already_known(tmp_path):
    cluster = ClusterFactory(slug="smart-city")
    kept = MajorPlayerFactory(cluster=cluster, name="Kept", link="https://kept.example/")
    MajorPlayerFactory(cluster=cluster, name="Dropped", link="https://dropped.example/")
    path = write(
        tmp_path, "players.csv",
        csv_text(["smart-city", cluster.name, "ES", "New; Kept"],
                 columns=("slug", "name", "country", "major_players")),
    )
    import_file(path)
    players = list(cluster.major_players.values_list("name", "link"))
    assert players == [("New", ""), ("Kept", "https://kept.example/")]
    assert cluster.major_players.get(name="Kept").pk == kept.pk


def test_csv_import_removes_the_quote_the_export_writes_before_a_formula(visitor, tmp_path):
    names = ["+34 Cluster", "-1 Cluster", "@SUM(A1) Cluster", "=1+1 Cluster", "'Quoted' Cluster"]
    for number, name in enumerate(names):
        ClusterFactory(name=name, slug=f"cluster-{number}", other_label=f"\tLabel {number}")
    exported = download(visitor, "/clusters/export.csv")
    assert b"'+34 Cluster" in exported and b"'\tLabel 0" in exported
    Cluster.objects.all().delete()

    import_file(write(tmp_path, "formulas.csv", exported))

    imported = dict(Cluster.objects.values_list("slug", "name"))
    assert imported == {f"cluster-{number}": name for number, name in enumerate(names)}
    assert Cluster.objects.get(slug="cluster-0").other_label == "\tLabel 0"
    # A quote the cluster wrote itself, before no formula, is kept.
    assert Cluster.objects.get(slug="cluster-4").name == "'Quoted' Cluster"


def test_csv_import_reads_back_escaped_list_items_exactly(visitor, tmp_path):
    cluster = ClusterFactory(name="Player Cluster", slug="players")
    names = ["=cmd|' /C calc'!A0", "Safe Player", "+34 600", "'=already quoted", "'plain"]
    for name in names:
        MajorPlayerFactory(cluster=cluster, name=name)
    exported = download(visitor, "/clusters/export.csv")
    cluster.major_players.all().delete()

    import_file(write(tmp_path, "players.csv", exported))

    assert list(cluster.major_players.values_list("name", flat=True)) == names


def test_dry_run_shows_the_changes_and_writes_nothing(tmp_path):
    cluster = ClusterFactory(name="Old Name", slug="smart-city")
    path = write(
        tmp_path, "dry.csv",
        csv_text(["smart-city", "New Name", "ES", ""], ["fresh", "Fresh Cluster", "FR", ""]),
    )
    output = import_file(path, "--dry-run")
    assert output.startswith("Dry run, nothing was written. The file would make these changes:")
    assert "Would update smart-city: name" in output
    assert "Would create fresh" in output
    assert "Dry run" in output and "nothing was written" in output
    cluster.refresh_from_db()
    assert cluster.name == "Old Name"
    assert not Cluster.objects.filter(slug="fresh").exists()


# --- All or nothing -------------------------------------------------------------------------


def test_a_bad_last_row_writes_nothing(tmp_path):
    existing = ClusterFactory(name="Untouched", slug="untouched")
    path = write(
        tmp_path, "bad-last.csv",
        csv_text(
            ["first-new", "First New", "ES", "automotive"],
            ["untouched", "Changed Name", "ES", ""],
            ["last-bad", "Last Bad", "ES", "Automotive; Underwater Basket Weaving"],
        ),
    )
    with pytest.raises(CommandError) as error:
        import_file(path)
    assert "Row 4 (last-bad): unknown sectoral industry “Underwater Basket Weaving”" in str(
        error.value
    )
    assert "nothing was imported" in str(error.value)
    assert not Cluster.objects.filter(slug__in=["first-new", "last-bad"]).exists()
    existing.refresh_from_db()
    assert existing.name == "Untouched"


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_failing_import_prints_only_its_problems_never_an_update(tmp_path, dry_run):
    ClusterFactory(name="Old Name", slug="smart-city")
    path = write(
        tmp_path, "half-bad.csv",
        csv_text(["smart-city", "New Name", "ES", ""], ["fresh", "Fresh", "FR", ""],
                 ["bad", "Bad", "ES", "No Such Sector"]),
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_clusters", path, *(["--dry-run"] if dry_run else []),
                     stdout=out, stderr=err)
    assert out.getvalue() == ""
    assert str(error.value) == (
        "Row 4 (bad): unknown sectoral industry “No Such Sector”\n"
        "1 problem(s) found; nothing was imported."
    )
    assert Cluster.objects.get(slug="smart-city").name == "Old Name"


def test_every_problem_is_reported_at_once_with_its_row(tmp_path):
    columns = ("slug", "name", "country", "website", "total_members", "sme_members",
               "date_established", "management_staff_count", "has_formal_strategy")
    path = write(
        tmp_path, "many.csv",
        csv_text(
            ["ok", "Fine", "ES", "https://ok.example/", "10", "5", "2020-01-01", "3", "yes"],
            ["script", "Bad Link", "ES", "javascript:alert(1)", "", "", "", "", ""],
            ["parts", "Too Many Parts", "ES", "", "10", "50", "", "", ""],
            ["dates", "Bad Values", "XX", "", "", "", "12/31/2020", "many", "maybe"],
            ["", "No Slug", "ES", "", "", "", "", "", ""],
            ["ok", "Twice", "ES", "", "", "", "", "", ""],
            columns=columns,
        ),
    )
    with pytest.raises(CommandError) as error:
        import_file(path)
    message = str(error.value)
    assert "Row 3 (script): website: Enter a valid URL." in message
    assert "Row 4 (parts): composition: total_members: The members by kind add up to 50" in message
    assert "Row 5 (dates): date_established: “12/31/2020” is not a date" in message
    assert "Row 5 (dates): management_staff_count: “many” is not a whole number" in message
    assert "Row 5 (dates): has_formal_strategy: answer “yes”, “no” or leave empty" in message
    assert "Row 5 (dates): country:" in message
    assert "Row 6 (?): slug: This field cannot be blank." in message
    assert "Row 7 (ok): the slug “ok” appears twice in the file" in message
    assert not Cluster.objects.exists()
    assert not Composition.objects.exists()


def test_json_rows_are_checked_against_the_schema_and_the_admin_rules(visitor, tmp_path):
    build_portal()
    document = json.loads(download(visitor, "/clusters/export.json"))
    clusters = document["clusters"]
    clusters[0]["management_staff_count"] = -4
    clusters[1]["contacts"][0]["phone_numbers"] = ["+34 12"]
    clusters[2]["programmes"] = [{**clusters[1]["programmes"][0], "end_date": "2001-01-01"}]
    Cluster.objects.all().delete()
    with pytest.raises(CommandError) as error:
        import_file(write(tmp_path, "bad.json", json.dumps(document)))
    message = str(error.value)
    assert "Cluster 1 (alpha-plain-cluster): management_staff_count: -4 is less than" in message
    assert "Cluster 2 (smart-city-cluster): contacts.0.phone_numbers.0:" in message
    assert "Cluster 3 (zeta-partner-cluster): Interreg SUDOE Smart Towns: " in message
    assert "cannot end before it starts" in message
    assert not Cluster.objects.exists()


def test_a_file_that_cannot_be_read_gets_a_clear_message(tmp_path):
    cases = {
        "latin1.csv": "slug,name\nsevilla,Caf\xe9\n".encode("latin-1"),
        "columns.csv": "slug,nmae\nx,y\n",
        "broken.json": "{not json",
        "clusters.txt": "slug\n",
    }
    expected = {
        "latin1.csv": "not UTF-8",
        "columns.csv": "Unknown column(s): nmae",
        "broken.json": "not valid JSON",
        "clusters.txt": "Give a .csv or .json file",
    }
    for name, content in cases.items():
        with pytest.raises(CommandError, match=re.escape(expected[name])):
            import_file(write(tmp_path, name, content))


# Files that are not what the import reads: each refused as a whole with one clear message.
PNG_START = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
MALFORMED = {
    "nul.csv": ("slug,name\nsevilla,Caf\x00e\n", "The file contains a NUL byte at line 2"),
    "spreadsheet.csv": (b"PK\x03\x04\x14\x00\x06\x00", "The file contains a NUL byte at line 1"),
    "image.csv": (PNG_START, "The file is not UTF-8 text."),
    "deep.json": ("[" * 5000 + "]" * 5000, "The JSON is nested too deeply"),
    "deep-cluster.json": (
        '{"clusters": [' + '{"a": ' * 100 + "1" + "}" * 100 + "]}",
        "The JSON is nested too deeply",
    ),
    "long-number.json": ('{"clusters": [' + "1" * 5000 + "]}", "The file is not valid JSON"),
    "big-cell.csv": (
        "slug,name\nbig," + "x" * 200_000 + "\n",
        "A cell is longer than 131,072 characters (line 2)",
    ),
    "empty.csv": ("", "The file is empty."),
    "bom-only.json": ("\ufeff\n", "The file is empty."),
    "header-only.csv": ("slug,name,country\r\n", "The file has a header but no rows"),
    "twice.csv": ("slug,name,slug\na,A,b\n", "Column(s) given twice: slug."),
    "list.json": ("[1, 2]", "The JSON holds no “clusters” list"),
    "text.json": ('"clusters"', "The JSON holds no “clusters” list"),
    "object.json": ('{"clusters": {"slug": "x"}}', "The JSON holds no “clusters” list"),
    "no-clusters.json": ('{"clusters": []}', "The file holds no clusters"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_file_is_refused_by_the_command_with_a_clear_message(tmp_path, name):
    content, expected = MALFORMED[name]
    with pytest.raises(CommandError, match=re.escape(expected)):
        import_file(write(tmp_path, name, content))
    assert not Cluster.objects.exists()


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_file_is_refused_on_the_admin_page_with_a_clear_message(
    editor_client, name
):
    content, expected = MALFORMED[name]
    if name == "empty.csv":  # Django's file field says it first
        expected = "The submitted file is empty."
    response = admin_import(editor_client, _upload(content, name), dry_run="on")
    assert response.status_code == 200
    assert expected in response.text
    assert not Cluster.objects.exists()


def test_json_records_of_the_wrong_kind_are_problems_of_their_row(visitor, tmp_path):
    document = json.loads(download(visitor, "/clusters/export.json"))
    document["clusters"] = [1, {"slug": "x"}]
    with pytest.raises(CommandError) as error:
        import_file(write(tmp_path, "records.json", json.dumps(document)))
    assert "Cluster 1 (?): cluster: 1 is not of type 'object'" in str(error.value)
    assert "Cluster 2 (x): cluster: 'name' is a required property" in str(error.value)
    assert "nothing was imported" in str(error.value)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_file_starting_with_a_utf8_byte_order_mark_is_read(visitor, tmp_path, fmt):
    ClusterFactory(slug="bom", name="BOM Cluster")
    exported = download(visitor, f"/clusters/export.{fmt}")
    bom = "\ufeff".encode()
    # The CSV export carries one already (for Excel), and round-trips as it is downloaded.
    assert exported.startswith(bom) == (fmt == "csv")
    Cluster.objects.all().delete()
    content = exported if fmt == "csv" else bom + exported
    output = import_file(write(tmp_path, f"bom.{fmt}", content))
    assert "Created bom" in output
    assert Cluster.objects.get(slug="bom").name == "BOM Cluster"


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(
    settings, tmp_path, editor_client
):
    settings.IMPORT_MAX_BYTES = 100
    content = csv_text(*[[f"cluster-{n}", f"Cluster {n}", "ES", ""] for n in range(10)])
    with pytest.raises(CommandError, match="The file is larger than 100"):
        import_file(write(tmp_path, "big.csv", content))
    response = admin_import(editor_client, _upload(content, "big.csv"))
    assert "The file is larger than 100" in response.text
    assert not Cluster.objects.exists()


# --- Logos ----------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    """A media folder with one logo, a folder in the logos, and files that are no logos."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "logos" / "sub").mkdir(parents=True)
    (settings.MEDIA_ROOT / "logos" / "smart.png").write_bytes(PNG_START)
    (settings.MEDIA_ROOT / "logos" / "notes.txt").write_text("not an image")
    (settings.MEDIA_ROOT / "secret.png").write_bytes(PNG_START)
    (settings.MEDIA_ROOT / "other").mkdir()
    (settings.MEDIA_ROOT / "other" / "x.png").write_bytes(PNG_START)
    return settings.MEDIA_ROOT


def logo_csv(logo):
    return csv_text(["smart-city", "Smart City Cluster", "ES", logo],
                    columns=("slug", "name", "country", "logo"))


@pytest.mark.parametrize("logo", [
    "/media/logos/", "/media/logos", "/media/", "logos/", "logos/sub",
    "/media/logos/sub/", "/media/logos/missing.png", "/media/logos/notes.txt",
    "/media/logos/../secret.png", "logos/%2e%2e/secret.png", "/media/other/x.png",
    "/etc/passwd", "http://testserver/media/logos/", "logos\\..\\secret.png",
])
def test_a_logo_that_is_not_an_image_file_in_the_logo_folder_is_refused(
    media, tmp_path, logo
):
    cluster = ClusterFactory(slug="smart-city", name="Smart City Cluster", country="ES")
    with pytest.raises(CommandError) as error:
        import_file(write(tmp_path, "logo.csv", logo_csv(logo)))
    assert (
        f"Row 2 (smart-city): logo: “{logo}” is not an image file in this portal's logos/ "
        "folder" in str(error.value)
    )
    assert "nothing was imported" in str(error.value)
    cluster.refresh_from_db()
    assert not cluster.logo


@pytest.mark.parametrize("logo", [
    "logos/smart.png", "/media/logos/smart.png", "/media/logos/../logos/smart.png",
    "http://testserver/media/logos/smart.png", "http://testserver/media/logos/smart%2Epng",
])
def test_a_logo_in_the_logo_folder_is_attached_by_its_name_or_its_address(
    media, tmp_path, logo
):
    import_file(write(tmp_path, "logo.csv", logo_csv(logo)))
    assert Cluster.objects.get(slug="smart-city").logo.name == "logos/smart.png"


def test_a_logo_on_another_site_is_not_attached_and_the_editor_is_told(media, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    path = write(tmp_path, "logo.csv", logo_csv("https://elsewhere.example/media/logos/smart.png"))
    call_command("import_clusters", path, stdout=out, stderr=err)
    assert "logo https://elsewhere.example/media/logos/smart.png is not in this portal's" in (
        err.getvalue()
    )
    assert not Cluster.objects.get(slug="smart-city").logo


def test_a_folder_given_as_logo_is_refused_on_the_admin_page(media, editor_client):
    response = admin_import(editor_client, _upload(logo_csv("/media/logos/")), status="draft")
    assert "Row 2 (smart-city): logo: “/media/logos/” is not an image file" in response.text
    assert not Cluster.objects.exists()


# --- The admin's import page ----------------------------------------------------------------


def test_editor_imports_through_the_admin_after_a_dry_run(editor_client):
    upload = csv_text(["from-admin", "From Admin", "ES", "automotive"])
    assert "Import clusters" in editor_client.get("/admin/profiles/cluster/").text

    response = admin_import(editor_client, _upload(upload), dry_run="on")
    assert response.status_code == 200
    assert re.fullmatch(r"/admin/profiles/cluster/import/\d+/", response.redirect_chain[0][0])
    assert "Dry run: would create 1" in response.text
    assert "Would create" in response.text and "from-admin" in response.text
    assert not Cluster.objects.exists()

    response = admin_import(editor_client, _upload(upload))
    assert "Created 1, updated 0, left 0 unchanged." in response.text
    assert Cluster.objects.get(slug="from-admin").status == Cluster.Status.DRAFT


def test_admin_import_lists_every_problem_and_writes_nothing(editor_client):
    upload = csv_text(["good", "Good", "ES", ""], ["bad", "Bad", "ES", "No Such Sector"])
    response = admin_import(editor_client, _upload(upload), status="published")
    assert "Row 3 (bad): unknown sectoral industry “No Such Sector”" in response.text
    assert "nothing was imported" in response.text
    assert "Would create" not in response.text and "Created" not in response.text
    assert not Cluster.objects.exists()


def test_cluster_staff_cannot_import(client):
    staff = UserFactory(username="staff", is_superuser=False)
    client.force_login(staff)
    response = client.get("/admin/profiles/cluster/import/")
    assert response.status_code == 403


def admin_import(client, upload, status="draft", **data):
    """Posts the import form and follows to the page that shows the outcome."""
    return client.post(
        "/admin/profiles/cluster/import/", {"file": upload, "status": status, **data},
        follow=True,
    )


def _upload(content, name="clusters.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = content if isinstance(content, bytes) else content.encode("utf-8")
    return SimpleUploadedFile(name, data, content_type="text/csv")


# --- Location -------------------------------------------------------------------------------


def test_a_typed_location_is_exported_and_read_back_instead_of_the_gazetteers(
    visitor, tmp_path
):
    # Madrid's gazetteer location is 40.4, -3.7: a location typed by hand differs from it.
    cluster = ClusterFactory(name="Madrid Typed Place", country="ES", city="Madrid",
                             latitude=40.1234, longitude=-3.2)
    located = ClusterFactory(name="Madrid From City", country="ES", city="Madrid")
    document = json.loads(download(visitor, "/clusters/export.json"))
    records = {record["slug"]: record for record in document["clusters"]}
    assert (records[cluster.slug]["latitude"], records[cluster.slug]["longitude"]) == (
        40.1234, -3.2)
    assert records[located.slug]["latitude"] == pytest.approx(40.4, abs=0.1)
    profile = visitor.get(f"/clusters/{cluster.slug}/profile.json").json()
    assert profile["cluster"]["longitude"] == -3.2
    assert visitor.get(f"/api/v1/clusters/{cluster.slug}").json()["cluster"]["latitude"] == 40.1234

    Cluster.objects.all().delete()
    import_file(write(tmp_path, "clusters.json", json.dumps(document)))

    assert Cluster.objects.get(slug=cluster.slug).latitude == 40.1234
    assert Cluster.objects.get(slug=cluster.slug).longitude == -3.2
    again = json.loads(download(visitor, "/clusters/export.json"))
    assert again["clusters"] == document["clusters"]


def test_an_imported_location_out_of_range_is_a_problem_of_its_row(visitor, tmp_path):
    cluster = ClusterFactory(name="Far Away Cluster", country="ES", city="")
    document = json.loads(visitor.get(f"/clusters/{cluster.slug}/profile.json").content)
    document["cluster"]["latitude"], document["cluster"]["longitude"] = 123.0, 4.0
    with pytest.raises(CommandError) as failure:
        import_file(write(tmp_path, "one.json", json.dumps(document)))
    assert "latitude" in str(failure.value)
    assert Cluster.objects.get(slug=cluster.slug).latitude is None
