from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models


class LuxuryOmsDemo(models.AbstractModel):
    """The demo maison's client services, moved on with their own buttons (demo data only)."""

    _inherit = "luxury.oms.demo"

    @api.model
    def _load_demo_clienteling(self):
        # The maison's staff work in its company.
        self.with_company(self._maison())._open_demo_services()
        return True

    @api.model
    def _open_demo_services(self):
        today = fields.Date.context_today(self)
        ref = self.env.ref
        # Zoé's bracelet, delivered by the demo, is back for a loose clasp: in the workshop.
        bracelet = (
            self.env["sale.order"]
            .search([("oms_external_ref", "=", "DEMO-HANDED-OVER")])
            .picking_ids.move_line_ids.lot_id[:1]
        )
        repair = self.env["luxury.client.repair"].create(
            {
                "partner_id": ref("luxury_oms.client_zoe_lefevre").id,
                "warehouse_id": ref("luxury_oms.site_paris").id,
                "serial_number": bracelet.name,
                "issue": "The clasp opens by itself.",
                "quote_amount": 0.0,
                "quote_note": "Clasp spring replaced under warranty.",
                "date_promised": today + timedelta(days=12),
            }
        )
        repair.action_send_quote()
        repair.action_approve()
        repair.action_start_workshop()
        # A bracelet out on loan for a magazine shoot.
        self.env["luxury.client.loan"].create(
            {
                "partner_id": ref("luxury_oms.client_sofia_rossi").id,
                "warehouse_id": ref("luxury_oms.site_paris").id,
                "purpose": "Vogue Paris cover shoot",
                "lot_ids": [(6, 0, ref("luxury_oms.lot_jwl_bracelet_noeud_yg_07").ids)],
                "date_due": today + timedelta(days=5),
            }
        ).action_send_out()
        # A Tokyo piece on its way to Paris for Wang Wei's appointment.
        self.env["luxury.client.piece.transfer"].create(
            {
                "partner_id": ref("luxury_oms.client_wang_wei").id,
                "warehouse_id": ref("luxury_oms.site_paris").id,
                "lot_id": ref("luxury_oms.lot_jwl_bracelet_noeud_yg_13").id,
                "appointment_date": fields.Datetime.now() + timedelta(days=6),
            }
        ).action_confirm()
        # The special order of the crocodile tote is quoted to the client.
        ref("luxury_clienteling.demo_special_order_tote").action_send_quote()
