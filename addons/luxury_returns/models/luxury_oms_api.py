from odoo import api
from odoo import models
from odoo.addons.luxury_oms.engine import api_payload
from odoo.addons.luxury_oms.models import api_boundary


class LuxuryOmsApi(models.AbstractModel):
    """The channel API's returns: ``request_return`` and returns in ``get_order_status``."""

    _inherit = "luxury.oms.api"

    @api.model
    def request_return(self, channel, external_ref, lines, reason):
        """Open a return (RMA) on the channel's order ``external_ref``.

        ``lines``: ``[{"sku", "qty", "serial"}]`` (serial required for serial-tracked
        pieces); ``reason``: a return reason code. Validated as a whole before anything is
        written; answers ``{"return_ref", "ref", "state", "lines"}``: the return as
        ``get_order_status`` lists it under ``returns`` (``ref``), with ``return_ref`` the same
        reference.
        """
        return api_boundary.call(self, "_api_request_return", channel, external_ref, lines, reason)

    def _api_request_return(self, channel, external_ref, lines, reason):
        channel_code, external_ref = self._api_validate(
            api_payload.validate_reference, channel, external_ref
        )
        channel_record = self._api_channel(channel_code)
        order = self._api_order(channel_record, external_ref)
        Return = self._api_as_channel(channel_record).env["luxury.return"]
        rma = Return._create_from_channel(channel_record, order, lines, reason)
        return self._api_without_none({"return_ref": rma.name, **rma._channel_status()})

    def _api_get_order_status(self, channel, external_ref):
        answer = super()._api_get_order_status(channel, external_ref)
        channel_code, external_ref = api_payload.validate_reference(channel, external_ref)
        order = self._api_order(self._api_channel(channel_code), external_ref)
        returns = self.env["luxury.return"]._oms_return_status_for_order(order)
        answer["returns"] = [self._api_without_none(status) for status in returns]
        return answer

    def _api_without_none(self, value):
        """XML-RPC cannot carry None: absent values travel as False, as everywhere in the API."""
        if isinstance(value, dict):
            return {key: self._api_without_none(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self._api_without_none(item) for item in value]
        return False if value is None else value
