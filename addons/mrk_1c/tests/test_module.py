"""The module installs and its settings are the administrator's (4.1-4.4)."""
from trytond.tests.test_tryton import ModuleTestCase


class Mrk1CTestCase(ModuleTestCase):
    "Test mrk_1c module"
    module = 'mrk_1c'


del ModuleTestCase
