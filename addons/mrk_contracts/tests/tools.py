"Shared test helpers of mrk_contracts"
from unittest import TestCase

from trytond.tests.test_tryton import activate_module, drop_db


class DatabaseTestCase(TestCase):
    """A test case with a fresh database where mrk_contracts is activated,
    without the generic module checks that ModuleTestCase runs once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['mrk_contracts'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()
