"""Who works with whom: a cluster's cooperation network (its partners and their partners)
and the portal-wide network of a directory search, laid out with networkx and drawn on the
server as SVG (templates/includes/network_svg.html: no script, no style attribute).

A partnership is a `PartnerCluster` row; two clusters are partners when either names the
other, and the partnership is *reciprocal* when both do. Only published clusters are
nodes; a row naming a cluster outside the portal is drawn by its name on the profile that
names it, without a link (one naming a profile not published is left out).

The layouts are cached under the directory's data version, which every saved or deleted
partnership bumps (through `cluster_portal.changes.clusters_changed`, as any edit of a
profile): a drawing is computed once per change, whoever looks at it. What is cached holds
slugs and country codes, not URLs or names in a language: one entry serves both languages.
"""

import collections
import dataclasses
import math

import networkx as nx
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation.models import PartnerCluster
from directory import index
from directory.models import FacetCount, Partnership, SearchEntry, countries_key
from profiles.countries import country_name
from profiles.models import Cluster

PROFILE_NODES = 40  # the profile's drawing: the cluster, its partners, theirs
PORTAL_NODES = 150  # the portal-wide drawing
# Up to this many partnerships the portal's drawing shows the largest connected groups,
# found among all of them; beyond, the best connected cluster and those nearest to it.
GROUPED_PARTNERSHIPS = 20_000
LABELLED_NODES = 40  # a bigger drawing names only its best connected clusters
CACHE_SECONDS = 24 * 3600  # the data version moves on every change; this only frees memory
LABEL_CHARACTERS = 24
RING = 70  # the portal's drawing: between the rings of a group, one step apart
SPRING_NODES = 60  # a smaller group is laid out by forces (a bigger one would take long)
PUBLISHED = Cluster.Status.PUBLISHED
PORTAL_STEP = 3  # a node of the portal's drawing: no cluster in the middle


@dataclasses.dataclass
class Node:
    key: str  # "c<pk>" for a cluster on the portal, "n<row pk>" for one named outside it
    name: str
    country: str  # a code, named in the visitor's language when shown
    slug: str = ""  # empty outside the portal: no link
    step: int = 0  # 0 the profile's own cluster, 1 a partner, 2 a partner of a partner
    reciprocal: bool = False  # a partner that names the cluster too
    via: list = dataclasses.field(default_factory=list)  # partners' names, for step 2
    partners: int = 0  # on the portal's drawing: partners among the search's clusters
    x: float = 0
    y: float = 0
    labelled: bool = True
    label_above: bool = False  # a partner's label: every other one above its node
    anchor: str = "middle"  # the label's side, away from the centre
    label_x: float = 0
    label_y: float = 0

    @property
    def country_name(self):
        return country_name(self.country) if self.country else ""

    @property
    def short_name(self):
        if len(self.name) <= LABEL_CHARACTERS:
            return self.name
        return self.name[:LABEL_CHARACTERS - 1].rstrip() + "…"

    @property
    def radius(self):
        return 11 if self.step == 0 else 7

    @property
    def accessible_name(self):
        """What a screen reader says of the node (its link's name), also its tooltip."""
        place = f"{self.name} ({self.country_name})" if self.country else self.name
        if self.step == 1 and not self.slug:
            return _("%(cluster)s: partner, not on this portal") % {"cluster": place}
        if self.step == 1 and self.reciprocal:
            return _("%(cluster)s: partner, both name each other") % {"cluster": place}
        if self.step == 1:
            return _("%(cluster)s: partner") % {"cluster": place}
        if self.step == 2:
            return _("%(cluster)s: partner of %(partners)s") % {
                "cluster": place, "partners": ", ".join(self.via)}
        if self.partners:
            return ngettext("%(cluster)s: %(count)s partner", "%(cluster)s: %(count)s partners",
                            self.partners) % {"cluster": place, "count": self.partners}
        return place




@dataclasses.dataclass
class Drawing:
    nodes: list
    # The edges as SVG path data ("M x y L x y M …"): one path for the partnerships one
    # side names, one for the reciprocal ones; a line per edge cost the page more to
    # render than everything else on it.
    edges: str
    reciprocal_edges: str
    width: int
    height: int
    left_out: int = 0  # nodes of the network not drawn (the drawing is bounded)

    @property
    def partners(self):
        return [node for node in self.nodes if node.step == 1]

    @property
    def second_step(self):
        return [node for node in self.nodes if node.step == 2]


def cached(name, compute):
    """`compute()`, kept under the directory's data version (as the directory's counts)."""
    version = index.data_version()
    if version is None:
        return compute()
    return cache.get_or_set(f"cooperation-{name}:{version}", compute, CACHE_SECONDS)


def clusters_near(cluster_ids, steps=2):
    """The ids of the clusters up to `steps` partnerships away from `cluster_ids` (either
    naming the other), themselves excluded: the profiles whose network shows them."""
    near = frontier = set(cluster_ids)
    for _step in range(steps):
        if not frontier:
            break
        pairs = PartnerCluster.objects.filter(
            Q(cluster_id__in=frontier) | Q(partner_id__in=frontier)
        ).values_list("cluster_id", "partner_id")
        frontier = {pk for pair in pairs for pk in pair if pk} - near
        near = near | frontier
    return near - set(cluster_ids)


# --- A profile's network -------------------------------------------------------------------


def profile_network(cluster):
    """The drawing of the published `cluster`'s network, or None when it has no partner."""
    return cached(f"network:{cluster.pk}", lambda: _profile_network(cluster.pk))


def _profile_network(cluster_id):
    named = set()  # (cluster id, partner id): the first names the second, both published
    outside = []
    rows = PartnerCluster.objects.filter(
        Q(cluster_id=cluster_id) | Q(partner_id=cluster_id, cluster__status=PUBLISHED)
    ).values_list("pk", "cluster_id", "partner_id", "partner__status", "name", "country")
    for pk, named_by, partner_id, partner_status, name, country in rows.order_by("position", "pk"):
        if named_by != cluster_id:
            named.add((named_by, cluster_id))
        elif partner_id and partner_status == PUBLISHED:
            named.add((cluster_id, partner_id))
        elif not partner_id:  # a profile not published is left out, not named
            outside.append(Node(f"n{pk}", name, str(country), step=1))
    partners = {a if b == cluster_id else b for a, b in named}
    if not partners and not outside:
        return None
    if partners:
        among = PartnerCluster.objects.filter(
            Q(cluster_id__in=partners, partner__status=PUBLISHED)
            | Q(partner_id__in=partners, cluster__status=PUBLISHED)
        ).values_list("cluster_id", "partner_id")
        named.update(among)
    graph = _graph(named)
    # The partners first (those naming each other first), then the partners of partners
    # linked to the most partners; the drawing stops at PROFILE_NODES.
    def reciprocal(pk):
        return (cluster_id, pk) in named and (pk, cluster_id) in named

    first = sorted(partners, key=lambda pk: (not reciprocal(pk), pk))
    room = PROFILE_NODES - 1
    outside_count, partner_count = len(outside), len(first)
    outside = outside[:max(0, room - len(first))]
    first = first[:room - len(outside)]
    kept_first = set(first)
    second = collections.Counter(
        other for pk in first for other in graph[pk]
        if other != cluster_id and other not in partners
    )
    ranked = sorted(second, key=lambda pk: (-second[pk], pk))
    kept_second = ranked[:room - len(first) - len(outside)]
    left_out = (partner_count - len(first) + outside_count - len(outside)
                + len(second) - len(kept_second))

    ids = [cluster_id, *first, *kept_second]
    facts = {pk: (slug, name, str(country)) for pk, slug, name, country in
             Cluster.objects.filter(pk__in=ids).values_list("pk", "slug", "name", "country")}
    nodes = {pk: Node(f"c{pk}", facts[pk][1], facts[pk][2], slug=facts[pk][0]) for pk in ids}
    nodes[cluster_id].step = 0
    for pk in first:
        nodes[pk].step = 1
        nodes[pk].reciprocal = reciprocal(pk)
    for pk in kept_second:
        nodes[pk].step = 2
        nodes[pk].via = sorted(nodes[other].name for other in graph[pk] if other in kept_first)
    drawn = nx.Graph()
    drawn.add_nodes_from(ids)
    drawn.add_edges_from(
        (a, b) for a, b in graph.edges(ids)
        if a in nodes and b in nodes and (nodes[a].step < 2 or nodes[b].step < 2)
    )
    for node in outside:
        drawn.add_edge(cluster_id, node.key)
        nodes[node.key] = node
    # A radial layout: the cluster in the middle, its partners around it, each partner of a
    # partner outside the partner it is reached through (the first one, in drawing order).
    ring_one = [*first, *(node.key for node in outside)]
    order = {pk: place for place, pk in enumerate(ring_one)}
    for key, place in order.items():  # neighbours' labels one above, one below: no overlap
        nodes[key].label_above = place % 2 == 1
    children = {cluster_id: ring_one}
    for pk in kept_second:
        parent = min((other for other in graph[pk] if other in kept_first), key=order.get)
        children.setdefault(parent, []).append(pk)
    positions = _fit(_radial(children, cluster_id), 760, 560, (175, 40))
    return _draw(nodes, drawn, named, positions, 760, 560, left_out=left_out)


def _graph(named):
    """The undirected graph of the `named` (a, b) pairs: a partnership either way is one edge
    (whether it is reciprocal is asked of `named` for the edges drawn)."""
    graph = nx.Graph()
    graph.add_edges_from(named)
    return graph


def _draw(nodes, graph, named, positions, width, height, left_out=0, labelled=None,
          centres=None):
    """The Drawing of `graph` with its nodes at `positions` (points of the drawing), each
    label on the side away from its group's centre (`centres`, or the drawing's); an edge
    both of whose ends name the other (in `named`) is reciprocal."""
    for key, (x, y) in positions.items():
        node = nodes[key]
        node.x, node.y = round(x, 1), round(y, 1)
        node.labelled = labelled is None or key in labelled
        _place_label(node, *(centres or {}).get(key, (width / 2, height / 2)))
    _keep_labels_apart([nodes[key] for key in positions])
    paths = {False: [], True: []}
    for a, b in graph.edges():
        paths[(a, b) in named and (b, a) in named].append(
            f"M{nodes[a].x} {nodes[a].y}L{nodes[b].x} {nodes[b].y}")
    ordered = sorted(nodes.values(), key=lambda node: (node.step, node.name))
    return Drawing(ordered, "".join(paths[False]), "".join(paths[True]), width, round(height),
                   left_out)


def _place_label(node, centre_x, centre_y):
    """The label beside its node, on the side away from the centre of the drawing."""
    dx, dy = node.x - centre_x, node.y - centre_y
    gap = node.radius + 4
    if node.step == 0 or math.hypot(dx, dy) < 1:
        node.anchor, node.label_x, node.label_y = "middle", node.x, node.y + gap + 11
    elif node.step == 1 or abs(dx) < abs(dy) * 0.35:
        # A partner's label centred below it, or above (every other one, so that two
        # neighbours' labels never meet), clear of the edges to its own partners outside;
        # near the top or the bottom, centred above or below.
        node.anchor, node.label_x = "middle", node.x
        below = not node.label_above if node.step == 1 else dy > 0
        node.label_y = node.y + gap + 11 if below else node.y - gap
    else:
        node.anchor = "start" if dx > 0 else "end"
        node.label_x = node.x + (gap if dx > 0 else -gap)
        node.label_y = node.y + 4


LABEL_HEIGHT = 14  # a label's box: its line, in points of the drawing (12-point text)
CHARACTER_WIDTH = 6.6  # an average character of the label's font at 12 points


def _keep_labels_apart(nodes):
    """Move a label that would overlap another label or a node to the first free side of
    its node (right, left, above, below); where none is free, leave it out: the node's
    name stays in its tooltip, its accessible name and the lists beside the drawing. The
    cluster in the middle and the best connected clusters keep theirs first."""
    taken = [(node.x - node.radius, node.y - node.radius, node.x + node.radius,
              node.y + node.radius) for node in nodes]
    for node in sorted(nodes, key=lambda node: (node.step, -node.partners, node.name)):
        if not node.labelled:
            continue
        gap = node.radius + 4
        placements = [(node.anchor, node.label_x, node.label_y),
                      ("start", node.x + gap, node.y + 4), ("end", node.x - gap, node.y + 4),
                      ("middle", node.x, node.y - gap), ("middle", node.x, node.y + gap + 11)]
        for anchor, x, y in placements:
            box = _label_box(node, anchor, x, y)
            if not any(_overlap(box, other) for other in taken):
                node.anchor, node.label_x, node.label_y = anchor, round(x, 1), round(y, 1)
                taken.append(box)
                break
        else:
            node.labelled = False


def _label_box(node, anchor, x, y):
    width = len(node.short_name) * CHARACTER_WIDTH * (1.1 if node.step == 0 else 1)
    left = {"start": x, "end": x - width}.get(anchor, x - width / 2)
    return (left, y - LABEL_HEIGHT + 3, left + width, y + 3)


def _overlap(one, other):
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def _radial(children, root):
    """Positions of a tree {node: [children]} (within -1…1, y up): `root` in the middle, each
    depth on a ring, each node's subtree in a slice of its parent's proportional to its
    leaves, starting at the top and going clockwise. (networkx's own layouts need numpy.)"""
    leaves = {}

    def count(node):
        leaves[node] = sum(count(child) for child in children.get(node, [])) or 1
        return leaves[node]

    count(root)
    depth = max(_depths(children, root).values()) or 1
    positions, slices = {}, [(root, 0, 0.0, 2 * math.pi)]
    while slices:
        node, level, start, end = slices.pop()
        angle = math.pi / 2 - (start + end) / 2
        positions[node] = (level / depth * math.cos(angle), level / depth * math.sin(angle))
        width = end - start
        for child in children.get(node, []):
            span = width * leaves[child] / leaves[node]
            slices.append((child, level + 1, start, start + span))
            start += span
    return positions


def _spring(positions, edges, iterations=60):
    """Fruchterman and Reingold's forces from `positions` (linked nodes pull, all push), in
    pure Python for a small group: a tree's chains (a partner of a partner of a partner)
    fold up instead of running in straight lines. Deterministic: the same start, the same
    drawing. Centred on the origin again."""
    keys = list(positions)
    if len(keys) < 3:
        return positions
    points = {key: list(positions[key]) for key in keys}
    k = 2 / math.sqrt(len(keys))
    heat = 0.2
    for step in range(iterations):
        moves = {key: [0.0, 0.0] for key in keys}
        for position, a in enumerate(keys):
            ax, ay = points[a]
            for b in keys[position + 1:]:
                dx, dy = ax - points[b][0], ay - points[b][1]
                distance_2 = max(dx * dx + dy * dy, 1e-4)
                force = k * k / distance_2
                moves[a][0] += dx * force
                moves[a][1] += dy * force
                moves[b][0] -= dx * force
                moves[b][1] -= dy * force
        for a, b in edges:
            dx, dy = points[a][0] - points[b][0], points[a][1] - points[b][1]
            distance = math.hypot(dx, dy) or 1e-2
            force = distance / k
            moves[a][0] -= dx * force
            moves[a][1] -= dy * force
            moves[b][0] += dx * force
            moves[b][1] += dy * force
        limit = heat * (1 - step / iterations)
        for key in keys:
            mx, my = moves[key]
            length = math.hypot(mx, my)
            if length > limit:
                mx, my = mx / length * limit, my / length * limit
            points[key][0] += mx
            points[key][1] += my
    xs = [x for x, _y in points.values()]
    ys = [y for _x, y in points.values()]
    middle = ((max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2)
    return {key: (x - middle[0], y - middle[1]) for key, (x, y) in points.items()}


def _depths(children, root):
    depths, todo = {root: 0}, [root]
    while todo:
        node = todo.pop()
        for child in children.get(node, []):
            depths[child] = depths[node] + 1
            todo.append(child)
    return depths


def _fit(positions, width, height, margin):
    """Positions (within -1…1, y up) as points of a width × height drawing,
    leaving `margin` (x, y) for the labels."""
    # Around the origin (the tree's root), which stays in the middle.
    reach = max(max(abs(x), abs(y)) for x, y in positions.values()) or 1
    scale = min(width / 2 - margin[0], height / 2 - margin[1]) / reach
    return {key: (width / 2 + x * scale, height / 2 - y * scale)
            for key, (x, y) in positions.items()}


# --- The portal's network, for a directory search ------------------------------------------


@dataclasses.dataclass
class Group:
    size: int | None  # clusters of the search in this connected group (None: not counted)
    drawn: int


@dataclasses.dataclass
class CountryPair:
    first: str
    second: str
    partnerships: int
    query: str  # the directory's search for the clusters of both countries

    @property
    def first_name(self):
        return country_name(self.first)

    @property
    def second_name(self):
        return country_name(self.second)


@dataclasses.dataclass
class PortalNetwork:
    drawing: Drawing | None
    groups: list
    partnerships: int  # between two of the matching clusters, one either way
    country_pairs: list


def portal_network(search):
    """The network of the clusters matching the directory `search` (a ClusterFilter):
    partnerships between two of them, cached as the search's counts are."""
    return search.cached_for_search("network", lambda: _portal_network(search))


def _portal_network(search):
    published = Cluster.objects.published()
    matched = search.matching(published)
    links = Partnership.objects.order_by()
    entries = SearchEntry.objects.order_by()
    if matched is published:  # no search: the counts the index keeps
        country_pairs = _country_pairs(search, FacetCount.objects.filter(
            facet=index.PARTNERSHIPS, clusters__gt=0).values_list("value", "clusters"))
    else:  # a search: both partners among its matches (their ids when few, read once)
        ids = search.few_match_ids() or matched.values("pk")
        links = links.filter(first__in=ids, second__in=ids)
        entries = entries.filter(cluster__in=ids)
        country_pairs = _country_pairs(search, (
            (countries_key(first, second), count) for first, second, count in
            links.values_list("first_country", "second_country").annotate(count=Count("pk"))))
    partnerships = sum(pair.partnerships for pair in country_pairs)
    if not partnerships:
        return PortalNetwork(None, [], 0, [])
    if partnerships > GROUPED_PARTNERSHIPS:
        # Too many to sort into groups in the time of a page: the best connected cluster
        # and those closest to it, found in a few queries.
        named = _around_best_connected(links, entries)
        graph = _graph(named)
        drawing = _portal_drawing(graph, named, [sorted(graph)])
        drawing.left_out = None  # not counted
        return PortalNetwork(drawing, [Group(None, len(drawing.nodes))], partnerships,
                             country_pairs)
    named = _named(links)
    # The groups are found over plain sets (a graph of networkx for some 20,000 partnerships
    # took longer than the rest of the page); networkx lays out only the clusters drawn.
    neighbours = collections.defaultdict(set)
    for a, b in named:
        neighbours[a].add(b)
        neighbours[b].add(a)
    components = sorted(_connected_groups(neighbours), key=lambda group: (-len(group),
                                                                         min(group)))
    chosen, groups, room = [], [], PORTAL_NODES
    for component in components:
        size = len(component)
        if size > room:
            if chosen:
                break
            # The largest group alone is too big: its best connected cluster, and those
            # closest to it, as far as the drawing has room.
            start = max(component, key=lambda pk: (len(neighbours[pk]), -pk))
            component = _nearest(neighbours, start, room)
        chosen.append(sorted(component))
        groups.append(Group(size, len(component)))
        room -= len(component)
        if not room:
            break
    drawn = {pk for component in chosen for pk in component}
    graph = _graph({(a, b) for a, b in named if a in drawn and b in drawn})
    drawing = _portal_drawing(graph, named, chosen,
                              degrees={pk: len(neighbours[pk]) for pk in drawn})
    drawing.left_out = len(neighbours) - len(drawing.nodes)
    return PortalNetwork(drawing, groups, partnerships, country_pairs)


def _connected_groups(neighbours):
    """The sets of clusters linked to each other through partnerships, in `neighbours`
    ({cluster: its partners})."""
    seen = set()
    for start in neighbours:
        if start in seen:
            continue
        group, frontier = {start}, [start]
        while frontier:
            frontier = [other for pk in frontier for other in neighbours[pk]
                        if other not in group and not group.add(other)]
        seen |= group
        yield group


def _nearest(neighbours, start, count):
    """The `count` clusters nearest to `start`, breadth first, partners in id order (as
    networkx's `bfs_tree(…, sort_neighbors=sorted)` visits them)."""
    order, seen, position = [start], {start}, 0
    while position < len(order) and len(order) < count:
        for other in sorted(neighbours[order[position]]):
            if other not in seen:
                seen.add(other)
                order.append(other)
        position += 1
    return order[:count]


def _named(partnerships):
    """The (a, b) pairs of the `Partnership`s: a names b; both ways when reciprocal."""
    named = set()
    for first, second, reciprocal in partnerships.values_list("first_id", "second_id",
                                                              "reciprocal"):
        named.add((first, second))
        if reciprocal:
            named.add((second, first))
    return named


def _country_pairs(search, counts):
    """[CountryPair] of the ("DE-FR", partnerships) `counts`, the most first."""
    pairs = []
    for key, count in counts:
        first, second = key.split("-")
        pairs.append(CountryPair(first, second, count,
                                 search.replaced("country", sorted({first, second}))))
    return sorted(pairs, key=lambda pair: (-pair.partnerships, pair.first, pair.second))


def _around_best_connected(links, entries):
    """The (a, b) pairs among the best connected cluster of `entries` (its partners on the
    whole portal) and the PORTAL_NODES - 1 clusters of `links` closest to it, nearest
    first."""
    best = entries.filter(partners__gt=0).order_by("-partners", "cluster_id").values_list(
        "cluster_id", flat=True).first()
    seen, frontier = {best}, {best}
    while frontier and len(seen) < PORTAL_NODES:
        pairs = links.filter(
            Q(first_id__in=frontier) | Q(second_id__in=frontier)
        ).values_list("first_id", "second_id")
        found = sorted({pk for pair in pairs for pk in pair} - seen)
        frontier = set(found[:PORTAL_NODES - len(seen)])
        seen |= frontier
    return _named(links.filter(first_id__in=seen, second_id__in=seen))


def _portal_drawing(graph, named, components, width=960, degrees=None):
    """Each group laid out by networkx's spring layout (a fixed seed: the same drawing every
    time) in a square sized by its clusters, the squares in rows, the largest first. A
    cluster's `degrees` (its partners among the search's clusters, drawn or not) rank it;
    by default its partners in `graph`."""
    ids = [pk for component in components for pk in component]
    degrees = degrees or dict(graph.degree(ids))
    nodes = {pk: Node(f"c{pk}", name, str(country), slug=slug, step=PORTAL_STEP,
                      partners=degrees[pk])
             for pk, slug, name, country in Cluster.objects.filter(pk__in=ids)
             .values_list("pk", "slug", "name", "country")}
    labelled = None
    if len(ids) > LABELLED_NODES:
        labelled = set(sorted(ids, key=lambda pk: (-degrees[pk], pk))[:LABELLED_NODES // 2])
    margin = 150 if labelled is None else 40  # room for the labels around a group
    positions, centres, x, y, row_height, used = {}, {}, 0, 0, 0, 0
    for component in components:
        # Each group as the tree of its best connected cluster's shortest paths, one ring
        # per step away from it, in a square sized by its number of steps.
        root = max(component, key=lambda pk: (degrees[pk], -pk))
        tree = nx.bfs_tree(graph.subgraph(component), root, sort_neighbors=sorted)
        children = {node: list(tree.successors(node)) for node in tree}
        layout = _radial(children, root)
        height = None
        if len(component) <= SPRING_NODES:
            # From a circle in the tree's order: the forces then fold the group into a
            # round shape, where a tree's rings would leave its chains in straight lines.
            order = list(tree)
            start = {pk: (math.cos(2 * math.pi * i / len(order)),
                          math.sin(2 * math.pi * i / len(order))) for i, pk in enumerate(order)}
            layout = _spring(start, graph.subgraph(component).edges())
            side = 2 * (RING * 1.2 * math.sqrt(len(component)) + margin)
            # As tall as the group is: a flat one leaves no empty band above and below.
            reach_x = max(abs(px) for px, _py in layout.values()) or 1
            reach_y = max(abs(py) for _px, py in layout.values()) or 1
            height = min(side, 2 * (reach_y / reach_x * (side / 2 - margin) + 30))
        else:
            side = 2 * (max(_depths(children, root).values()) * RING + margin)
        side = min(width, round(side))
        height = round(height or side)
        if x + side > width:
            x, y, row_height = 0, y + row_height, 0
        for pk, (px, py) in _fit(layout, side, height, (margin, 30)).items():
            positions[pk] = (x + px, y + py)
            centres[pk] = (x + side / 2, y + height / 2)
        x, row_height = x + side, max(row_height, height)
        used = max(used, x)
    drawn = graph.subgraph(ids)
    return _draw(nodes, drawn, named, positions, used, y + row_height, labelled=labelled,
                 centres=centres)
