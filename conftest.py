"""Test defaults: SQLite in memory unless TRYTOND_DATABASE_URI says else.

On PostgreSQL set TRYTOND_DATABASE_URI=postgresql://user@127.0.0.1:5432/ and
DB_NAME to a database the tests may create and drop.
"""
import os

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
