from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Merged clients are one: their merge proposals between them are settled (Odoo
        would otherwise point them at the kept client, proposing it as its own twin)."""
        self.env["luxury.client.merge.proposal"].sudo().search(
            [("partner_id", "in", partner_ids), ("duplicate_id", "in", partner_ids)]
        ).unlink()
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
