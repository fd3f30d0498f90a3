"Shared test helpers of mrk_1c"
import datetime

from trytond.modules.mrk_base.tests import tools as base_tools
from trytond.modules.mrk_rent.tests.tools import (
    install, make_contract, make_party, make_point, make_terminals,
    setup_rent)
from trytond.pool import Pool

from .onec_fake import Fake1C

__all__ = ['ExchangeTestCase', 'setup_exchange', 'configure_exchange', 'make_world', 'install',
    'make_contract', 'make_party', 'make_point', 'make_terminals',
    'Fake1C', 'NOW']

D = datetime.date
NOW = datetime.datetime(2026, 12, 7, 9, 0)


class ExchangeTestCase(base_tools.DatabaseTestCase):
    "A test case with a fresh database where mrk_1c is activated"
    modules = ['mrk_1c']

    def start_fake(self, **kwargs):
        fake = Fake1C(**kwargs).start()
        self.addCleanup(fake.stop)
        return fake


def setup_exchange(fake, timeout=2, batch_size=50, soap_version='1.2'):
    """The service's users (setup_rent; the office administrator owns
    4.1-4.4 in the matrix) and the settings bound to the fake 1C"""
    company, people = setup_rent()
    configure_exchange(fake, people, timeout=timeout, batch_size=batch_size,
        soap_version=soap_version)
    return company, people


def configure_exchange(fake, people, timeout=2, batch_size=50,
        soap_version='1.2'):
    "The settings bound to the fake 1C; the office owns 4.1-4.4"
    pool = Pool()
    Configuration = pool.get('mrk.onec.configuration')
    Function = pool.get('mrk.function')
    Function.write(Function.search([('code', 'in',
                    ['4.1', '4.2', '4.3', '4.4'])]),
        {'owner': people['office'].id})
    config = Configuration(1)
    config.enabled = True
    config.url = fake.url
    config.login = fake.login
    config.password = fake.password
    config.timeout = timeout
    config.connect_timeout = 1
    config.batch_size = batch_size
    config.soap_version = soap_version
    config.save()


def make_world(count, terminals_per_contract=1, prefix='SN'):
    """count counterparties, each with an active contract, a point and
    installed terminals; returns (parties, contracts, terminals)"""
    parties, contracts, terminals = [], [], []
    for i in range(count):
        party = make_party(name='ООО «Контрагент %s»' % i)
        contract = make_contract(party)
        point = make_point(party, name='Точка %s' % i)
        these = make_terminals(*['%s-%04d-%d' % (prefix, i, j)
                for j in range(terminals_per_contract)])
        install(these, point, D(2026, 1, 10), contract=contract)
        parties.append(party)
        contracts.append(contract)
        terminals.extend(these)
    return parties, contracts, terminals


def run_until_empty(Message, start, step=datetime.timedelta(hours=1),
        rounds=50):
    "Run the sender every step from start until nothing waits"
    now = start
    for _ in range(rounds):
        Message.send_queue(now=now)
        if not Message.search([('state', '=', 'waiting')]):
            return now
        now += step
    raise AssertionError('the queue did not empty')
