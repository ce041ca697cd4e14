import json

from odoo import models
from odoo.http import request

CHANNEL_API_JSON2_PATH = "/json/2/luxury.oms.api/"


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _handle_error(cls, exception):
        """Channel API errors over JSON-2 say what is wrong, without the server's traceback.

        Odoo puts the traceback in every JSON-2 error body (``debug``). A channel's
        integrator gets the error's name, message and arguments; the traceback stays in
        the server log, as over XML-RPC.
        """
        response = super()._handle_error(exception)
        if (
            request.httprequest.path.startswith(CHANNEL_API_JSON2_PATH)
            and getattr(response, "mimetype", None) == "application/json"
        ):
            body = json.loads(response.get_data())
            if isinstance(body, dict) and body.pop("debug", None) is not None:
                response.set_data(json.dumps(body))
        return response
