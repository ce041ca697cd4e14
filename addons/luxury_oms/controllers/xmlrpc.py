import xmlrpc.client
from xml.parsers.expat import ExpatError

from odoo.addons.rpc.controllers import RPC
from odoo.addons.rpc.controllers.xmlrpc import dumps
from odoo.http import dispatch_rpc
from odoo.http import request

from ..engine import transport
from ..models.ir_http import CHANNEL_API


class ChannelXmlRpc(RPC):
    """Odoo's XML-RPC endpoints, extended through ``RPC``: the controller that serves
    them (extending ``XMLRPC`` would add a second leaf, and ``RPC`` would keep the routes).
    Only where a database is known (one database, a db filter or a session): requests
    served without one use the server-wide modules' controllers alone."""

    def _xmlrpc(self, service):
        """A channel API call carrying a character XML cannot (a NUL, a lone surrogate) is
        refused by the API naming the field, as over JSON-2, instead of failing to parse
        with a traceback. Any other unparsable request keeps Odoo's answer."""
        try:
            return super()._xmlrpc(service)
        except ExpatError:
            data = transport.mark_xml_invalid(request.httprequest.get_data())
            try:
                params, method = xmlrpc.client.loads(data, use_datetime=True)
            except ExpatError:
                params, method = (), None
            if not (
                service == "object"
                and method in ("execute", "execute_kw")
                and len(params) > 4
                and params[3] == CHANNEL_API
            ):
                raise
        result = dispatch_rpc(service, method, transport.unmark_xml_invalid(params))
        return dumps((result,))
