from . import test_engine_returns, test_return_access, test_return_channel, test_return_flow
