"Shared test helpers of mrk_contracts"
from unittest import TestCase

from trytond.tests.test_tryton import activate_module, drop_db


class DatabaseTestCase(TestCase):
    """A test case with a fresh database where the module is activated,
    without the generic module checks that ModuleTestCase runs once."""
    module = 'mrk_contracts'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module([cls.module])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()
