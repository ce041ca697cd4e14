from . import luxury_oms_api_key_wizard
