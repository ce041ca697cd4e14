"""Suggest products consistent with what a client bought recently and likes.

Scores are explainable: a candidate earns points for each recent purchase in its
category (more recent purchases weigh more) and for each client preference its
name or tags mention. Products the client already owns are never suggested.
"""

CATEGORY_WEIGHT = 2.0
PREFERENCE_WEIGHT = 1.0


def suggest_products(recent_purchases, candidates, preferences, owned, limit=5):
    """Return up to ``limit`` ``(product_id, score)`` pairs, best first.

    - ``recent_purchases``: category ids of the client's purchases, most recent first
      (False or None for a product without a category);
    - ``candidates``: iterable of ``(product_id, category_id, text)`` where
      ``text`` is the lower-case product name and tags;
    - ``preferences``: lower-case preference values (colours, materials, collections);
    - ``owned``: product ids the client already bought.
    """
    category_scores = {}
    for position, category_id in enumerate(recent_purchases):
        if not category_id:
            continue  # a product without a category says nothing of the client's categories
        # the n-th most recent purchase weighs 1/(n+1): taste drifts
        category_scores[category_id] = category_scores.get(category_id, 0.0) + 1.0 / (position + 1)
    preferences = {value for value in preferences if value}
    scored = []
    for product_id, category_id, text in candidates:
        if product_id in owned:
            continue
        score = CATEGORY_WEIGHT * category_scores.get(category_id, 0.0)
        score += PREFERENCE_WEIGHT * sum(1 for value in preferences if value in text)
        if score > 0:
            scored.append((product_id, round(score, 4)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]
