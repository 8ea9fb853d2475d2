# Partnerdesk image: one image for web (gunicorn), worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.prod \
    PARTNERDESK_VAR_DIR=/app/var

# gettext: compilemessages. fonts-noto-cjk: Japanese in PDFs (without it every glyph is an
# empty box). Pango and HarfBuzz: WeasyPrint. psycopg's binary wheel brings its own libpq.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir "uv==0.13.9"

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project

COPY . .

# Translations and static files are built into the image. The secret is a build-time dummy
# that production settings accept; the real one comes from the environment at run time.
RUN DJANGO_SECRET_KEY=build-time-only-dummy-secret-key-never-used-at-run-time-0123456789 \
        sh -c "python manage.py compilemessages --ignore .venv \
               && python manage.py collectstatic --noinput" \
    && useradd --system --create-home --uid 10001 partnerdesk \
    && mkdir -p /app/var/media /app/var/mail /app/var/beat \
    && chown -R partnerdesk /app/var

USER partnerdesk
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-b", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
