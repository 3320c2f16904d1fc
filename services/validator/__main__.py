"""``python -m services.validator``: run the validator service."""

import sys

from services.common.server import run_main
from services.validator.service import build_service
from services.validator.settings import ValidatorSettings

if __name__ == "__main__":
    sys.exit(run_main("validator", ValidatorSettings, build_service))
