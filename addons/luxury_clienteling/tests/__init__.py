from . import (
    test_client_360,
    test_documents,
    test_duplicates,
    test_engine_client_matching,
    test_engine_detaxe,
    test_engine_suggestions,
    test_piece_transfer,
    test_pos_client_panel,
    test_privacy,
    test_services,
)
