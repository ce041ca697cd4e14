from . import test_availability
from . import test_channel
from . import test_demo_maison
from . import test_engine_availability
from . import test_engine_fulfilment
from . import test_fulfilment
from . import test_site
from . import test_tier
