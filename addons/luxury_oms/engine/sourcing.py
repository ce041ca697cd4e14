"""Sourcing: which site ships or prepares each line of an order, and why.

Plain Python over plain data (no Odoo import) so that "why was this order sent to
Milan?" can be answered by reading this one file, and tested without a database.

How an order is sourced:

1. The first rule of the strategy whose filters all match the order is used
   (an empty filter matches everything). No rule matching: the strategy's
   fallback rule, if any, else no plan.
2. Eligible sites: not excluded (re-sourcing), with the required capability,
   with capacity left today, and with stock (ATS) for at least one line.
3. Each eligible site gets a score per ranking criterion in 0..1; its total is
   the weighted mean of those scores (weights 0..100).
4. Splits only when needed: when one eligible site can serve every line, the
   best-scored of those sites serves the whole order. Otherwise sites are taken
   greedily by score, the "fewest parcels" criterion being re-evaluated on what
   is still to serve, until every line is served or stock runs out.
5. One parcel wanted (client or channel) and several sites needed: the order is
   consolidated at the pickup site or at the best luxury-packaging DC, the other
   sites transfer their part there, and one parcel leaves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field

CRITERIA = ("distance", "fewest_parcels", "site_type", "stock_depth", "capacity", "cost")
WEIGHT_MIN = 0
WEIGHT_MAX = 100
EARTH_RADIUS_KM = 6371.0088

# Why a plan looks the way it does: the model turns these codes into sentences.
REASON_SINGLE_SITE = "single_site"
REASON_SPLIT = "split"
REASON_CONSOLIDATION = "consolidation"
REASON_NO_CONSOLIDATION_SITE = "no_consolidation_site"
# The hub that would have been chosen has no parcels left today: another one was.
REASON_BEST_HUB_FULL = "best_hub_full"
# Every hub has spent its day: the consolidated parcel leaves on the next one.
REASON_HUBS_FULL = "hubs_full"
REASON_SHORT = "short"
REASON_NO_SITE = "no_site"


@dataclass(frozen=True, slots=True)
class Site:
    """A candidate site, as the engine needs it."""

    id: int
    site_type: str
    latitude: float
    longitude: float
    capabilities: frozenset = frozenset()
    daily_capacity: int = 0
    capacity_left: int = 0
    cost: float = 0.0


@dataclass(frozen=True, slots=True)
class Line:
    id: int
    product_id: int
    qty: float
    categ_ids: frozenset = frozenset()  # the product's category and all its parents


@dataclass(frozen=True, slots=True)
class Order:
    lines: tuple
    channel_id: int | None = None
    country_id: int | None = None
    region_ids: frozenset = frozenset()  # country groups the destination belongs to
    latitude: float | None = None
    longitude: float | None = None
    tier_rank: int | None = None
    amount: float = 0.0
    single_parcel: bool = False
    required_capability: str = "ships_parcels"
    pickup_site_id: int | None = None
    excluded_site_ids: frozenset = frozenset()
    # A consolidation site already chosen (re-sourcing part of a consolidated order).
    consolidation_site_id: int | None = None


@dataclass(frozen=True, slots=True)
class Criterion:
    kind: str
    weight: float
    site_types: tuple = ()  # for "site_type": preferred types, best first


@dataclass(frozen=True, slots=True)
class Rule:
    id: int
    criteria: tuple
    name: str = ""
    channel_ids: frozenset = frozenset()
    country_ids: frozenset = frozenset()
    region_ids: frozenset = frozenset()
    min_tier_rank: int | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    categ_ids: frozenset = frozenset()


@dataclass(slots=True)
class Candidate:
    site_id: int
    total: float = 0.0
    scores: dict = field(default_factory=dict)
    distance_km: float | None = None
    servable_qty: float = 0.0
    serves_all: bool = False
    chosen: bool = False


@dataclass(frozen=True, slots=True)
class Allocation:
    line_id: int
    site_id: int | None
    qty: float
    short: bool = False


@dataclass(slots=True)
class Plan:
    rule_id: int | None
    candidates: list
    allocations: list
    reasons: list
    consolidation_site_id: int | None = None

    @property
    def site_ids(self):
        return sorted({a.site_id for a in self.allocations if a.site_id and not a.short})

    @property
    def is_split(self):
        return len(self.site_ids) > 1

    @property
    def shipping_site_ids(self):
        """Sites a parcel leaves from: the consolidation site alone, or every site."""
        if self.consolidation_site_id:
            return [self.consolidation_site_id]
        return self.site_ids


class ConfigurationError(ValueError):
    """A rule or criterion that cannot be used; raised at configuration time."""


# ---------------------------------------------------------------------------
# Validation (called by the models' constraints, so bad input fails early)
# ---------------------------------------------------------------------------


def check_criterion(criterion):
    if criterion.kind not in CRITERIA:
        raise ConfigurationError(f"unknown criterion {criterion.kind!r}")
    if not WEIGHT_MIN <= criterion.weight <= WEIGHT_MAX:
        raise ConfigurationError(
            f"weight {criterion.weight} of criterion {criterion.kind!r} is outside "
            f"{WEIGHT_MIN}..{WEIGHT_MAX}"
        )
    if criterion.kind == "site_type" and not criterion.site_types:
        raise ConfigurationError("criterion 'site_type' needs at least one preferred site type")


def check_rule(rule):
    if not rule.criteria:
        raise ConfigurationError("a rule needs at least one ranking criterion")
    for criterion in rule.criteria:
        check_criterion(criterion)
    if not any(c.weight > 0 for c in rule.criteria):
        raise ConfigurationError("at least one criterion of a rule needs a weight above 0")
    bounded = rule.min_amount is not None and rule.max_amount is not None
    if bounded and rule.min_amount > rule.max_amount:
        raise ConfigurationError("the minimum order value is above the maximum")


# ---------------------------------------------------------------------------
# Rule matching
# ---------------------------------------------------------------------------


def rule_matches(rule, order, order_categ_ids):
    """True when every filter of ``rule`` accepts ``order`` (empty filter = any).

    Country and region filters are alternatives: a rule for "France or the
    Benelux group" matches either. A category filter matches when at least one
    line's product sits in one of the categories (or below them).
    """
    if rule.channel_ids and order.channel_id not in rule.channel_ids:
        return False
    if rule.country_ids or rule.region_ids:
        in_country = order.country_id in rule.country_ids
        if not in_country and rule.region_ids.isdisjoint(order.region_ids):
            return False
    if rule.min_tier_rank is not None and (order.tier_rank or 0) < rule.min_tier_rank:
        return False
    if rule.min_amount is not None and order.amount < rule.min_amount:
        return False
    if rule.max_amount is not None and order.amount > rule.max_amount:
        return False
    return not (rule.categ_ids and rule.categ_ids.isdisjoint(order_categ_ids))


def match_rule(rules, order):
    """The first rule (in the given order) matching ``order``, or None."""
    order_categ_ids = frozenset().union(*(line.categ_ids for line in order.lines))
    for rule in rules:
        if rule_matches(rule, order, order_categ_ids):
            return rule
    return None


# ---------------------------------------------------------------------------
# Criteria: each maps facts about one site to a score in 0..1 (1 = best)
# ---------------------------------------------------------------------------


def haversine_km(lat1, lon1, lat2, lon2):
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def score_lower_is_better(value, best, worst):
    """Linear score: ``best`` scores 1, ``worst`` scores 0 (distance, cost)."""
    if worst <= best:
        return 1.0
    return max(0.0, min(1.0, (worst - value) / (worst - best)))


def score_distance(distance_km, min_km, max_km):
    if distance_km is None:  # unknown destination: distance cannot rank
        return 0.0
    return score_lower_is_better(distance_km, min_km, max_km)


def score_fewest_parcels(servable_qty, remaining_qty):
    """Share of what is still to serve that this site can serve alone."""
    if remaining_qty <= 0:
        return 0.0
    return min(1.0, servable_qty / remaining_qty)


def score_site_type(site_type, preferred_types):
    """First preferred type scores 1, the next ones less, unlisted types 0."""
    if site_type not in preferred_types:
        return 0.0
    return 1.0 - preferred_types.index(site_type) / len(preferred_types)


def score_stock_depth(stock_left, max_stock_left):
    """Units left at the site after the sale, against the deepest site."""
    if max_stock_left <= 0:
        return 0.0
    return stock_left / max_stock_left


def score_capacity(capacity_left, daily_capacity):
    if daily_capacity <= 0:
        return 0.0
    return max(0.0, min(1.0, capacity_left / daily_capacity))


def score_cost(cost, min_cost, max_cost):
    return score_lower_is_better(cost, min_cost, max_cost)


# ---------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------


def eligible_sites(sites, order, ats):
    """Sites that may serve ``order``: capability, capacity, not excluded, some stock."""
    products = {line.product_id for line in order.lines}
    result = []
    for site in sites:
        if site.id in order.excluded_site_ids or site.capacity_left <= 0:
            continue
        if order.required_capability not in site.capabilities and site.id != order.pickup_site_id:
            continue
        if any(ats.get((product_id, site.id), 0) > 0 for product_id in products):
            result.append(site)
    return result


def _servable(site_id, demand, ats):
    """Quantity of ``demand`` ({line: (product, qty)}) the site can serve."""
    return sum(min(qty, ats.get((product_id, site_id), 0)) for product_id, qty in demand.values())


def score_candidates(rule, order, sites, ats):
    """Score every site of ``sites`` with the rule's criteria, best first."""
    quantities = [line.qty for line in order.lines]
    products = [line.product_id for line in order.lines]
    total_qty = sum(quantities)
    kinds = {criterion.kind for criterion in rule.criteria}
    # Stock of each line's product per site, read once: every criterion works from it.
    stock = {site.id: [ats.get((product, site.id), 0) for product in products] for site in sites}
    candidates = []
    for site in sites:
        servable = sum(
            min(qty, left) for qty, left in zip(quantities, stock[site.id], strict=False)
        )
        candidates.append(
            Candidate(site_id=site.id, servable_qty=servable, serves_all=servable >= total_qty)
        )
    if not candidates:
        return candidates
    known_destination = order.latitude is not None and order.longitude is not None
    if known_destination:
        for candidate, site in zip(candidates, sites, strict=True):
            candidate.distance_km = haversine_km(
                site.latitude, site.longitude, order.latitude, order.longitude
            )
    facts = _criterion_facts(kinds, quantities, sites, candidates, stock)
    weight_sum = sum(c.weight for c in rule.criteria) or 1.0
    for candidate, site in zip(candidates, sites, strict=True):
        for criterion in rule.criteria:
            candidate.scores[criterion.kind] = _score(criterion, site, candidate, facts, total_qty)
        candidate.total = (
            sum(c.weight * candidate.scores[c.kind] for c in rule.criteria) / weight_sum
        )
    candidates.sort(key=lambda c: (-c.total, c.site_id))
    return candidates


def _criterion_facts(kinds, quantities, sites, candidates, stock):
    """Bounds over all candidates that relative criteria normalise against."""
    facts = {}
    if "distance" in kinds:
        distances = [c.distance_km for c in candidates if c.distance_km is not None]
        facts["distance"] = (min(distances), max(distances)) if distances else (0.0, 0.0)
    if "cost" in kinds:
        costs = [site.cost for site in sites]
        facts["cost"] = (min(costs), max(costs))
    if "stock_depth" in kinds:
        depth = {
            site_id: sum(
                max(0.0, left - qty) for qty, left in zip(quantities, site_stock, strict=False)
            )
            for site_id, site_stock in stock.items()
        }
        facts["stock_depth"] = (depth, max(depth.values()))
    return facts


def _score(criterion, site, candidate, facts, remaining_qty):
    kind = criterion.kind
    if kind == "distance":
        return score_distance(candidate.distance_km, *facts["distance"])
    if kind == "fewest_parcels":
        return score_fewest_parcels(candidate.servable_qty, remaining_qty)
    if kind == "site_type":
        return score_site_type(site.site_type, criterion.site_types)
    if kind == "stock_depth":
        depth, max_depth = facts["stock_depth"]
        return score_stock_depth(depth[site.id], max_depth)
    if kind == "capacity":
        return score_capacity(site.capacity_left, site.daily_capacity)
    return score_cost(site.cost, *facts["cost"])


def plan_order(rules, order, sites, ats, fallback_rule=None):
    """Source ``order`` over ``sites`` with ``ats`` = {(product_id, site_id): qty}.

    ``rules`` are in priority order; ``fallback_rule`` ranks sites when none
    matches. Returns a Plan, or None when no rule applies.
    """
    rule = match_rule(rules, order) or fallback_rule
    if rule is None:
        return None
    candidate_sites = eligible_sites(sites, order, ats)
    candidates = score_candidates(rule, order, candidate_sites, ats)
    plan = Plan(rule_id=rule.id, candidates=candidates, allocations=[], reasons=[])
    if not candidates:
        plan.allocations = [Allocation(line.id, None, line.qty, short=True) for line in order.lines]
        plan.reasons.append(REASON_NO_SITE)
        return plan
    single = next((c for c in candidates if c.serves_all), None)
    if single:
        single.chosen = True
        plan.allocations = [Allocation(line.id, single.site_id, line.qty) for line in order.lines]
        plan.reasons.append(REASON_SINGLE_SITE)
    else:
        _allocate_greedy(plan, rule, order, ats)
    if _needs_consolidation(plan, order):
        _plan_consolidation(plan, order, sites)
    return plan


def _needs_consolidation(plan, order):
    """Several sites for a one-parcel order, or any site but the set meeting point."""
    meeting_point = _meeting_point(order)
    if meeting_point:
        return any(site_id != meeting_point for site_id in plan.site_ids)
    return order.single_parcel and plan.is_split


def _allocate_greedy(plan, rule, order, ats):
    """Fewest splits, greedily: take the best site for what is left, again and again.

    The "fewest parcels" score is recomputed on the remaining demand at each
    step so a site that can finish the order outranks one that adds a parcel.
    """
    remaining = {line.id: line.qty for line in order.lines}
    products = {line.id: line.product_id for line in order.lines}
    candidates = {c.site_id: c for c in plan.candidates}
    parcel_weight = sum(c.weight for c in rule.criteria if c.kind == "fewest_parcels")
    weight_sum = sum(c.weight for c in rule.criteria) or 1.0
    left = dict(ats)
    while any(qty > 0 for qty in remaining.values()) and candidates:
        demand = {lid: (products[lid], qty) for lid, qty in remaining.items() if qty > 0}
        remaining_qty = sum(qty for _product, qty in demand.values())
        best, best_key = None, None
        for candidate in candidates.values():
            servable = _servable(candidate.site_id, demand, left)
            if servable <= 0:
                continue
            parcels_now = score_fewest_parcels(servable, remaining_qty)
            parcels_then = candidate.scores.get("fewest_parcels", 0.0)
            total = candidate.total + parcel_weight * (parcels_now - parcels_then) / weight_sum
            key = (total, servable, -candidate.site_id)
            if best_key is None or key > best_key:
                best, best_key = candidate, key
        if best is None:
            break
        best.chosen = True
        del candidates[best.site_id]
        for line_id, (product_id, qty) in demand.items():
            take = min(qty, left.get((product_id, best.site_id), 0))
            if take > 0:
                plan.allocations.append(Allocation(line_id, best.site_id, take))
                remaining[line_id] -= take
                left[(product_id, best.site_id)] -= take
    plan.reasons.append(REASON_SPLIT)
    for line in order.lines:
        if remaining[line.id] > 0:
            plan.allocations.append(Allocation(line.id, None, remaining[line.id], short=True))
            if REASON_SHORT not in plan.reasons:
                plan.reasons.append(REASON_SHORT)


def consolidation_hubs(order, sites):
    """The sites where the parts of a one-parcel ``order`` may meet: the luxury-packaging
    DCs able to ship it, not excluded."""
    return [
        site
        for site in sites
        if site.site_type == "dc"
        and "luxury_packaging" in site.capabilities
        and order.required_capability in site.capabilities
        and site.id not in order.excluded_site_ids
    ]


def capacity_site_ids(order, sites, ats):
    """The sites whose capacity left a plan for ``order`` weighs: those with stock for it
    (the only ones that may serve it) and, for a one-parcel order without a set meeting
    point, the hubs where its parts may meet (their parcel leaves from there)."""
    site_ids = {site_id for _product_id, site_id in ats}
    if order.single_parcel and not _meeting_point(order):
        site_ids.update(site.id for site in consolidation_hubs(order, sites))
    return site_ids


def _meeting_point(order):
    """The site set for the order's parts to meet, if any: the boutique a pickup order is
    collected at, or the consolidation site kept when part of an order is re-sourced."""
    return order.pickup_site_id or order.consolidation_site_id


def _ranked_hubs(plan, order, sites):
    """The order's hubs, best first, their capacity left aside: the one holding most of
    the order, then the best scored, then the nearest."""
    held = {}
    for allocation in plan.allocations:
        if allocation.site_id and not allocation.short:
            held[allocation.site_id] = held.get(allocation.site_id, 0) + allocation.qty
    scores = {c.site_id: c.total for c in plan.candidates}

    def hub_key(site):
        distance = 0.0
        if order.latitude is not None and order.longitude is not None:
            distance = haversine_km(site.latitude, site.longitude, order.latitude, order.longitude)
        return (-held.get(site.id, 0), -scores.get(site.id, 0.0), distance, site.id)

    return sorted(consolidation_hubs(order, sites), key=hub_key)


def _plan_consolidation(plan, order, sites):
    """Where the parts of a one-parcel order meet.

    The order's meeting point when it has one (``_meeting_point``); otherwise a
    luxury-packaging DC: one with parcels left today (the consolidated parcel leaves from
    it), then the one that already holds most of the order (ties: best score, then
    nearest). When every hub has spent its day, the order still meets at the best of them:
    its parcel leaves on the next day rather than in several parcels. The reasons say when
    the best hub was passed over, or all were full.
    """
    meeting_point = _meeting_point(order)
    if meeting_point:
        plan.consolidation_site_id = meeting_point
        plan.reasons.append(REASON_CONSOLIDATION)
        return
    ranked = _ranked_hubs(plan, order, sites)
    if not ranked:
        plan.reasons.append(REASON_NO_CONSOLIDATION_SITE)
        return
    best = ranked[0]
    hub = next((site for site in ranked if site.capacity_left > 0), best)
    plan.consolidation_site_id = hub.id
    plan.reasons.append(REASON_CONSOLIDATION)
    if best.capacity_left <= 0:
        plan.reasons.append(REASON_BEST_HUB_FULL if hub is not best else REASON_HUBS_FULL)


def transfers(plan):
    """Inter-site transfers a consolidated plan needs: [(line_id, from_site, qty)]."""
    hub = plan.consolidation_site_id
    if not hub:
        return []
    return [
        (a.line_id, a.site_id, a.qty)
        for a in plan.allocations
        if a.site_id and a.site_id != hub and not a.short
    ]
