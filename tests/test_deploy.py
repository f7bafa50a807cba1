"""`manage.py check --deploy` is silent with production settings, and they refuse to start
without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-" + "x" * 50,
    "ALLOWED_HOSTS": "shangliang.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://shangliang.example.org",
    "DATABASE_URL": "sqlite:////tmp/shangliang-deploy-check.sqlite3",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never has it.
    dropped = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_prints_no_warning_with_production_settings(redis_url):
    env = {**PRODUCTION_ENV, "CACHE_URL": redis_url}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_that_a_per_process_cache_is_not_shared():
    result = _manage("check", "--deploy", env=PRODUCTION_ENV)
    assert "shangliang.W001" in result.stderr


def test_check_deploy_names_an_engine_that_does_not_answer():
    env = {**PRODUCTION_ENV, "CACHE_URL": "redis://127.0.0.1:1/0"}
    result = _manage("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "CACHE_URL: the cache does not answer" in result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
