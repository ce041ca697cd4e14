"""Is a sale eligible for a tax-free (detaxe) export form?

Visitors resident outside the seller's customs union get the VAT back when they
export the goods in their luggage, above a minimum purchase amount (France:
more than 100 EUR including VAT on one day in one shop).
"""

EU_COUNTRY_CODES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)

NO_RESIDENCE = "no_residence"
SAME_CUSTOMS_UNION = "same_customs_union"
BELOW_MINIMUM = "below_minimum"
NO_TAX = "no_tax"


def customs_union(country_code):
    """Countries sharing the VAT territory of ``country_code``."""
    return EU_COUNTRY_CODES if country_code in EU_COUNTRY_CODES else frozenset({country_code})


def detaxe_refusal(client_country, seller_country, amount_incl_tax, tax_amount, minimum):
    """Return None when the sale is eligible, else the reason code why not.

    ``amount_incl_tax`` and ``minimum`` are in the same currency.
    """
    if not client_country:
        return NO_RESIDENCE
    if client_country in customs_union(seller_country):
        return SAME_CUSTOMS_UNION
    if tax_amount <= 0:
        return NO_TAX
    if amount_incl_tax < minimum:
        return BELOW_MINIMUM
    return None
