from odoo import api
from odoo import models


class LuxuryOmsAvailabilityTracked(models.AbstractModel):
    """Records whose changes move an Available to Sell figure (quants, moves): the snapshot
    rows of the (product, site) pairs they touch, before and after a change, are made exact
    at commit."""

    _name = "luxury.oms.availability.tracked"
    _description = "Keeps the Available to Sell rows it touches exact"

    # Fields whose change moves a figure, and those that also move it elsewhere (the rows
    # of where the record was are refreshed too).
    _oms_availability_fields = frozenset()
    _oms_availability_place_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._oms_track_availability()
        return records

    def write(self, vals):
        if self._oms_availability_place_fields & vals.keys():
            self._oms_track_availability()  # where it was
        result = super().write(vals)
        if self._oms_availability_fields & vals.keys():
            self._oms_track_availability()
        return result

    def unlink(self):
        self._oms_track_availability()
        return super().unlink()

    def _oms_track_availability(self):
        self.env["luxury.oms.stock.slot"]._oms_track_located(self._oms_availability_pairs())

    def _oms_availability_pairs(self):
        """The (product id, location id) pairs whose figures these records move."""
        raise NotImplementedError
