# The application image used by docker-compose.yml (web, worker and beat).
FROM node:20-slim AS static
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock && \
    apt-get update && apt-get install -y --no-install-recommends procps libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY --from=static /app/node_modules ./node_modules
COPY . .
RUN useradd --create-home raa && chown -R raa /app
USER raa
EXPOSE 8000
