"""Available to sell (ATS) per product and site, buffer rule precedence, VIP holds.

ATS = sellable on hand - reserved - active holds - buffer, never below zero, plus what the
buyer's own holds keep for them. Holds are explicit promises to named clients, so they come
out of stock before the buffer; the buffer is then withheld from what is left.
"""

import math
from dataclasses import dataclass
from dataclasses import field
from datetime import date

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

    Rules are filtered once per product (product, category, channel), then split by site:
    the work is O(rules x products + pairs), not O(rules x pairs).
    """

    def __init__(self, rules, channel_id=None):
        self.rules = [rule for rule in rules if rule.channel_id in (None, channel_id)]
        self.channel_id = channel_id

    def for_product(self, product_id, category_chain):
        by_site = {}
        any_site = []
        for rule in self.rules:
            if rule.product_id not in (None, product_id):
                continue
            if rule.category_id is not None and rule.category_id not in category_chain:
                continue
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
        """The rule that applies at ``warehouse_id`` (same answer as select_buffer_rule)."""
        return self.site_winner.get(warehouse_id, self.any_site_winner)


@dataclass(frozen=True)
class SiteAvailability:
    on_hand: float
    reserved: float
    buffer: float
    held: float
    available_to_sell: float
    incoming: tuple = field(default=())  # ((date, qty), ...) sorted by date
    buffer_rule_id: int | None = None
    held_for_buyer: float = 0.0

    @property
    def incoming_qty(self):
        return sum(qty for _date, qty in self.incoming)

    @property
    def available_to_order(self):
        """ATS plus confirmed incoming stock, for pre-orders and 'ships on' promises."""
        return self.available_to_sell + self.incoming_qty

    def available_to_order_by(self, day: date):
        return self.available_to_sell + sum(qty for when, qty in self.incoming if when <= day)


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
        on_hand=on_hand,
        reserved=reserved,
        buffer=buffer,
        held=held_total - held_for_buyer,
        available_to_sell=free_for_anyone + own_holds,
        incoming=tuple(sorted(incoming)),
        buffer_rule_id=buffer_rule.id if buffer_rule else None,
        held_for_buyer=own_holds,
    )


@dataclass(frozen=True)
class Shortage:
    product_id: int
    warehouse_id: int
    requested: float
    available: float


def find_shortages(demands, availabilities):
    """``demands`` maps (product_id, warehouse_id) to a quantity; returns what cannot be served."""
    shortages = []
    for key, requested in sorted(demands.items()):
        available = availabilities[key].available_to_sell
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
