from datetime import datetime
from unittest.mock import patch

from .common import LuxuryOmsCase


class TestHandoverDeadline(LuxuryOmsCase):
    """A channel's parcel is due at its site's courier cut-off, in the site's time zone: the
    floor does not see it late the minute the order is confirmed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dc.partner_id.tz = "Europe/Paris"
        cls.dc.oms_courier_cutoff = 16.0
        cls._set_stock(cls.product, cls.dc, 3)

    def _order(self, channel=None):
        return self.env["sale.order"].create(
            {
                "partner_id": self.client.id,
                "oms_channel_id": channel and channel.id,
                "warehouse_id": self.dc.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )

    def _confirm_at(self, order, utc_now):
        with patch.object(type(self.env.cr), "now", lambda cursor: utc_now):
            order.action_confirm()
        return order.picking_ids

    def test_confirmed_in_the_morning_is_due_at_today_s_cut_off(self):
        # Monday 7 December, 10:00 in Paris (09:00 UTC): due at 16:00 Paris, 15:00 UTC.
        parcel = self._confirm_at(self._order(self.channel), datetime(2026, 12, 7, 9, 0))
        self.assertEqual(parcel.date_deadline, datetime(2026, 12, 7, 15, 0))

    def test_confirmed_after_saturday_s_cut_off_is_due_on_monday(self):
        parcel = self._confirm_at(self._order(self.channel), datetime(2026, 12, 12, 17, 0))
        self.assertEqual(parcel.date_deadline, datetime(2026, 12, 14, 15, 0))

    def test_back_office_orders_keep_odoo_s_dates(self):
        parcel = self._confirm_at(self._order(), datetime(2026, 12, 7, 9, 0))
        self.assertNotEqual(parcel.date_deadline, datetime(2026, 12, 7, 15, 0))
