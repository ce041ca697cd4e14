from . import test_engine_returns
