from . import test_engine_returns
from . import test_return_access
from . import test_return_api
from . import test_return_channel
from . import test_return_flow
from . import test_return_pickup
from . import test_return_pos
from . import test_return_pos_tour
