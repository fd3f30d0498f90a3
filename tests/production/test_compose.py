"""Dockerfile and docker-compose.yml: every command, path and environment
variable they name exists in the repository or the installed packages,
and the services' commands start and answer when run on this machine with
the services' environment (no container engine runs here).

The services' environment is taken from docker-compose.yml as it is, with
the only changes a container would make: /app is this repository, the
database URI and name are those of the test database, the file store
/var/lib/mrk a temporary folder.
"""
import functools
import json
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trytond
import yaml

from prod_tools import ROOT, free_port, get

BIN = Path(sys.executable).parent
TRYTOND = Path(trytond.__file__).parent
MRK_SERVICES = ['setup', 'app', 'cron', 'worker']


def compose():
    return yaml.safe_load((ROOT / 'docker-compose.yml').read_text())


def dockerfile():
    "The Dockerfile's instructions as (INSTRUCTION, argument) pairs"
    text = (ROOT / 'Dockerfile').read_text()
    text = re.sub(r'\\\n', ' ', text)
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            instruction, _, argument = line.partition(' ')
            result.append((instruction.upper(), argument.strip()))
    return result


def local(path):
    "The path of this machine for a path of the image"
    if path.startswith('/app/.venv/bin/'):
        return BIN / path[len('/app/.venv/bin/'):]
    if path.startswith('/app/'):
        return ROOT / path[len('/app/'):]
    return Path(path)


def mrk_commands():
    "The sub-commands of tools/mrk.py and its options"
    help_ = subprocess.run([sys.executable, str(ROOT / 'tools' / 'mrk.py'),
            '--help'], capture_output=True, text=True, check=True).stdout
    choices = re.search(r'\{([a-z,]+)\}', help_).group(1).split(',')
    options = set(re.findall(r'(--[a-z-]+)', help_))
    return set(choices), options


@functools.cache
def trytond_source():
    return '\n'.join(p.read_text(errors='replace')
        for p in TRYTOND.rglob('*.py') if '/tests/' not in str(p))


def trytond_reads(variable):
    "Whether trytond reads the environment variable"
    if variable.startswith('TRYTOND_') and '__' in variable:
        section, option = variable[len('TRYTOND_'):].lower().split('__', 1)
        pattern = re.compile(r"""['"]%s['"],\s*['"]%s['"]"""
            % (re.escape(section), re.escape(option)))
    else:
        pattern = re.compile(re.escape(variable))
    return bool(pattern.search(trytond_source()))


def mrk_reads(variable):
    return variable in (ROOT / 'tools' / 'mrk.py').read_text()


def services_environment(service):
    data = compose()['services'][service]
    return {k: str(v) for k, v in (data.get('environment') or {}).items()}


def test_compose_names_only_what_exists():
    data = compose()
    services = data['services']
    assert set(services) == {'postgres', 'setup', 'app', 'cron', 'worker'}
    assert 'pgdata:/var/lib/postgresql/data' in services['postgres'][
        'volumes']
    assert services['app']['ports'] == ['8000:8000']
    choices, options = mrk_commands()
    image_env = dict(re.findall(r'(\w+)=(\S+)', ' '.join(
                a for i, a in dockerfile() if i == 'ENV')))
    for name in MRK_SERVICES:
        service = services[name]
        assert service['build'] == '.'
        command = service['command']
        assert command[0] in choices, (name, command)
        for word in command[1:]:
            if word.startswith('--'):
                assert word in options, (name, word)
        for variable, value in services_environment(name).items():
            assert trytond_reads(variable) or mrk_reads(variable), (
                name, variable)
            if value.startswith('/app/'):
                assert local(value).exists(), (name, variable, value)
            if variable in image_env:
                assert image_env[variable] == value, (name, variable)
        for volume in service.get('volumes', []):
            volume_name, target = volume.split(':')
            assert volume_name in data['volumes']
            assert target == services_environment(name)[
                'TRYTOND_DATABASE__PATH']
        if 'healthcheck' in service:
            test = service['healthcheck']['test']
            assert test[0] == 'CMD'
            for word in test[1:]:
                if word.startswith('/'):
                    assert local(word).exists(), (name, word)
    for name in ['app', 'cron', 'worker']:
        assert 'healthcheck' in services[name], name
        assert services[name]['depends_on']['setup']['condition'] == (
            'service_completed_successfully')
    assert 'healthcheck' in services['postgres']
    # The image is built from the project's files, not from what a
    # checkout has built or installed locally.
    ignored = (ROOT / '.dockerignore').read_text().split()
    for local_only in ['.venv', 'var', 'web/node_modules', '.env']:
        assert local_only in ignored, local_only
    # Nothing secret is written: the passwords come from the environment.
    text = (ROOT / 'docker-compose.yml').read_text()
    for secret in re.findall(r'PASSWORD: (.*)', text):
        assert secret.startswith('${'), secret


def test_dockerfile_names_only_what_exists():
    instructions = dockerfile()
    assert instructions[0] == ('FROM', 'python:3.11-slim-bookworm')
    for instruction, argument in instructions:
        if instruction in {'ENTRYPOINT', 'CMD'} or (
                instruction == 'HEALTHCHECK'):
            words = json.loads(argument[argument.index('['):])
            for word in words:
                if word.startswith('/app/'):
                    assert local(word).exists(), (instruction, word)
            if instruction == 'ENTRYPOINT':
                assert words == ['/app/.venv/bin/python',
                    '/app/tools/mrk.py']
            if instruction == 'CMD':
                assert words[0] in mrk_commands()[0]
        elif instruction == 'ENV':
            for variable, value in re.findall(r'(\w+)=(\S+)', argument):
                if variable.startswith(('TRYTOND_', 'MRK_')):
                    assert trytond_reads(variable) or mrk_reads(variable), (
                        variable)
                if value.startswith('/app/'):
                    assert local(value).exists(), (variable, value)
        elif instruction == 'RUN':
            for word in shlex.split(argument.replace('&&', ' ')):
                if word.startswith('/app/') and not word.startswith(
                        '/app/.venv') or word.startswith('/app/.venv/bin/'):
                    assert local(word).exists() or word == '/app/web' and (
                        ROOT / 'web').is_dir(), word
            if 'apt-get install' in argument:
                packages = [w for w in argument.split(
                        'apt-get install', 1)[1].split('&&')[0].split()
                    if not w.startswith('-')]
                # Known to Debian (one call: apt-cache is slow to start).
                known = subprocess.run(['apt-cache', 'show', '--no-all-versions',
                        *packages], capture_output=True, text=True)
                assert known.returncode == 0, known.stderr
                assert set(re.findall(r'^Package: (\S+)$', known.stdout,
                        re.M)) == set(packages), packages
    # The commands the image needs at run time are installed here too.
    for command in ['soffice', 'pg_dump', 'pg_restore', 'npm']:
        assert subprocess.run(['sh', '-c', 'command -v ' + command],
            capture_output=True).returncode == 0, command


def service_env(service, uri, name, filestore):
    import os
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('TRYTOND_', 'MRK_'))}
    for variable, value in services_environment(service).items():
        if value.startswith('/app/'):
            value = str(local(value))
        env[variable] = value
    env['TRYTOND_DATABASE__URI'] = uri
    env['TRYTOND_DATABASE_NAMES'] = name
    env['TRYTOND_DATABASE__PATH'] = str(filestore)
    env['MRK_ADMIN_PASSWORD'] = 'not-used-on-an-existing-database'
    return env


def service_command(service, name):
    command = list(compose()['services'][service]['command'])
    command[command.index('--name') + 1] = name
    return [str(BIN / 'python'), str(ROOT / 'tools' / 'mrk.py'), *command]


def test_compose_services_start_and_answer(database, processes):
    uri, name = database
    filestore = tempfile.TemporaryDirectory(prefix='mrk-files-')
    try:
        services_start_and_answer(uri, name, Path(filestore.name), processes)
    finally:
        filestore.cleanup()


def services_start_and_answer(uri, name, filestore, processes):

    # setup: creates or updates the database, then ends with 0
    setup = subprocess.run(service_command('setup', name),
        env=service_env('setup', uri, name, filestore),
        capture_output=True, text=True, timeout=600)
    assert setup.returncode == 0, setup.stderr[-3000:]

    # app: gunicorn on the port of the service, /health answers, and the
    # service's health check command says so.
    port = free_port()
    env = service_env('app', uri, name, filestore)
    env['TRYTOND_WEB__LISTEN'] = '127.0.0.1:%s' % port
    env['MRK_WORKERS'] = '1'
    app = processes(service_command('app', name), env=env)
    body = json.loads(app.wait_for('http://127.0.0.1:%s/health' % port))
    assert body['status'] == 'ok' and body['databases'] == {name: 'ok'}
    status, page = get('http://127.0.0.1:%s/' % port)
    assert status == 200
    test = compose()['services']['app']['healthcheck']['test'][1:]
    test = [str(local(w)) if w.startswith('/app/') else w for w in test]
    test[-1] = test[-1].replace('127.0.0.1:8000', '127.0.0.1:%s' % port)
    assert subprocess.run(test).returncode == 0

    # cron and worker: they start, log in key=value lines and keep running.
    started = {}
    for service in ['cron', 'worker']:
        started[service] = processes(service_command(service, name),
            env=service_env(service, uri, name, filestore))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(
            'level=INFO' in p.output() for p in started.values()):
        time.sleep(0.5)
    for service, process in started.items():
        assert process.process.poll() is None, (service, process.output())
        lines = [l for l in process.output().splitlines() if l.strip()]
        assert lines and all(l.startswith('time=') for l in lines
            if 'Traceback' not in l), (service, lines[:5])
        assert not any('Traceback' in l for l in lines), (
            service, process.output()[-3000:])
    for process in [app, *started.values()]:
        process.stop()
