"""Create, update and run an MRK database.

    python tools/mrk.py setup [--db URI] [--name NAME] [--no-demo]
    python tools/mrk.py run   [--db URI] [--name NAME] [--port 8000]
    python tools/mrk.py serve [--db URI] [--name NAME] [--port 8000]
                              [--host 0.0.0.0] [--workers N] [--no-setup]
    python tools/mrk.py app | cron | worker   (one process, for containers)

The database URI defaults to SQLite with its files under var/db; a
PostgreSQL URI (postgresql://user@127.0.0.1:5432/) creates the database
NAME there if it is missing. setup activates every module under addons/
with Russian, and loads the demo data once; it is repeated only when the
modules' files change, so a second run starts in seconds.

run is the development server (werkzeug, one process). serve is the
production one: gunicorn with N worker processes serving trytond's
application and the web root (tools/mrk_wsgi.py, with /health),
trytond-cron as its own process and trytond-worker when [queue] worker is
on, all stopped together on Ctrl-C / SIGTERM. Its configuration is
TRYTOND_CONFIG (config/trytond-production.conf by default) and the
TRYTOND_* environment; app, cron and worker run one of these processes in
the foreground (the services of docker-compose.yml).
"""
import argparse
import hashlib
import importlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / 'var'
CONFIG = ROOT / 'config' / 'trytond.conf'
PRODUCTION_CONFIG = ROOT / 'config' / 'trytond-production.conf'
# gunicorn's access log, one line per request as key=value pairs, with the
# duration in milliseconds.
ACCESS_LOG_FORMAT = ('access remote=%(h)s method=%(m)s path="%(U)s" '
    'query="%(q)s" status=%(s)s bytes=%(B)s duration_ms=%(M)s '
    'agent="%(a)s"')
BIN = Path(sys.executable).parent
ADMIN_EMAIL = 'admin@mrk.example'


def modules():
    "The project's modules, from addons/"
    return sorted(p.parent.name for p in ROOT.glob('addons/*/tryton.cfg'))


def ordered_modules():
    "The project's modules, each after the project modules it depends on"
    from trytond.modules import get_module_info
    ours = modules()
    depends = {m: set(get_module_info(m).get('depends', [])) & set(ours)
        for m in ours}
    result = []
    while depends:
        ready = sorted(m for m, d in depends.items() if d <= set(result))
        result.extend(ready)
        for m in ready:
            del depends[m]
    return result


def environment(uri):
    env = os.environ.copy()
    env['TRYTOND_CONFIG'] = str(CONFIG)
    env['TRYTOND_DATABASE__URI'] = uri
    # A container gives its own file store and web root.
    env.setdefault('TRYTOND_DATABASE__PATH', str(VAR / 'db'))
    env.setdefault('TRYTOND_WEB__ROOT', str(VAR / 'www'))
    return env


def modules_digest():
    "A digest of every module file: a change means the database is updated"
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob('addons/**/*')):
        if path.is_file() and path.suffix in {
                '.py', '.xml', '.cfg', '.po', '.fodt', '.odt'}:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_database(uri, name):
    "Create the empty database if it does not exist; True if created"
    scheme = urlparse(uri).scheme
    if scheme.startswith('sqlite'):
        path = VAR / 'db' / (name + '.sqlite')
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.touch()
            return True
        return path.stat().st_size == 0
    elif scheme.startswith('postgresql'):
        import psycopg
        parsed = urlparse(uri)
        conninfo = parsed._replace(path='/postgres').geturl()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            exists = conn.execute(
                'SELECT 1 FROM pg_database WHERE datname = %s',
                (name,)).fetchone()
            if not exists:
                conn.execute('CREATE DATABASE "%s" ENCODING \'UTF8\''
                    % name.replace('"', ''))
                return True
        return False
    raise SystemExit('Unsupported database URI: %s' % uri)


def stamp_path(uri, name):
    key = hashlib.sha256(('%s|%s' % (uri, name)).encode()).hexdigest()[:12]
    return VAR / 'db' / ('%s.%s.stamp' % (name, key))


def setup(uri, name, demo=True, quiet=False):
    "Create or update the database; load the demo data when it is new"
    created = ensure_database(uri, name)
    stamp = stamp_path(uri, name)
    digest = modules_digest()
    if not created and stamp.exists() and stamp.read_text() == digest:
        return False
    with tempfile.NamedTemporaryFile('w', delete=False) as passfile:
        # A production database takes its admin's password from the
        # environment, never the demo's.
        passfile.write((os.environ.get('MRK_ADMIN_PASSWORD')
                or demo_admin_password()) + '\n')
    env = environment(uri)
    env['TRYTONPASSFILE'] = passfile.name
    try:
        command = [str(BIN / 'trytond-admin'), '-c', str(CONFIG), '-d', name,
            '-u', *modules(), '--activate-dependencies', '-l', 'ru',
            '--email', os.environ.get('MRK_ADMIN_EMAIL') or ADMIN_EMAIL]
        if not created:
            command.append('--all')
        subprocess.run(command, env=env, check=True,
            stdout=subprocess.DEVNULL if quiet else None)
    finally:
        os.unlink(passfile.name)
    if demo:
        # A process of its own, so that trytond reads this environment.
        subprocess.run([sys.executable, __file__, 'demo', '--db', uri,
                '--name', name], env=env, check=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)
    return True


def demo_admin_password():
    from trytond.modules.mrk_base.demo import password
    return password('admin')


def make_maildir():
    "var/mail as a Maildir (with its tmp, new and cur folders)"
    maildir = VAR / 'mail'
    for folder in ['tmp', 'new', 'cur']:
        (maildir / folder).mkdir(parents=True, exist_ok=True)
    return maildir


def free_port(*taken):
    """A free port of loopback, none of taken (a port given to a server
    that is not listening yet looks free)"""
    while True:
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            port = sock.getsockname()[1]
        if port not in taken:
            return port


def demo_mail_sink():
    "An SMTP server in this process keeping mail in var/mail"
    import trytond.config as config
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox

    maildir = make_maildir()
    port = free_port()
    controller = Controller(Mailbox(maildir), hostname='127.0.0.1', port=port)
    controller.start()
    config.set('email', 'uri', 'smtp://127.0.0.1:%s' % port)
    config.set('email', 'from', 'mrk@localhost')
    return controller.stop


def load_demo(uri, name):
    "Run every module's demo.setup once, in dependency order"
    from trytond.pool import Pool
    from trytond.transaction import Transaction, TransactionError

    Pool.start()
    pool = Pool(name)
    pool.init()
    # The demo's e-mail (notices of field jobs to example addresses) never
    # leaves the machine: it is kept in the Maildir var/mail.
    stop_sink = demo_mail_sink()
    # Gapless sequences and singletons ask for a table lock: the whole demo
    # is run again in a transaction that holds it, as trytond's dispatcher
    # does for a client call.
    try:
        extras = {}
        while True:
            try:
                with Transaction().start(name, 0, readonly=False,
                        context={'language': 'ru'}, **extras) as transaction:
                    User = pool.get('res.user')
                    if User.search([('login', '=', 'head')]):
                        break  # loaded already
                    context = {}
                    for module in ordered_modules():
                        try:
                            demo = importlib.import_module(
                                'trytond.modules.%s.demo' % module)
                        except ModuleNotFoundError:
                            continue
                        with transaction.set_context(company=context.get(
                                    'company') and context['company'].id):
                            demo.setup(context)
                    transaction.commit()
                break
            except TransactionError as exception:
                exception.fix(extras)
    finally:
        stop_sink()


def print_logins(port):
    from trytond.modules.mrk_base.demo import logins
    print()
    print('MRK is running: http://127.0.0.1:%s/' % port)
    print('Demo logins (login / password / role):')
    for login, password, role in logins():
        print('  %-12s %-16s %s' % (login, password, role))
    print()
    sys.stdout.flush()


def mail_sink(env, web_port):
    """Without an SMTP server configured, start one on loopback that keeps
    every e-mail the system sends (company cards, notices of field jobs) in
    the Maildir var/mail, so that sending works on a first run."""
    if env.get('TRYTOND_EMAIL__URI'):
        return None
    port = free_port(int(web_port))
    maildir = make_maildir()
    sink = subprocess.Popen(
        [str(BIN / 'python'), '-m', 'aiosmtpd', '-n', '-u',
            '-l', '127.0.0.1:%s' % port,
            '-c', 'aiosmtpd.handlers.Mailbox', str(maildir)],
        start_new_session=True)
    env['TRYTOND_EMAIL__URI'] = 'smtp://127.0.0.1:%s' % port
    env.setdefault('TRYTOND_EMAIL__FROM', 'mrk@localhost')
    return sink


def run(uri, name, port, demo=True):
    setup(uri, name, demo=demo)
    env = environment(uri)
    env['TRYTOND_WEB__LISTEN'] = '127.0.0.1:%s' % port
    sink = mail_sink(env, port)
    # A session of its own: the cron's workers stop with it.
    cron = subprocess.Popen(
        [str(BIN / 'trytond-cron'), '-c', str(CONFIG), '-d', name],
        env=env, start_new_session=True)
    server = subprocess.Popen(
        [str(BIN / 'trytond'), '-c', str(CONFIG), '-d', name], env=env)
    print_logins(port)
    if sink:
        print('E-mail is kept in %s (Maildir), not sent.' % (VAR / 'mail'))
        sys.stdout.flush()

    def stop(*args):
        if server.poll() is None:
            server.terminate()
        for process in [cron, sink]:
            if process and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
    signal.signal(signal.SIGTERM, stop)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        cron.wait()
        if sink:
            sink.wait()
    return server.returncode or 0


def production_environment(uri, name, config=None):
    """The environment of the production processes: TRYTOND_* from the
    caller's environment (secrets: the database URI with its password,
    the SMTP URI …), the configuration file, the database name"""
    env = os.environ.copy()
    env['TRYTOND_CONFIG'] = str(config or env.get('TRYTOND_CONFIG')
        or PRODUCTION_CONFIG)
    if uri:
        env['TRYTOND_DATABASE__URI'] = uri
    env.setdefault('TRYTOND_DATABASE__URI', 'sqlite://')
    env.setdefault('TRYTOND_DATABASE__PATH', str(VAR / 'db'))
    env.setdefault('TRYTOND_WEB__ROOT', str(VAR / 'www'))
    if name:
        env['TRYTOND_DATABASE_NAMES'] = name
    env.setdefault('TRYTOND_DATABASE_NAMES', 'mrk')
    env.setdefault('TRYTOND_LOGGING_CONFIG',
        str(ROOT / 'config' / 'logging-production.conf'))
    # trytond's browse asserts the type of every id of every record
    # (ModelStorage.__init__), which is quadratic in the size of a batch:
    # the server processes run without asserts.
    env['PYTHONOPTIMIZE'] = '1'
    env.setdefault('PYTHONUNBUFFERED', '1')
    return env


def default_workers():
    "2 × the processors, as gunicorn advises for synchronous workers"
    return 2 * (os.cpu_count() or 1)


def app_command(env, workers=None, listen=None):
    "gunicorn serving trytond and the web root on listen (host:port)"
    if not listen:
        import configparser
        parser = configparser.RawConfigParser()
        parser.read(env['TRYTOND_CONFIG'])
        listen = (env.get('TRYTOND_WEB__LISTEN')
            or parser.get('web', 'listen', fallback='0.0.0.0:8000'))
    workers = workers or int(env.get('MRK_WORKERS') or default_workers())
    return [str(BIN / 'gunicorn'),
        '--workers', str(workers),
        '--bind', listen,
        '--pythonpath', str(ROOT / 'tools'),
        # Documents are converted by LibreOffice within the request.
        '--timeout', env.get('MRK_TIMEOUT', '300'),
        '--graceful-timeout', '30',
        '--access-logfile', '-',
        '--access-logformat', ACCESS_LOG_FORMAT,
        '--error-logfile', '-',
        'mrk_wsgi:app']


def cron_command(env):
    return [str(BIN / 'trytond-cron'), '-c', env['TRYTOND_CONFIG'],
        '-d', *env['TRYTOND_DATABASE_NAMES'].split(',')]


def worker_command(env):
    return [str(BIN / 'trytond-worker'), '-c', env['TRYTOND_CONFIG'],
        '-d', *env['TRYTOND_DATABASE_NAMES'].split(',')]


def queue_worker(env):
    "True when the configuration sends tasks to trytond's queue"
    import configparser
    parser = configparser.RawConfigParser()
    parser.read(env['TRYTOND_CONFIG'])
    value = parser.get('queue', 'worker', fallback=None)
    if value is None:
        value = env.get('TRYTOND_QUEUE__WORKER', 'False')
    return value.strip().lower() in {'1', 'true', 'yes', 'on'}


# The watchdog of serve: it waits for serve's end (its stdin, a pipe only
# serve holds, is closed however serve ends, SIGKILL included), then stops
# the process groups of the servers, their children too.
WATCHDOG = """import os, signal, sys
sys.stdin.buffer.read()
for group in sys.argv[1:]:
    try:
        os.killpg(int(group), signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
"""


def serve(uri, name, port, host='0.0.0.0', workers=None, config=None,
        do_setup=True, demo=False):
    """gunicorn, trytond-cron and (with [queue] worker) trytond-worker,
    each a process of its own, until Ctrl-C or SIGTERM"""
    env = production_environment(uri, name, config)
    if do_setup:
        setup(env['TRYTOND_DATABASE__URI'], name, demo=demo)
    commands = [app_command(env, workers, '%s:%s' % (host, port)),
        cron_command(env)]
    if queue_worker(env):
        commands.append(worker_command(env))
    # Each a session of its own: a process and its children (gunicorn's
    # workers, the cron's pool) are stopped together.
    processes = [subprocess.Popen(c, env=env, start_new_session=True)
        for c in commands]
    watchdog = subprocess.Popen([sys.executable, '-c', WATCHDOG,
            *(str(p.pid) for p in processes)], stdin=subprocess.PIPE,
        start_new_session=True)
    print('MRK is serving http://%s:%s/ (%s)' % (host, port,
            ', '.join('%s pid %s' % (Path(c[0]).name, p.pid)
                for c, p in zip(commands, processes))))
    sys.stdout.flush()
    stopping = []  # a signal asked to stop

    def stop(*args):
        if args:
            stopping.append(args[0])
        for process in processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        # Until one of them ends (or is stopped): then all of them end.
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.5)
    finally:
        stop()
        for process in processes:
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        watchdog.stdin.close()
        watchdog.wait()
    if stopping:
        return 0
    # One of them ended by itself: serve fails, to be started again.
    ended = [p for p in processes if p.returncode not in {None, 0}
        and p.returncode != -signal.SIGTERM]
    print('MRK stopped: %s ended' % ', '.join('%s (exit code %s)'
            % (Path(p.args[0]).name, p.returncode) for p in ended)
        if ended else 'MRK stopped: a server ended', file=sys.stderr)
    return 1


def exec_command(command, env):
    "Replace this process with command (the container's main process)"
    sys.stdout.flush()
    os.execve(command[0], command, env)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('command', choices=['setup', 'run', 'demo', 'serve',
            'app', 'cron', 'worker'])
    parser.add_argument('--db', default='',
        help="database URI; SQLite under var/db when empty")
    parser.add_argument('--name', default='mrk', help="database name")
    parser.add_argument('--port', default='8000')
    parser.add_argument('--no-demo', dest='demo', action='store_false')
    parser.add_argument('--demo', dest='demo', action='store_true',
        default=None, help="serve: load the demo data into a new database")
    parser.add_argument('--host', default='0.0.0.0')
    parser.add_argument('--workers', type=int, default=0,
        help="serve: gunicorn workers, 2 × processors by default")
    parser.add_argument('--config', default='',
        help="serve: trytond configuration (TRYTOND_CONFIG, "
        "config/trytond-production.conf by default)")
    parser.add_argument('--no-setup', dest='do_setup', action='store_false',
        help="serve: do not create or update the database first")
    options = parser.parse_args(argv)
    if options.command in {'serve', 'app', 'cron', 'worker'}:
        env = production_environment(options.db, options.name
            if options.name != 'mrk' or 'TRYTOND_DATABASE_NAMES'
            not in os.environ else None, options.config)
        if options.command == 'serve':
            return serve(options.db, env['TRYTOND_DATABASE_NAMES'],
                options.port, host=options.host,
                workers=options.workers or None, config=options.config,
                do_setup=options.do_setup, demo=bool(options.demo))
        command = {'app': app_command, 'cron': cron_command,
            'worker': worker_command}[options.command](env)
        exec_command(command, env)
    if options.demo is None:
        options.demo = True
    uri = options.db or os.environ.get('TRYTOND_DATABASE__URI') or 'sqlite://'
    if options.command == 'setup':
        setup(uri, options.name, demo=options.demo)
    elif options.command == 'demo':
        load_demo(uri, options.name)
    else:
        return run(uri, options.name, options.port, demo=options.demo)


if __name__ == '__main__':
    sys.exit(main())
