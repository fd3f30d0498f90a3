"""tools/backup and tools/restore: a demo database backed up, restored
under another name, and the same records and attachments found there
(docs/admin.md «Резервное копирование»)."""
import hashlib
import json
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

from prod_tools import ROOT, drop_database

VAR_DB = ROOT / 'var' / 'db'


def mrk_counts(uri, name):
    "{table: rows} of every MRK table"
    conninfo = uri.rstrip('/') + '/' + name
    with psycopg.connect(conninfo) as conn:
        tables = [t for t, in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename LIKE 'mrk\\_%' ORDER BY tablename")]
        return {t: conn.execute(sql.SQL('SELECT COUNT(*) FROM {}').format(
                    sql.Identifier(t))).fetchone()[0] for t in tables}


def attachments_checksum(uri, name, store):
    """One SHA-256 over the content of every attachment of the database,
    in the order of their ids, read where trytond reads it (file store)"""
    conninfo = uri.rstrip('/') + '/' + name
    digest = hashlib.sha256()
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute('SELECT id, name, file_id FROM ir_attachment '
            'WHERE file_id IS NOT NULL ORDER BY id').fetchall()
    for id_, filename, file_id in rows:
        path = store / file_id[:2] / file_id[2:4] / file_id
        digest.update(filename.encode())
        digest.update(path.read_bytes())
    return len(rows), digest.hexdigest()


def test_backup_and_restore_under_another_name(database):
    uri, name = database
    restored = name + '_restored'
    output = Path(tempfile.mkdtemp(prefix='mrk-backup-'))
    try:
        backup = subprocess.run([sys.executable, str(ROOT / 'tools' / 'backup'),
                '--db', uri, '--name', name, '--output', str(output),
                '--filestore', str(VAR_DB)],
            capture_output=True, text=True, check=True).stdout.strip()
        backup = Path(backup)
        assert backup.parent == output and backup.name.startswith(name)
        assert {p.name for p in backup.iterdir()} == {
            'database.dump', 'filestore.tar', 'manifest.json'}
        manifest = json.loads((backup / 'manifest.json').read_text())
        assert manifest['database'] == name

        result = subprocess.run([sys.executable,
                str(ROOT / 'tools' / 'restore'), str(backup),
                '--db', uri, '--name', restored,
                '--filestore', str(VAR_DB)],
            capture_output=True, text=True)
        assert result.returncode == 0, result.stderr[-3000:]

        counts = mrk_counts(uri, name)
        assert len(counts) > 20 and sum(counts.values()) > 100, counts
        assert mrk_counts(uri, restored) == counts
        files, checksum = attachments_checksum(uri, name, VAR_DB / name)
        assert files, 'the demo database has no attachments'
        assert attachments_checksum(uri, restored, VAR_DB / restored) == (
            files, checksum)

        # A restore never overwrites a database.
        again = subprocess.run([sys.executable,
                str(ROOT / 'tools' / 'restore'), str(backup),
                '--db', uri, '--name', restored,
                '--filestore', str(VAR_DB / ('other_' + secrets.token_hex(2)))],
            capture_output=True, text=True)
        assert again.returncode != 0 and 'exists' in again.stderr
    finally:
        drop_database(uri, restored)
        import shutil
        shutil.rmtree(output, ignore_errors=True)
