"""Payment-fraud scoring: which rules an order trips and how many points each adds.

Plain Python over plain data so that "why was this order held?" can be answered by
reading this file, and unit-tested without a database. The models gather the facts
(in bulk), convert every amount into one reference currency (the company's), call
:func:`score_order` and persist the assessment.
"""

from dataclasses import dataclass
from dataclasses import field

NEW_CLIENT = "new_client"
AMOUNT_OVER = "amount_over"
COUNTRY_MISMATCH = "country_mismatch"
NEW_ADDRESS = "new_address"
VELOCITY_ORDERS = "velocity_orders"
VELOCITY_AMOUNT = "velocity_amount"
TIER = "tier"
# Reasons that are not a rule's condition.
TIER_NONE = "tier_none"
VIP_EXEMPT_REASON = "vip_exempt"
VIP_WEIGHTING_REASON = "vip_weighting"

# Which pair of countries a country-mismatch rule compares.
MISMATCH_PAIRS = {
    "billing_shipping": ("billing_country_id", "shipping_country_id"),
    "billing_card": ("billing_country_id", "card_country_id"),
    "shipping_card": ("shipping_country_id", "card_country_id"),
}

# What a reviewer reads when the pair differs.
MISMATCH_REASONS = {
    "billing_shipping": "Billing and shipping countries differ",
    "billing_card": "Billing country differs from the card issuer's",
    "shipping_card": "Shipping country differs from the card issuer's",
}

VIP_EXEMPT = "exempt"
VIP_FACTOR = "factor"


@dataclass(frozen=True)
class PastOrder:
    """A confirmed order of the same client or paid with the same card."""

    hours_ago: float
    amount: float
    same_client: bool
    same_card: bool


@dataclass(frozen=True)
class OrderFacts:
    """What the rules look at. ``amount`` is in the reference currency (the company's);
    ``order_amount`` is the same amount in the order's currency, for the reasons."""

    amount: float
    currency_id: int
    order_amount: float | None = None
    order_currency: str = ""
    reference_currency: str = ""
    prior_order_count: int = 0
    shipping_address_seen: bool = False
    tier_rank: int | None = None
    billing_country_id: int | None = None
    shipping_country_id: int | None = None
    card_country_id: int | None = None
    has_card: bool = False
    history: tuple[PastOrder, ...] = ()


@dataclass(frozen=True)
class FraudRule:
    """One scoring rule. ``amount`` is already in the reference currency;
    ``currency_id`` is the rule's own currency, used when ``currency_strict``
    limits the rule to orders in that currency."""

    rule_id: int
    name: str
    condition: str
    points: float
    amount: float = 0.0
    currency_id: int | None = None
    currency_strict: bool = False
    rule_amount: float | None = None
    rule_currency: str = ""
    mismatch: str = "billing_shipping"
    velocity_scope: str = "client"
    count: int = 0
    hours: float = 0.0
    max_rank: int = 0


@dataclass(frozen=True)
class TierPolicy:
    """How top-tier clients are treated: clients ranked ``min_rank`` or above are
    either exempt (score 0) or have their score multiplied by ``factor``."""

    min_rank: int | None = None
    mode: str = VIP_EXEMPT
    factor: float = 1.0

    def applies_to(self, tier_rank):
        return self.min_rank is not None and tier_rank is not None and tier_rank >= self.min_rank


@dataclass(frozen=True)
class Reason:
    """Why a line scores, as data: ``code`` and its ``args`` (plain numbers, currency
    codes and :func:`money` phrases), rendered in the reader's language by the models;
    ``str()`` is the English sentence (logs, tests, this engine's own readers)."""

    code: str
    args: dict = field(default_factory=dict)

    def __str__(self):
        return ENGLISH[self.code](self.args)


@dataclass(frozen=True)
class ScoreLine:
    rule_id: int | None
    name: str
    points: float
    reason: str
    reason_code: str = ""
    reason_args: dict = field(default_factory=dict)

    @classmethod
    def of(cls, rule_id, name, points, reason):
        return cls(rule_id, name, points, str(reason), reason.code, reason.args)


@dataclass(frozen=True)
class FraudAssessment:
    score: float
    lines: tuple[ScoreLine, ...] = field(default_factory=tuple)
    exempt: bool = False

    def is_held(self, threshold):
        """An order is held when its score reaches the channel's threshold."""
        return not self.exempt and self.score >= threshold


def score_order(facts, rules, tier_policy=None):
    """Score ``facts`` against ``rules`` and apply the top-tier policy.

    The score is the sum of the points of the matching rules (never below 0). A
    top-tier client is either exempt (score 0, one "VIP exempt" line) or has the
    sum multiplied by the policy factor (one line showing the reduction).
    """
    policy = tier_policy or TierPolicy()
    if policy.mode == VIP_EXEMPT and policy.applies_to(facts.tier_rank):
        return FraudAssessment(
            score=0.0,
            lines=(ScoreLine.of(None, "VIP exempt", 0.0, Reason(VIP_EXEMPT_REASON)),),
            exempt=True,
        )
    lines = []
    for rule in rules:
        reason = _match(rule, facts)
        if reason:
            lines.append(ScoreLine.of(rule.rule_id, rule.name, rule.points, reason))
    total = max(sum(line.points for line in lines), 0.0)
    if policy.mode == VIP_FACTOR and policy.applies_to(facts.tier_rank) and total:
        weighted = total * policy.factor
        reason = Reason(VIP_WEIGHTING_REASON, {"factor": policy.factor})
        lines.append(ScoreLine.of(None, "VIP weighting", weighted - total, reason))
        total = weighted
    return FraudAssessment(score=round(total, 2), lines=tuple(lines))


def _match(rule, facts):
    """Return why ``rule`` matches ``facts`` (a :class:`Reason`), or None."""
    matcher = _MATCHERS.get(rule.condition)
    if matcher is None:
        raise ValueError(f"Fraud rule {rule.name!r}: unknown condition {rule.condition!r}")
    return matcher(rule, facts)


def _match_new_client(rule, facts):
    if not facts.prior_order_count:
        return Reason(NEW_CLIENT)
    return None


def _match_amount_over(rule, facts):
    if rule.currency_strict and facts.currency_id != rule.currency_id:
        return None
    if facts.amount >= rule.amount:
        return Reason(
            AMOUNT_OVER, {"order": _order_amount(facts), "rule": _rule_amount(rule, facts)}
        )
    return None


def money(amount, currency, reference_amount=None, reference_currency=""):
    """An amount in a currency, with the same in the reference currency when it was
    converted (``reference_amount`` None: not converted)."""
    return {
        "amount": amount,
        "currency": currency,
        "reference": reference_amount,
        "reference_currency": reference_currency,
    }


def _converted(amount, currency, reference_amount, facts):
    """``amount currency``, with the reference amount when it was converted."""
    if amount is None or not currency or currency == facts.reference_currency:
        return money(reference_amount, facts.reference_currency)
    return money(amount, currency, reference_amount, facts.reference_currency)


def _order_amount(facts):
    return _converted(facts.order_amount, facts.order_currency, facts.amount, facts)


def _rule_amount(rule, facts):
    """The rule's own amount; its conversion is said only when it differs from the order's
    currency (an order and a rule in euros compare in euros)."""
    if rule.rule_currency and rule.rule_currency == facts.order_currency:
        return money(rule.rule_amount, rule.rule_currency)
    return _converted(rule.rule_amount, rule.rule_currency, rule.amount, facts)


def _match_country_mismatch(rule, facts):
    first, second = MISMATCH_PAIRS[rule.mismatch]
    first_country, second_country = getattr(facts, first), getattr(facts, second)
    # An unknown country proves nothing: only two known, different countries match.
    if first_country and second_country and first_country != second_country:
        return Reason(COUNTRY_MISMATCH, {"mismatch": rule.mismatch})
    return None


def _match_new_address(rule, facts):
    # A new client's every address is new: the new-client rule covers that case.
    if facts.prior_order_count and not facts.shipping_address_seen:
        return Reason(NEW_ADDRESS)
    return None


def _window_orders(rule, facts):
    in_scope = "same_card" if rule.velocity_scope == "card" else "same_client"
    return [
        past
        for past in facts.history
        if getattr(past, in_scope) and 0 <= past.hours_ago <= rule.hours
    ]


def _velocity_applies(rule, facts):
    return rule.velocity_scope != "card" or facts.has_card


def _match_velocity_orders(rule, facts):
    if not _velocity_applies(rule, facts):
        return None
    count = len(_window_orders(rule, facts)) + 1
    if count >= rule.count:
        return Reason(
            VELOCITY_ORDERS, {"count": count, "scope": rule.velocity_scope, "hours": rule.hours}
        )
    return None


def _match_velocity_amount(rule, facts):
    if not _velocity_applies(rule, facts):
        return None
    total = sum(past.amount for past in _window_orders(rule, facts)) + facts.amount
    if total >= rule.amount:
        args = {
            "total": money(total, facts.reference_currency),
            # The client's orders may be in other currencies: the total is the company's.
            "in_company_currency": facts.order_currency not in ("", facts.reference_currency),
            "scope": rule.velocity_scope,
            "hours": rule.hours,
        }
        return Reason(VELOCITY_AMOUNT, args)
    return None


def _match_tier(rule, facts):
    if facts.tier_rank is None:
        return Reason(TIER_NONE)
    if facts.tier_rank <= rule.max_rank:
        return Reason(TIER, {"rank": facts.tier_rank, "max_rank": rule.max_rank})
    return None


_MATCHERS = {
    NEW_CLIENT: _match_new_client,
    AMOUNT_OVER: _match_amount_over,
    COUNTRY_MISMATCH: _match_country_mismatch,
    NEW_ADDRESS: _match_new_address,
    VELOCITY_ORDERS: _match_velocity_orders,
    VELOCITY_AMOUNT: _match_velocity_amount,
    TIER: _match_tier,
}


# The English sentences of the reasons (the models render the same in the reader's
# language: luxury.oms.fraud.score.line).


def english_money(phrase):
    """``18,500.00 EUR (14,414.84 GBP in company currency)``."""
    text = f"{phrase['amount']:,.2f} {phrase['currency']}".rstrip()
    if phrase["reference"] is None:
        return text
    reference = f"{phrase['reference']:,.2f} {phrase['reference_currency']}".rstrip()
    return f"{text} ({reference} in company currency)"


def _english_velocity_scope(args):
    return "with this card" if args["scope"] == "card" else "by this client"


def _english_velocity_amount(args):
    total = english_money(args["total"])
    if args["in_company_currency"]:
        total = f"{total} (in company currency)"
    return f"{total} ordered {_english_velocity_scope(args)} within {args['hours']:g} h"


ENGLISH = {
    NEW_CLIENT: lambda args: "New client: no previous order",
    AMOUNT_OVER: lambda args: (
        f"Amount {english_money(args['order'])} reaches {english_money(args['rule'])}"
    ),
    COUNTRY_MISMATCH: lambda args: MISMATCH_REASONS[args["mismatch"]],
    NEW_ADDRESS: lambda args: "First order to this shipping address",
    VELOCITY_ORDERS: lambda args: (
        f"{args['count']} orders {_english_velocity_scope(args)} within {args['hours']:g} h"
    ),
    VELOCITY_AMOUNT: _english_velocity_amount,
    TIER_NONE: lambda args: "Client without tier",
    TIER: lambda args: f"Client tier ranked {args['rank']}, at most {args['max_rank']}",
    VIP_EXEMPT_REASON: lambda args: "VIP exempt",
    VIP_WEIGHTING_REASON: lambda args: f"VIP tier: score multiplied by {args['factor']:g}",
}
