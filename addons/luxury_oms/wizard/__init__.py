from . import luxury_oms_fraud_review_wizard
