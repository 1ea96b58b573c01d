import sys

from tests.load.runner import main

sys.exit(main())
