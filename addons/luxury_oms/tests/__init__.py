from . import (
    test_availability,
    test_channel,
    test_engine_availability,
    test_engine_fraud,
    test_fraud,
    test_site,
    test_tier,
)
