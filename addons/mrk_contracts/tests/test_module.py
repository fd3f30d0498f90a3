"""Behaviour of mrk_contracts: requisites on counterparties, rent contracts
with their lifecycle, amendments, change requests and the control of
expiring contracts (seed 1.1–1.5, 3.1)."""
from trytond.tests.test_tryton import ModuleTestCase


class MrkContractsTestCase(ModuleTestCase):
    "Test mrk_contracts module"
    module = 'mrk_contracts'


del ModuleTestCase
