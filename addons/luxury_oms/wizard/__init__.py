from . import luxury_oms_api_key_wizard
from . import luxury_oms_certificate_transfer
from . import luxury_oms_channel_availability_wizard
from . import luxury_oms_fraud_review_wizard
from . import luxury_oms_handover_wizard
from . import luxury_oms_resource_wizard
