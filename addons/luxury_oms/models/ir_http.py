import inspect
import json

from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.service.model import get_public_method

from ..engine import api_payload
from ..engine import transport

CHANNEL_API = "luxury.oms.api"
CHANNEL_API_JSON2_PATH = f"/json/2/{CHANNEL_API}/"
# Arguments of the JSON-2 route itself rather than of the called method.
JSON2_ROUTE_ARGUMENTS = {"__model__", "__method__", "context"}
# The methods whose one argument is a struct whose fields are named from its root, as
# ``lines[0].qty`` for place_order's order.
ROOT_STRUCTS = {"place_order": "order"}


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _oms_is_channel_api(cls):
        return request.httprequest.path.startswith(CHANNEL_API_JSON2_PATH)

    @classmethod
    def _dispatch(cls, endpoint):
        if cls._oms_is_channel_api():
            cls._oms_check_channel_arguments()
        return super()._dispatch(endpoint)

    @classmethod
    def _oms_check_channel_arguments(cls):
        """An unknown or missing argument of a channel API method is refused naming it, as
        any payload field (Odoo's own answer, a signature error, names no field)."""
        try:
            method = get_public_method(request.env[CHANNEL_API], request.params.get("__method__"))
            parameters = dict(list(inspect.signature(method).parameters.items())[1:])  # no self
        except (AccessError, AttributeError, ValueError):
            return  # not a public method of the API: Odoo answers so
        given = set(request.params) - JSON2_ROUTE_ARGUMENTS
        try:
            api_payload.check_arguments(given, parameters)
        except api_payload.PayloadError as error:
            raise ValidationError(str(error)) from None

    @classmethod
    def _handle_error(cls, exception):
        """Channel API errors over JSON-2 say what is wrong, without the server's traceback.

        Odoo puts the traceback in every JSON-2 error body (``debug``). A channel's
        integrator gets the error's name, message and arguments; the traceback stays in
        the server log, as over XML-RPC.
        """
        if cls._oms_is_channel_api():
            exception = cls._oms_too_deep_body(exception) or exception
        response = super()._handle_error(exception)
        if cls._oms_is_channel_api() and getattr(response, "mimetype", None) == "application/json":
            body = json.loads(response.get_data())
            if isinstance(body, dict) and body.pop("debug", None) is not None:
                response.set_data(json.dumps(body))
        return response

    @classmethod
    def _oms_too_deep_body(cls, exception):
        """A body nested too deep for the json module to parse (it recurses) is refused,
        naming the field, as the API refuses any value nested too deep."""
        parsed = getattr(request.dispatcher, "jsonrequest", None) is not None
        if not isinstance(exception, RecursionError) or parsed:
            return None
        body = request.httprequest.get_data(as_text=True)
        # the body's top level holds the arguments, each one level above its own content
        keys = transport.json_nesting_path(body, api_payload.MAX_DEPTH + 1)
        if not keys:
            return None
        method = request.httprequest.path.removeprefix(CHANNEL_API_JSON2_PATH)
        if keys[0] == ROOT_STRUCTS.get(method) and isinstance(keys[1], str):
            keys = keys[1:]
        return ValidationError(str(api_payload.nesting_error(api_payload.format_path(keys))))
