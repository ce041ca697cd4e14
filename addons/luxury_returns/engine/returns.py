"""Return decisions as plain Python: which window applies, what may be returned, the verdict.

No Odoo import here: models fetch the facts in bulk, call these functions and persist the
result, and the functions are tested without a database.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta


@dataclass(frozen=True)
class Window:
    """A return window: ``days`` after delivery, for a channel and/or a product category."""

    window_id: int
    days: int
    channel_id: int | None = None
    categ_id: int | None = None


def window_specificity(window, categ_path):
    """Rank how precisely ``window`` targets a product whose category path is ``categ_path``.

    ``categ_path`` lists category ids from the product's own category up to the root. A
    window on the product's own category beats one on a parent category, and a window that
    also names the channel beats one that does not. Returns None when the window does not
    apply.
    """
    if window.categ_id is None:
        categ_rank = 0
    elif window.categ_id in categ_path:
        categ_rank = len(categ_path) - categ_path.index(window.categ_id)
    else:
        return None
    return (categ_rank, 1 if window.channel_id is not None else 0)


def pick_window(windows, channel_id, categ_path):
    """Return the most specific window applying to a channel and category path, or None.

    Ties are broken by the shorter window, then the lower id, so the outcome never depends
    on database order.
    """
    best, best_key = None, None
    for window in windows:
        if window.channel_id is not None and window.channel_id != channel_id:
            continue
        specificity = window_specificity(window, categ_path)
        if specificity is None:
            continue
        key = (specificity, -window.days, -window.window_id)
        if best_key is None or key > best_key:
            best, best_key = window, key
    return best


def window_deadline(delivery_date, window):
    """Last day a return is accepted, or None when no window applies (no limit)."""
    if window is None or delivery_date is None:
        return None
    return delivery_date + timedelta(days=window.days)


def is_within_window(delivery_date, window, today):
    deadline = window_deadline(delivery_date, window)
    return deadline is None or today <= deadline


@dataclass
class SoldLine:
    """What one sale line delivered to the client, as far as returns are concerned."""

    line_id: int
    sku: str
    delivered_qty: float
    already_returned_qty: float = 0.0
    serials: tuple = ()
    tracked: bool = False
    returned_serials: tuple = ()


@dataclass(frozen=True)
class RequestedLine:
    sku: str
    qty: float
    serial: str | None = None


@dataclass
class Allocation:
    """A requested unit (or quantity) matched to the sale line it comes from; ``index``:
    the requested line's, for the field path of a later error (``lines[index]``)."""

    line_id: int
    qty: float
    serial: str | None = None
    index: int | None = None


@dataclass(frozen=True)
class ReturnError:
    """Why requested line ``index`` cannot be returned; the model words it. 0-based, as
    every field path of the channel API (``lines[0].qty``)."""

    index: int
    kind: str
    sku: str
    serial: str | None = None
    qty: float = 0.0
    available: float = 0.0


@dataclass
class ReturnCheck:
    allocations: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def allocate_return(sold_lines, requested, known_serials, known_skus=None):
    """Match requested return lines to sold lines, or explain every problem.

    ``known_serials`` is the set of (sku, serial) pairs that exist in the maison's books;
    ``known_skus``, when given, the SKUs of the maison's catalogue among those requested.
    A serial-tracked item must name its serial and be returned one unit at a time; the
    serial must exist and must have been delivered on this order; quantities cannot exceed
    what was delivered minus what other open returns already claim.
    """
    result = ReturnCheck()
    by_sku = {}
    for sold in sold_lines:
        by_sku.setdefault(sold.sku, []).append(sold)
    remaining = {
        sold.line_id: sold.delivered_qty - sold.already_returned_qty for sold in sold_lines
    }
    claimed_serials = {serial for sold in sold_lines for serial in sold.returned_serials}
    for index, request in enumerate(requested):
        candidates = by_sku.get(request.sku)
        if not candidates:
            unknown = known_skus is not None and request.sku not in known_skus
            result.errors.append(
                ReturnError(index, "unknown_sku" if unknown else "not_sold", request.sku)
            )
            continue
        if candidates[0].tracked:
            _allocate_serial(result, index, request, candidates, known_serials, claimed_serials)
        else:
            _allocate_quantity(result, index, request, candidates, remaining)
    return result


def _allocate_serial(result, index, request, candidates, known_serials, claimed_serials):
    if not request.serial:
        result.errors.append(ReturnError(index, "serial_required", request.sku))
        return
    if request.qty != 1:
        result.errors.append(ReturnError(index, "serial_qty", request.sku, qty=request.qty))
        return
    if (request.sku, request.serial) not in known_serials:
        result.errors.append(ReturnError(index, "unknown_serial", request.sku, request.serial))
        return
    sold = next((line for line in candidates if request.serial in line.serials), None)
    if sold is None:
        result.errors.append(ReturnError(index, "serial_not_sold", request.sku, request.serial))
        return
    if request.serial in claimed_serials:
        result.errors.append(
            ReturnError(index, "serial_already_returned", request.sku, request.serial)
        )
        return
    claimed_serials.add(request.serial)
    result.allocations.append(Allocation(sold.line_id, 1, request.serial, index))


def _allocate_quantity(result, index, request, candidates, remaining):
    if request.qty <= 0:
        result.errors.append(ReturnError(index, "qty_not_positive", request.sku, qty=request.qty))
        return
    available = sum(remaining[line.line_id] for line in candidates)
    if request.qty > available:
        result.errors.append(
            ReturnError(
                index, "qty_exceeds", request.sku, qty=request.qty, available=max(available, 0)
            )
        )
        return
    to_place = request.qty
    for line in candidates:
        take = min(to_place, remaining[line.line_id])
        if take <= 0:
            continue
        remaining[line.line_id] -= take
        to_place -= take
        result.allocations.append(Allocation(line.line_id, take, index=index))
        if to_place <= 0:
            break


VERDICT_PENDING = "pending"
VERDICT_AUTHENTIC = "authentic"
VERDICT_SUSPECTED = "suspected"


def authenticity_verdict(results):
    """Verdict from check results ('pending', 'pass', 'fail'): any failure is suspicious.

    A single failed check is enough to suspect a counterfeit, even while other checks are
    still open: the item must not go back to sellable stock on a partial picture.
    """
    results = list(results)
    if "fail" in results:
        return VERDICT_SUSPECTED
    if not results or "pending" in results:
        return VERDICT_PENDING
    return VERDICT_AUTHENTIC
