from . import test_engine_returns
from . import test_return_access
from . import test_return_channel
from . import test_return_flow
