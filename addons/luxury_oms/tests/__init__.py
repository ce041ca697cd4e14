from . import test_channel, test_demo_maison, test_site, test_tier
