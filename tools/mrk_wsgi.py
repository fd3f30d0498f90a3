"""The WSGI application of the production server: trytond's application
(JSON-RPC and the web client from [web] root) with a health URL.

    gunicorn --pythonpath tools mrk_wsgi:app

GET /health answers 200 with JSON {"status": "ok", "version": …,
"trytond": …, "databases": {name: "ok"}} when every database named in
TRYTOND_DATABASE_NAMES answers a query, 503 with the error otherwise. The
compose health checks and a load balancer ask it. trytond 8.0 has no such
URL, hence this route of its own.
"""
import csv
import json
import logging
import os
from importlib import metadata
from io import StringIO

import trytond
from trytond.application import app
from trytond.protocols.wrappers import Response
from trytond.transaction import Transaction

__all__ = ['app']

# trytond's application reads TRYTOND_LOGGING_CONFIG with
# logging.config.fileConfig, which disables the loggers that exist already:
# gunicorn's access and error logs are enabled again.
for _name in ['gunicorn.access', 'gunicorn.error']:
    logging.getLogger(_name).disabled = False


def database_names():
    names = os.environ.get('TRYTOND_DATABASE_NAMES', '')
    return [n for n in next(csv.reader(StringIO(names)), []) if n]


def version():
    try:
        return metadata.version('mrk')
    except metadata.PackageNotFoundError:
        return None


@app.route('/health', methods=['GET'])
def health(request):
    databases = {}
    ok = True
    for name in database_names():
        try:
            with Transaction().start(name, 0, readonly=True) as transaction:
                cursor = transaction.connection.cursor()
                cursor.execute(
                    "SELECT state FROM ir_module WHERE name = 'mrk_base'")
                row = cursor.fetchone()
            if row and row[0] == 'activated':
                databases[name] = 'ok'
            else:
                ok = False
                databases[name] = 'mrk_base is not activated'
        except Exception as exception:
            ok = False
            databases[name] = '%s: %s' % (
                exception.__class__.__name__, exception)
    body = {
        'status': 'ok' if ok else 'error',
        'version': version(),
        'trytond': trytond.__version__,
        'databases': databases,
        }
    return Response(json.dumps(body, ensure_ascii=False),
        status=200 if ok else 503, content_type='application/json')
