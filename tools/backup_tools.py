"""What tools/backup and tools/restore share: the database URI of a name,
the row counts of the tables and the digests of the file store."""
import hashlib
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def database_uri(uri, name):
    "The URI of the database name on the server of uri"
    return urlparse(uri)._replace(path='/' + name).geturl()


def table_counts(uri):
    "{table: rows} of every table of the public schema"
    import psycopg
    from psycopg import sql
    with psycopg.connect(uri) as conn:
        tables = [t for t, in conn.execute(
                "SELECT tablename FROM pg_tables "
                "WHERE schemaname = 'public' ORDER BY tablename")]
        return {t: conn.execute(sql.SQL('SELECT COUNT(*) FROM {}').format(
                    sql.Identifier(t))).fetchone()[0] for t in tables}


def filestore_digests(store):
    "{relative path: SHA-256} of every file of the file store folder"
    store = Path(store)
    result = {}
    if store.is_dir():
        for path in sorted(store.rglob('*')):
            if path.is_file():
                result[str(path.relative_to(store))] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
    return result
