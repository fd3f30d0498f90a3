"""Exit 0 when the health URL (tools/mrk_wsgi.py /health) answers 200.

    python tools/healthcheck.py http://127.0.0.1:8000/health

The image has no curl: the container's and compose's health check.
"""
import sys
import urllib.request


def main(url='http://127.0.0.1:8000/health'):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except Exception as exception:
        print(exception, file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:2]))
