from . import certificate
from . import xmlrpc
