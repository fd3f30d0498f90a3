"""Production tests: tools/mrk.py serve (gunicorn, trytond-cron,
trytond-worker) on PostgreSQL, the compose services run directly, backups.

They always run on PostgreSQL: TRYTOND_DATABASE_URI when it names one,
postgresql://postgres@127.0.0.1:5432/ otherwise. The session creates one
demo database mrk_prod_<pid>_<random> (tools/mrk.py setup) shared by the
tests and drops it, with its file store, at the end
(MRK_PRODUCTION_TEST_DATABASE=<name> uses an existing demo database
instead and keeps it: setting the demo up takes minutes).
"""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# The tests import their helpers (prod_tools.py) from this folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from prod_tools import (  # noqa: E402
    MRK, ROOT, Process, drop_database, postgresql_uri)


@pytest.fixture(scope='session')
def database():
    "(uri, name) of a PostgreSQL database with MRK and its demo data"
    uri = postgresql_uri()
    existing = os.environ.get('MRK_PRODUCTION_TEST_DATABASE')
    if existing:
        # A demo database made before (tools/mrk.py setup), kept after.
        yield uri, existing
        return
    name = 'mrk_prod_%s_%s' % (os.getpid(), secrets.token_hex(3))
    try:
        subprocess.run([sys.executable, str(MRK), 'setup', '--db', uri,
                '--name', name], cwd=ROOT, check=True,
            stdout=subprocess.DEVNULL)
        yield uri, name
    finally:
        drop_database(uri, name)


@pytest.fixture
def processes():
    "start(command, env) starts a Process; all are stopped at the end"
    started = []

    def start(command, env=None):
        process = Process(command, env=env)
        started.append(process)
        return process
    yield start
    for process in started:
        process.close()
