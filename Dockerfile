# The MRK image: Debian 12 with Python 3.11, LibreOffice and fonts, the
# project installed from its own files and the web client built. One
# entry point, tools/mrk.py: "app" (gunicorn), "cron", "worker", "setup"
# (see docker-compose.yml and docs/admin.md).
FROM python:3.11-slim-bookworm

ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# LibreOffice converts the documents to PDF; Node.js builds the web
# client; pg_dump / pg_restore serve tools/backup and tools/restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libreoffice-writer-nogui fonts-liberation fonts-dejavu-core \
        nodejs npm postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/mrk mrk
WORKDIR /app
COPY . /app
RUN python -m venv /app/.venv \
    && /app/.venv/bin/pip install --no-cache-dir -e /app \
    && cd /app/web && npm ci --no-audit --no-fund \
    && /app/.venv/bin/python /app/tools/build_webroot.py \
    && mkdir -p /var/lib/mrk \
    && chown -R mrk /var/lib/mrk /app/var

ENV TRYTOND_CONFIG=/app/config/trytond-production.conf \
    TRYTOND_LOGGING_CONFIG=/app/config/logging-production.conf \
    TRYTOND_WEB__ROOT=/app/var/www \
    TRYTOND_DATABASE__PATH=/var/lib/mrk \
    TRYTOND_DATABASE_NAMES=mrk \
    PYTHONOPTIMIZE=1

USER mrk
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/app/.venv/bin/python", "/app/tools/healthcheck.py", "http://127.0.0.1:8000/health"]
ENTRYPOINT ["/app/.venv/bin/python", "/app/tools/mrk.py"]
CMD ["app"]
