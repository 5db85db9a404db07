# The application image of docker-compose.yml (migrate, web, worker, beat and backup).
# Runtime packages only (requirements.lock, hash-pinned: no test tools); static files collected
# here, at build time; runs as the unprivileged user `raa`, who cannot change the code.

# Front-end packages from npm (Bootstrap, htmx...), served as our own static files.
FROM node:20-slim AS npm
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

# System packages: PostgreSQL 16's client (pg_dump and pg_restore for backup_db and restore_db
# must be the db service's major version; Debian's own is 15, so it comes from the PostgreSQL
# project's apt repository), procps (beat's health check), Pango and a font (PDF board reports).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
      https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && . /etc/os-release \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-16 procps \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && apt-get purge -y curl && apt-get autoremove -y \
 && rm -rf /var/lib/apt/lists/*

COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock

COPY --from=npm /app/node_modules ./node_modules
COPY . .
# Collected into the image (staticfiles/, read by WhiteNoise). The key is a build-time
# placeholder that only lets the settings load; the containers get the real one from .env.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-time-placeholder-not-used-at-run-time \
    DJANGO_LOG_FORMAT=plain python manage.py collectstatic --no-input -v0

RUN useradd --system --create-home --uid 10001 raa \
 && install -d -o raa -g raa /backups
USER raa
EXPOSE 8000
CMD ["gunicorn", "--config", "raa/gunicorn.conf.py"]
