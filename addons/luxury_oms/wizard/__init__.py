from . import luxury_oms_resource_wizard
