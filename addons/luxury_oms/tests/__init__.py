from . import test_api
from . import test_availability
from . import test_channel
from . import test_demo_maison
from . import test_engine_api_payload
from . import test_engine_availability
from . import test_site
from . import test_tier
