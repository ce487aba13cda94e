import sys

from qualitycity.cli import main

sys.exit(main())
