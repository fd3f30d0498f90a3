"""Import the legacy Excel rent table into an MRK database (5.1).

    python tools/import_rent.py --db URI_OR_NAME FILE [--dry-run]
        [--config config/trytond.conf] [--user admin] [--company NAME]

--db is a database name, looked for as tools/mrk.py makes it (SQLite files
under var/db unless TRYTOND_DATABASE__URI says else), the path of a SQLite
file (var/db/mrk.sqlite), or a URI that names the database:
sqlite:///relative/path/name.sqlite, sqlite:////absolute/path/name.sqlite
or postgresql://user@127.0.0.1:5432/name.

The file is read with the column headers configured in the database
(Configuration / Legacy Table Columns) and within the limits of the
[mrk_rent] section of the configuration (legacy_max_bytes,
legacy_max_unpacked, legacy_max_rows, legacy_max_columns). The whole file is
checked first; the report is printed: what the import did (or, with
--dry-run, would do) on each row, or every error by row and column. The
import is all or nothing: with an error nothing is written and the exit
code is 1.
"""
import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / 'config' / 'trytond.conf'
VAR = ROOT / 'var'


def database(value):
    "The URI, the SQLite folder (or None) and the name of the database"
    parsed = urlparse(value)
    if not parsed.scheme and value.endswith('.sqlite'):
        return database('sqlite:///' + value)
    if not parsed.scheme:
        uri = os.environ.get('TRYTOND_DATABASE__URI') or 'sqlite://'
        path = None
        if uri.startswith('sqlite'):
            path = (os.environ.get('TRYTOND_DATABASE__PATH')
                or str(VAR / 'db'))
        return uri, path, value
    if parsed.scheme.startswith('sqlite'):
        # sqlite:///relative/name.sqlite, sqlite:////absolute/name.sqlite
        path = Path(parsed.netloc + parsed.path[1:]).resolve()
        name = path.name
        if name.endswith('.sqlite'):
            name = name[:-len('.sqlite')]
        return 'sqlite://', str(path.parent), name
    name = parsed.path.strip('/')
    if not name:
        raise SystemExit('The URI %s names no database' % value)
    return parsed._replace(path='/').geturl(), None, name


def run(name, content, filename, dry_run, login, company_name):
    "Import in a transaction of its own; returns the import's result"
    from trytond.exceptions import UserError
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool.start()
    pool = Pool(name)
    pool.init()
    with Transaction().start(name, 0, readonly=False) as transaction:
        User = pool.get('res.user')
        Company = pool.get('company.company')
        users = User.search([('login', '=', login)], limit=1)
        if not users:
            raise SystemExit('No user with the login %s' % login)
        user, = users
        with transaction.set_user(user.id):
            context = User.get_preferences(context_only=True)
        if company_name:
            companies = Company.search(
                [('party.name', '=', company_name)], limit=1)
            if not companies:
                raise SystemExit('No company named %s' % company_name)
            context['company'] = companies[0].id
        elif not context.get('company'):
            companies = Company.search([], limit=2)
            if len(companies) == 1:
                context['company'] = companies[0].id
        with transaction.set_user(user.id), \
                transaction.set_context(context):
            Import = pool.get('mrk.rent.import', type='wizard')
            try:
                result = Import.import_file(
                    content, dry_run=dry_run, filename=filename)
            except UserError as exception:
                # Raised while writing: the transaction is rolled back
                transaction.rollback()
                return None, exception.message
            report = result.format()
        if result.written:
            transaction.commit()
        else:
            transaction.rollback()
    return result, report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--db', required=True, metavar='URI_OR_NAME',
        help="database name or URI")
    parser.add_argument('file', metavar='FILE', help="the .xlsx workbook")
    parser.add_argument('--dry-run', action='store_true',
        help="report what the import would do, write nothing")
    parser.add_argument('--config', default=str(CONFIG),
        help="trytond configuration file")
    parser.add_argument('--user', default='admin',
        help="login of the user who imports (default admin)")
    parser.add_argument('--company',
        help="name of the company, when the user has none and there are "
        "several")
    options = parser.parse_args(argv)
    path = Path(options.file)
    if not path.is_file():
        parser.error('no file %s' % path)

    uri, folder, name = database(options.db)
    # The configuration is set before trytond chooses its backend.
    from trytond import config
    config.update_etc(options.config)
    config.set('database', 'uri', uri)
    if folder:
        config.set('database', 'path', folder)

    result, report = run(name, path.read_bytes(), path.name,
        options.dry_run, options.user, options.company)
    print(report)
    return 0 if result is not None and result.ok else 1


if __name__ == '__main__':
    sys.exit(main())
