from . import test_channel, test_engine_fraud, test_fraud, test_site, test_tier
