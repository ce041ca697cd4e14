from . import test_engine_returns, test_return_flow
