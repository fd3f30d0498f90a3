"""Test defaults: SQLite in memory unless TRYTOND_DATABASE_URI says else.

On PostgreSQL set TRYTOND_DATABASE_URI=postgresql://user@127.0.0.1:5432/ and
DB_NAME to a database the tests may create and drop.
"""
import atexit
import os
import shutil
import tempfile

# The same LibreOffice command as config/trytond.conf.
os.environ.setdefault('TRYTOND_REPORT__CONVERT_COMMAND',
    'soffice --headless --nolockcheck --nodefault --norestore '
    '-env:UserInstallation=file://%(directory)s/profile '
    '--convert-to "%(output_extension)s" --outdir "%(directory)s" '
    '"%(input_path)s"')

os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
if os.environ['TRYTOND_DATABASE_URI'].startswith('sqlite'):
    os.environ.setdefault('DB_NAME', ':memory:')
else:
    os.environ.setdefault('DB_NAME', 'mrk_test')

# Activating the modules is the slowest part of a test class: each class that
# activates the same modules restores a copy of the database made by the
# first one (trytond's DB_CACHE). The copies live in a folder of this run
# only, so a changed XML file never meets a stale copy.
if not os.environ.get('DB_CACHE'):
    _db_cache = tempfile.mkdtemp(prefix='mrk-db-cache-')
    os.environ['DB_CACHE'] = _db_cache
    atexit.register(shutil.rmtree, _db_cache, True)
