from . import luxury_oms_handover_wizard
