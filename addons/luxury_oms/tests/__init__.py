from . import test_channel, test_engine_sourcing, test_site, test_sourcing, test_tier
