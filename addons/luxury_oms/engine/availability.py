"""Available to sell (ATS) per product and site, buffer rule precedence, VIP holds.

ATS = sellable on hand - reserved - active holds - buffer, never below zero, plus what the
buyer's own holds keep for them. Holds are explicit promises to named clients, so they come
out of stock before the buffer; the buffer is then withheld from what is left.
"""

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

QUANTITY_TOLERANCE = 1e-6


@dataclass(frozen=True)
class BufferRule:
    """A safety stock rule: each scope left empty (None) matches everything."""

    id: int
    mode: str  # "quantity" or "percent"
    value: float
    product_id: int | None = None
    category_id: int | None = None
    warehouse_id: int | None = None
    channel_id: int | None = None
    sequence: int = 10

    def applies_to(self, product_id, category_chain, warehouse_id, channel_id):
        """``category_chain`` lists the product's category then its parents, leaf first.

        A rule scoped to a channel applies only when that channel asks; rules without a
        channel apply to every channel and to back-office orders.
        """
        return (
            self.product_id in (None, product_id)
            and (self.category_id is None or self.category_id in category_chain)
            and self.warehouse_id in (None, warehouse_id)
            and self.channel_id in (None, channel_id)
        )

    def specificity(self, category_chain):
        """Most specific wins: product, then the deepest category, then site, then channel.

        Ties go to the lowest sequence, then the oldest rule, so the choice is deterministic.
        """
        category_depth = 0
        if self.category_id is not None:
            category_depth = len(category_chain) - category_chain.index(self.category_id)
        return (
            self.product_id is not None,
            category_depth,
            self.warehouse_id is not None,
            self.channel_id is not None,
            -self.sequence,
            -self.id,
        )

    def quantity_for(self, on_hand):
        """Units withheld; a percentage rounds up: a buffer never protects less than asked."""
        if self.mode == "percent":
            return math.ceil(max(on_hand, 0) * self.value / 100 - QUANTITY_TOLERANCE)
        return self.value


def select_buffer_rule(rules, product_id, category_chain, warehouse_id, channel_id=None):
    """Return the single rule that applies (rules never stack), or None."""
    applicable = [
        rule
        for rule in rules
        if rule.applies_to(product_id, category_chain, warehouse_id, channel_id)
    ]
    if not applicable:
        return None
    return max(applicable, key=lambda rule: rule.specificity(category_chain))


class BufferRuleIndex:
    """The buffer rules of one availability call, indexed so that choosing the rule of a
    (product, site) looks only at the rules that can apply to that product and site.

    Rules are grouped once by the product or category they name, so each product visits
    only its own rules, its categories' rules and the catalogue-wide ones; then they are
    split by site: O(rules + products x matching rules + pairs), not O(rules x pairs).
    """

    def __init__(self, rules, channel_id=None):
        self.channel_id = channel_id
        self.by_product = {}
        self.by_category = {}
        self.catalogue_wide = []
        self.by_chain = {}
        for rule in rules:
            if rule.channel_id not in (None, channel_id):
                continue
            if rule.product_id is not None:
                self.by_product.setdefault(rule.product_id, []).append(rule)
            elif rule.category_id is not None:
                self.by_category.setdefault(rule.category_id, []).append(rule)
            else:
                self.catalogue_wide.append(rule)

    def for_product(self, product_id, category_chain):
        # Products without rules of their own share their category's choice; the choice is
        # kept with the index (kept per worker: every read asks again).
        key = (product_id if product_id in self.by_product else None, category_chain)
        rules = self.by_chain.get(key)
        if rules is None:
            rules = self.by_chain[key] = self._rules_for(*key)
        return rules

    def _rules_for(self, product_id, category_chain):
        candidates = [*self.by_product.get(product_id, ()), *self.catalogue_wide]
        for category_id in category_chain:
            candidates += self.by_category.get(category_id, ())
        by_site = {}
        any_site = []
        for rule in candidates:
            if rule.category_id is not None and rule.category_id not in category_chain:
                continue  # a product rule also scoped to another category
            if rule.warehouse_id is None:
                any_site.append(rule)
            else:
                by_site.setdefault(rule.warehouse_id, []).append(rule)
        return ProductBufferRules(by_site, any_site, category_chain)


class ProductBufferRules:
    def __init__(self, by_site, any_site, category_chain):
        self.category_chain = category_chain
        # Rules for every site compete everywhere: their winner is chosen once.
        self.any_site_winner = self._most_specific(any_site)
        self.site_winner = {
            warehouse_id: self._most_specific([*rules, self.any_site_winner])
            for warehouse_id, rules in by_site.items()
        }

    def _most_specific(self, rules):
        rules = [rule for rule in rules if rule is not None]
        if not rules:
            return None
        return max(rules, key=lambda rule: rule.specificity(self.category_chain))

    def select(self, warehouse_id):
        """The rule that applies at ``warehouse_id`` (same answer as select_buffer_rule);
        ``None`` asks for the rule of the sites that no site-scoped rule names."""
        return self.site_winner.get(warehouse_id, self.any_site_winner)


class SiteAvailability(NamedTuple):
    """Availability of one product at one site. A named tuple: immutable, and cheap to
    build for the thousands of pairs of one read."""

    on_hand: float
    reserved: float
    buffer: float
    held: float
    available_to_sell: float
    incoming: tuple = ()  # ((date, qty), ...) sorted by date
    buffer_rule_id: int | None = None
    held_for_buyer: float = 0.0
    preordered: float = 0.0  # promised beyond what is on hand: earlier pre-orders

    @property
    def incoming_qty(self):
        return sum(qty for _date, qty in self.incoming)

    @property
    def available_to_order(self):
        """ATS plus the incoming stock that earlier pre-orders have not taken yet, for
        pre-orders and 'ships on' promises."""
        return self.available_to_sell + max(self.incoming_qty - self.preordered, 0.0)

    def available_to_order_by(self, day: date):
        arriving = sum(qty for when, qty in self.incoming if when <= day)
        return self.available_to_sell + max(arriving - self.preordered, 0.0)


def site_availability(
    on_hand, reserved, held_total, held_for_buyer=0.0, buffer_rule=None, incoming=()
):
    """Availability of one product at one site, as seen by one buyer.

    ``held_total`` counts every active hold at the site; ``held_for_buyer`` the part of it
    the buyer may consume. What is physically free comes first: a hold cannot give more
    than on hand minus reserved.
    """
    physically_free = max(on_hand - reserved, 0.0)
    buffer = buffer_rule.quantity_for(on_hand) if buffer_rule else 0.0
    own_holds = min(held_for_buyer, physically_free)
    free_for_anyone = max(physically_free - held_total - buffer, 0.0)
    return SiteAvailability(
        on_hand,
        reserved,
        buffer,
        held_total - held_for_buyer,
        free_for_anyone + own_holds,
        tuple(sorted(incoming)) if incoming else (),
        buffer_rule.id if buffer_rule else None,
        own_holds,
        max(reserved - on_hand, 0.0),
    )


def category_chain(parent_path):
    """A category's ``parent_path`` ("1/2/3/") as its chain, leaf first: (3, 2, 1)."""
    return tuple(int(part) for part in reversed((parent_path or "").split("/")) if part)


class StockFacts:
    """What the database says about products at sites, keyed (product_id, site_id).

    Built by ``from_parts`` from plain rows (the JSON arrays of one availability query):

    - ``products``: (product_id, category parent_path) of the storable products;
    - ``rules``: the buffer rules, as ``BufferRule`` fields in order;
    - ``sellable``: (location_id, site_id) of the sites' sellable locations;
    - ``stock``: (product_id, location_id, quantity) on hand there; or ``on_hand``, the
      same already summed per site: ((product_id, site_id), quantity) pairs;
    - ``moves``: (product_id, location_id, location_dest_id, day, quantity, fed, promised)
      of open moves leaving or entering them. ``fed``: the move waits on an open move
      bringing its units, so it does not take the site's stock; ``promised``: an open move
      waits on it, so what it brings is not for sale;
    - ``holds``: (hold_id, product_id, site_id, quantity, expiry, for_buyer) of active holds,
      ``for_buyer`` telling whether the buyer may consume them (``buyer_holds`` lists those
      per pair, for the take to consume).
    """

    def __init__(self):
        self.category_chains = {}
        self.buffer_rules = []
        self.on_hand = defaultdict(float)
        self.reserved = defaultdict(float)
        self.incoming = defaultdict(lambda: defaultdict(float))
        self.held_total = defaultdict(float)
        self.held_for_buyer = defaultdict(float)
        self.buyer_holds = defaultdict(list)

    @classmethod
    def from_parts(cls, products, rules, sellable, stock, moves, holds, on_hand=()):
        facts = cls()
        facts.on_hand.update(on_hand)
        facts.category_chains = {product_id: category_chain(path) for product_id, path in products}
        facts.buffer_rules = [BufferRule(*rule) for rule in rules]
        site_of = dict(sellable)
        for product_id, location_id, quantity in stock:
            facts.on_hand[product_id, site_of[location_id]] += quantity
        for product_id, source_id, destination_id, day, quantity, fed, promised in moves:
            source_site, destination_site = site_of.get(source_id), site_of.get(destination_id)
            if source_site == destination_site:
                continue  # moves inside one site's sellable stock change nothing
            if source_site and not fed:
                facts.reserved[product_id, source_site] += quantity
            if destination_site and not promised:
                facts.incoming[product_id, destination_site][date.fromisoformat(day)] += quantity
        for hold_id, product_id, site_id, quantity, expiry, for_buyer in holds:
            facts.held_total[product_id, site_id] += quantity
            if for_buyer:
                facts.held_for_buyer[product_id, site_id] += quantity
                facts.buyer_holds[product_id, site_id].append((hold_id, quantity, expiry))
        return facts

    def pairs(self):
        """The pairs with any stock fact; every other pair holds nothing."""
        return (
            self.on_hand.keys()
            | self.reserved.keys()
            | self.incoming.keys()
            | (self.held_total.keys())
        )

    def site_availability(self, key, buffer_rule):
        # Positional: this runs for every pair holding stock of a read.
        return site_availability(
            self.on_hand.get(key, 0.0),
            self.reserved.get(key, 0.0),
            self.held_total.get(key, 0.0),
            self.held_for_buyer.get(key, 0.0),
            buffer_rule,
            self.incoming[key].items() if key in self.incoming else (),
        )


class AvailabilityGrid(Mapping):
    """``{(product_id, site_id): SiteAvailability}`` of storable products at sites.

    Most pairs hold nothing: they share one answer per buffer rule, found from the
    product's rules when read; only the pairs holding stock are stored one by one. Reading
    a pair costs a few dictionary lookups; building the grid costs the pairs holding
    something, not products x sites (a hundred thousand at a thousand sites). Read-only.
    """

    __slots__ = ("_empty_by_rule", "_rules", "_site_ids", "_site_set", "_stocked")

    def __init__(self, site_ids, rules_by_product):
        self._stocked = {}
        self._rules = rules_by_product
        self._empty_by_rule = {}
        self._site_ids = tuple(site_ids)
        self._site_set = frozenset(self._site_ids)

    def __getitem__(self, key):
        answer = self._stocked.get(key)
        if answer is not None:
            return answer
        product_id, site_id = key
        rules = self._rules.get(product_id)
        if rules is None or site_id not in self._site_set:
            raise KeyError(key)
        return self._empty_answer(rules.site_winner.get(site_id, rules.any_site_winner))

    def _empty_answer(self, rule):
        rule_id = rule.id if rule else None
        answer = self._empty_by_rule.get(rule_id)
        if answer is None:
            answer = self._empty_by_rule[rule_id] = site_availability(
                0.0, 0.0, 0.0, buffer_rule=rule
            )
        return answer

    def __contains__(self, key):
        try:
            product_id, site_id = key
        except (TypeError, ValueError):
            return False
        return site_id in self._site_set and product_id in self._rules

    def __iter__(self):
        for product_id in self._rules:
            for site_id in self._site_ids:
                yield (product_id, site_id)

    def __len__(self):
        return len(self._rules) * len(self._site_ids)

    def selling(self):
        """``{(product_id, site_id): available_to_sell}`` of the pairs with something to
        sell; every other pair of the grid sells nothing. Built from the stocked pairs
        only: a pair without stock, moves or holds has nothing to sell (a buffer is never
        negative), so sourcing's ``ats.get(key, 0)`` reads the same as from every pair,
        without visiting products x sites."""
        return {
            key: answer.available_to_sell
            for key, answer in self._stocked.items()
            if answer.available_to_sell > 0
        }


def availability_grid(facts, rule_index, product_ids, site_ids):
    """The ``AvailabilityGrid`` of every storable product of ``product_ids`` (those
    ``facts`` knows) at every site of ``site_ids``."""
    rules_by_product = {}
    for product_id in product_ids:
        category_chain = facts.category_chains.get(product_id)
        if category_chain is not None:  # else not storable: never sold from stock
            rules_by_product[product_id] = rule_index.for_product(product_id, category_chain)
    grid = AvailabilityGrid(site_ids, rules_by_product)
    _fill_stocked_pairs(grid, facts, rules_by_product)
    return grid


def _fill_stocked_pairs(grid, facts, rules_by_product):
    """``site_availability`` for every pair of ``grid`` holding a stock fact, written out
    in one loop: at a thousand sites these are tens of thousands of pairs, and the calls
    and keyword arguments of the readable version cost more than the arithmetic (the
    engine tests check both give the same answers)."""
    stocked, sites = grid._stocked, grid._site_set
    on_hand, reserved = facts.on_hand, facts.reserved
    held_total, held_for_buyer = facts.held_total, facts.held_for_buyer
    incoming = facts.incoming
    new = tuple.__new__
    # Most pairs only hold stock: no move, no hold. They take the short way, and those
    # with the same rule and the same stock (a few pieces, mostly) share one answer.
    busy = reserved.keys() | held_total.keys() | incoming.keys()
    shared = {}
    for key, stock in on_hand.items():
        product_id, site_id = key
        rules = rules_by_product.get(product_id)
        if rules is None or site_id not in sites or key in busy:
            continue
        rule = rules.site_winner.get(site_id, rules.any_site_winner)
        answer = shared.get((id(rule), stock))
        if answer is None:
            buffer = _buffer_of(rule, stock)
            free = stock if stock > 0 else 0.0
            anyone = free - buffer
            answer = shared[id(rule), stock] = new(
                SiteAvailability,
                (
                    stock,
                    0.0,
                    buffer,
                    0.0,
                    anyone if anyone > 0 else 0.0,
                    (),
                    rule.id if rule else None,
                    0.0,
                    -stock if stock < 0 else 0.0,
                ),
            )
        stocked[key] = answer
    for key in busy:
        product_id, site_id = key
        rules = rules_by_product.get(product_id)
        if rules is None or site_id not in sites:
            continue
        rule = rules.site_winner.get(site_id, rules.any_site_winner)
        stock = on_hand.get(key, 0.0)
        taken = reserved.get(key, 0.0)
        held = held_total.get(key, 0.0)
        for_buyer = held_for_buyer.get(key, 0.0)
        free = stock - taken if stock > taken else 0.0
        buffer = _buffer_of(rule, stock)
        own = for_buyer if for_buyer < free else free
        anyone = free - held - buffer
        if anyone < 0:
            anyone = 0.0
        arriving = tuple(sorted(incoming[key].items())) if key in incoming else ()
        stocked[key] = new(
            SiteAvailability,
            (
                stock,
                taken,
                buffer,
                held - for_buyer,
                anyone + own,
                arriving,
                rule.id if rule else None,
                own,
                taken - stock if taken > stock else 0.0,
            ),
        )


def _buffer_of(rule, on_hand):
    """``rule.quantity_for(on_hand)``, 0 without a rule (inlined arithmetic, same answer)."""
    if rule is None:
        return 0.0
    if rule.mode == "percent":
        return math.ceil((on_hand if on_hand > 0 else 0) * rule.value / 100 - QUANTITY_TOLERANCE)
    return rule.value


@dataclass(frozen=True)
class Shortage:
    product_id: int
    warehouse_id: int
    requested: float
    available: float


def find_shortages(demands, availabilities, on_incoming=False):
    """``demands`` maps (product_id, warehouse_id) to a quantity; returns what cannot be
    served from what is available to sell or, ``on_incoming`` (pre-orders), to order."""
    shortages = []
    for key, requested in sorted(demands.items()):
        availability = availabilities[key]
        available = (
            availability.available_to_order if on_incoming else availability.available_to_sell
        )
        if requested > available + QUANTITY_TOLERANCE:
            shortages.append(Shortage(key[0], key[1], requested, available))
    return shortages


def plan_hold_consumption(requested, holds):
    """Consume the buyer's holds first, oldest expiry first.

    ``holds`` is a list of (hold_id, remaining, expiry); returns [(hold_id, qty)].
    """
    plan = []
    left = requested
    for hold_id, remaining, _expiry in sorted(holds, key=lambda hold: (hold[2], hold[0])):
        if left <= QUANTITY_TOLERANCE:
            break
        taken = min(remaining, left)
        if taken > QUANTITY_TOLERANCE:
            plan.append((hold_id, taken))
            left -= taken
    return plan
