from . import (
    test_client_360,
    test_duplicates,
    test_engine_client_matching,
    test_engine_suggestions,
    test_privacy,
    test_services,
)
