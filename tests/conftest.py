"""The test tree mirrors src/courtpath (tests/law, tests/web, ...). This file puts tests/ itself on sys.path, so that
every test module can import the shared helpers of tests/_support.py."""
