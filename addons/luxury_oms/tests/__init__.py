from . import test_channel, test_site, test_tier
