"""The cooperation network: on a profile's Cooperation tab (its partners and theirs) and at
/clusters/network/ for a directory search, drawn as SVG with only published clusters."""

import html
import re

import pytest

from tests.factories import (
    ClusterFactory,
    PartnerClusterFactory,
    SectoralIndustryFactory,
    SuperuserFactory,
)
from tests.forms import add_inline_row, form_data
from tests.pdfs import pdf_text, read_pdf

pytestmark = pytest.mark.django_db


def partner(cluster, other, **kwargs):
    return PartnerClusterFactory(cluster=cluster, partner=other, name=other.name,
                                 country=other.country, **kwargs)


@pytest.fixture
def network():
    """Hub names Near (who names it back) and Far-off (outside the portal); Near names
    Second, who names Third (who names one outside the portal); Draft names Hub and is
    named by Near."""
    energy = SectoralIndustryFactory(name="Energy")
    hub = ClusterFactory(name="Hub Cluster", country="ES", sectoral_industries=[energy])
    near = ClusterFactory(name="Near Cluster", country="PT", sectoral_industries=[energy])
    second = ClusterFactory(name="Second Cluster", country="FR")
    third = ClusterFactory(name="Third Cluster", country="IT")
    draft = ClusterFactory(name="Hidden Draft Cluster", country="DE", draft=True)
    partner(hub, near)
    partner(near, hub)
    PartnerClusterFactory(cluster=hub, name="Far-off Network", country="NO")
    partner(near, second)
    partner(second, third)
    PartnerClusterFactory(cluster=third, name="Lone Outside Partner", country="GR")
    partner(draft, hub)
    partner(near, draft)
    return {"hub": hub, "near": near, "second": second, "third": third, "draft": draft}


def svg_of(page):
    match = re.search(r'<svg class="network-svg".*?</svg>', page, re.S)
    assert match, "no network drawn"
    return match.group(0)


def node_links(svg):
    return dict(re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg))


def test_the_profile_draws_partners_and_their_partners_but_not_three_steps(visitor, network):
    page = visitor.get("/clusters/hub-cluster/cooperation/").text
    links = node_links(svg_of(page))
    assert links["/clusters/near-cluster/"] == (
        "Near Cluster (Portugal): partner, both name each other")
    assert links["/clusters/second-cluster/"] == "Second Cluster (France): partner of Near Cluster"
    assert "/clusters/third-cluster/" not in links
    assert "Third Cluster" not in page


def test_reciprocal_partnerships_are_marked_in_the_drawing_and_the_list(visitor, network):
    page = visitor.get("/clusters/hub-cluster/cooperation/").text
    svg = svg_of(page)
    assert svg.count('class="network-edge network-edge-reciprocal"') == 1
    assert "Both name each other (reciprocal)" in page  # the legend
    listed = re.search(r'<h4 class="h6">Partners</h4>(.*?)</ul>', page, re.S).group(1)
    assert re.search(r'Near Cluster</a>.*?both name each other', listed, re.S)


def test_a_partner_outside_the_portal_is_named_without_a_link(visitor, network):
    page = visitor.get("/clusters/hub-cluster/cooperation/").text
    svg = svg_of(page)
    assert 'aria-label="Far-off Network (Norway): partner, not on this portal"' in svg
    assert re.search(r'<g role="img" aria-label="Far-off Network[^"]*">', svg)
    assert not re.search(r'<a [^>]*>[^<]*Far-off', page)


def test_a_draft_cluster_never_appears_in_a_network(visitor, network):
    for slug in ["hub-cluster", "near-cluster", "second-cluster"]:
        page = visitor.get(f"/clusters/{slug}/cooperation/").text
        assert "Hidden Draft" not in svg_of(page)
        assert "hidden-draft-cluster" not in page
    page = visitor.get("/clusters/network/").text
    assert "Hidden Draft" not in page


def test_the_drawing_holds_no_script_and_no_outside_reference(visitor, network):
    for url in ["/clusters/hub-cluster/cooperation/", "/clusters/network/",
                "/es/clusters/network/"]:
        svg = svg_of(visitor.get(url).text)
        assert "<script" not in svg and "style=" not in svg
        assert not re.search(r"\son\w+=", svg)  # no event handler attribute
        assert not re.search(r'(href|src)="(https?:)?//', svg)
        assert "xlink" not in svg and "<image" not in svg and "<foreignObject" not in svg
        # Points in the SVG's own notation whatever the language (not "12,5").
        assert not re.search(r'\b(cx|x1)="\d+,\d', svg)


def test_the_print_page_shows_the_network(visitor, network):
    page = visitor.get("/clusters/hub-cluster/print/").text
    assert "Cooperation network" in page and 'href="/clusters/near-cluster/"' in svg_of(page)


def test_the_spanish_profile_names_its_network_in_spanish(visitor, network):
    page = visitor.get("/es/clusters/hub-cluster/cooperation/").text
    assert "Red de cooperación" in page
    assert 'href="/es/clusters/near-cluster/"' in svg_of(page)
    assert "ambos se nombran" in page


def test_the_portal_network_follows_the_search(visitor, network):
    page = visitor.get("/clusters/network/").text
    links = node_links(svg_of(page))
    assert {"/clusters/hub-cluster/", "/clusters/near-cluster/", "/clusters/second-cluster/",
            "/clusters/third-cluster/"} <= set(links)
    assert "Spain – Portugal" in page  # Hub and Near: one partnership (both name each other)
    assert re.search(r"Spain – Portugal</a></th><td[^>]*>1<", page)
    narrowed = visitor.get("/clusters/network/?sector=energy").text
    assert set(node_links(svg_of(narrowed))) == {"/clusters/hub-cluster/",
                                                 "/clusters/near-cluster/"}
    assert "France" not in re.search(r"<table.*?</table>", narrowed, re.S).group(0)
    assert 'aria-current="page">Network<' in narrowed


def test_a_search_without_partnerships_says_so(visitor, network):
    page = visitor.get("/clusters/network/?country=DE").text
    assert "None of the matching clusters names another of them as a partner." in page


def test_the_cached_network_changes_after_a_partnership_is_added_in_the_admin(client, network):
    first = svg_of(client.get("/clusters/third-cluster/cooperation/").text)
    assert "/clusters/hub-cluster/" not in first  # three steps away
    assert client.get("/clusters/third-cluster/cooperation/")["X-Cache"] == "hit"
    staff = SuperuserFactory(username="network-editor")
    editor = type(client)()
    editor.force_login(staff)
    url = f"/admin/profiles/cluster/{network['third'].pk}/change/"
    data = add_inline_row(form_data(editor.get(url).text, "cluster_form"), "partners",
                          partner=str(network["hub"].pk), name="", country="", link="",
                          position="5")
    response = editor.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    # Third's page, and Near's (Hub is its partner): both drawn afresh.
    after = svg_of(client.get("/clusters/third-cluster/cooperation/").text)
    assert 'href="/clusters/hub-cluster/"' in after
    near = node_links(svg_of(client.get("/clusters/near-cluster/cooperation/").text))
    assert near["/clusters/third-cluster/"] == (
        "Third Cluster (Italy): partner of Hub Cluster, Second Cluster")


def test_a_partner_removed_in_the_admin_leaves_the_partners_network(client, network):
    assert "/clusters/second-cluster/" in node_links(
        svg_of(client.get("/clusters/third-cluster/cooperation/").text))
    staff = SuperuserFactory(username="network-editor")
    editor = type(client)()
    editor.force_login(staff)
    url = f"/admin/profiles/cluster/{network['second'].pk}/change/"
    data = form_data(editor.get(url).text, "cluster_form")
    data["partners-0-DELETE"] = "on"
    assert editor.post(url, data).status_code == 302
    # Second names Third no more: Third's cached page is drawn afresh without it.
    links = node_links(svg_of(client.get("/clusters/third-cluster/cooperation/").text))
    assert "/clusters/second-cluster/" not in links


def test_a_big_network_is_drawn_bounded_and_says_how_many_are_left_out(visitor):
    hub = ClusterFactory(name="Busy Hub", country="ES")
    for number in range(42):
        partner(hub, ClusterFactory(name=f"Partner {number:02}", country="FR"))
    page = visitor.get("/clusters/busy-hub/cooperation/").text
    assert len(node_links(svg_of(page))) == 39  # with the hub itself, 40 drawn
    assert "3 more clusters of the network are not drawn." in page


def test_beyond_the_grouped_limit_the_portal_draws_the_best_connected_cluster(
        visitor, network, monkeypatch):
    from cooperation import network as drawing

    monkeypatch.setattr(drawing, "GROUPED_PARTNERSHIPS", 2)
    page = visitor.get("/clusters/network/").text
    assert "the one with the most partners and those closest to it" in page
    # Near names three published partners: it and the clusters around it are drawn.
    assert {"/clusters/near-cluster/", "/clusters/hub-cluster/", "/clusters/second-cluster/",
            "/clusters/third-cluster/"} == set(node_links(svg_of(page)))
    assert re.search(r"Spain – Portugal</a></th><td[^>]*>1<", page)


def test_the_pdf_leaves_the_network_out(visitor, network):
    # The PDF is kept until its own profile changes; the network follows its partners' too.
    text = pdf_text(read_pdf(visitor.get("/clusters/hub-cluster/profile.pdf")))
    assert "Near Cluster" in text  # the partners' list of the Cooperation tab
    assert "Cooperation network" not in text and "Second Cluster" not in text


def label_boxes(svg):
    from cooperation.network import CHARACTER_WIDTH, LABEL_HEIGHT

    boxes = []
    for x, y, anchor, text in re.findall(
            r'<text class="network-label[^"]*" x="([\d.]+)" y="([\d.]+)" '
            r'text-anchor="(\w+)">([^<]+)</text>', svg):
        x, y, width = float(x), float(y), len(html.unescape(text)) * CHARACTER_WIDTH
        left = {"start": x, "end": x - width}.get(anchor, x - width / 2)
        boxes.append((left, y - LABEL_HEIGHT + 3, left + width * 0.95, y + 3))
    return boxes


def test_no_two_labels_of_a_crowded_drawing_overlap(visitor):
    hub = ClusterFactory(name="Busy Hub", country="ES")
    others = [ClusterFactory(name=f"Partner Cluster Number {n:02}", country="FR")
              for n in range(30)]
    for number, other in enumerate(others):
        partner(hub, other)
        if number % 3 == 0:  # a few partners of partners, close together
            partner(other, others[(number + 1) % 30])
    for url in ("/clusters/busy-hub/cooperation/", "/clusters/network/"):
        boxes = label_boxes(svg_of(visitor.get(url).text))
        assert len(boxes) > 10
        for position, box in enumerate(boxes):
            for other in boxes[position + 1:]:
                apart = (box[2] <= other[0] or other[2] <= box[0]
                         or box[3] <= other[1] or other[3] <= box[1])
                assert apart, (url, box, other)
