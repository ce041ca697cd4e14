from collections import defaultdict

from odoo import models

POS_CHANGED_KEY = "luxury_oms.pos_availability_changed"
POS_AVAILABILITY_NOTIFICATION = "OMS_AVAILABILITY"


class LuxuryOmsStockSlot(models.Model):
    """The open boutique tills hear of the products whose Available to Sell moved: the
    pairs the snapshot refreshes in a transaction are collected and sent once, just before
    it commits, as one bus notification per open till of the companies touched (its cards
    then refresh the badges of those products only)."""

    _inherit = "luxury.oms.stock.slot"

    def _oms_refresh_pairs(self, pairs):
        super()._oms_refresh_pairs(pairs)
        self._oms_queue_pos_notification(pairs)

    def _oms_queue_pos_notification(self, pairs):
        data = self.env.cr.precommit.data
        pending = data.get(POS_CHANGED_KEY)
        if pending is None:
            pending = data[POS_CHANGED_KEY] = set()
            slots = self.with_env(self.env(su=True, context={}))
            self.env.cr.precommit.add(slots._oms_notify_pos_tills)
        pending.update(pair for pair in pairs if all(pair))

    def _oms_notify_pos_tills(self):
        """One ``OMS_AVAILABILITY`` notification per open till of the touched companies:
        ``{"product_ids": [...]}`` (its network is its company's sites)."""
        pairs = self.env.cr.precommit.data.pop(POS_CHANGED_KEY, None)
        if not pairs:
            return
        company_of = {
            site.id: site.company_id.id
            for site in self.env["stock.warehouse"].browse({site_id for _pid, site_id in pairs})
        }
        products_by_company = defaultdict(set)
        for product_id, site_id in pairs:
            products_by_company[company_of[site_id]].add(product_id)
        sessions = self.env["pos.session"].search(
            [
                ("state", "in", ("opening_control", "opened")),
                ("config_id.oms_channel_id", "!=", False),
                ("config_id.company_id", "in", list(products_by_company)),
            ]
        )
        for config in sessions.config_id:
            product_ids = sorted(products_by_company[config.company_id.id])
            config._notify(POS_AVAILABILITY_NOTIFICATION, {"product_ids": product_ids})
