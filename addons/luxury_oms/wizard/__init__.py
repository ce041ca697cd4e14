from . import luxury_oms_fraud_review_wizard
from . import luxury_oms_resource_wizard
