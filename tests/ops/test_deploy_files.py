"""The deployment recipe's files agree with each other and with the code."""

from __future__ import annotations

import configparser
import re
import shlex

from tests.ops.stack import REPO, procfile

DEPLOY = REPO / "deploy"
VENV_BIN = "/opt/salon/.venv/bin/"
NOT_FOR_PRODUCTION = {"SALON_TEST_DATABASE_URL", "SALON_SHARED_DIR"}  # tests and benchmarks only


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # keep the keys' case
    parser.read(DEPLOY / "systemd" / name)
    return parser


def test_every_systemd_unit_runs_a_procfile_command_from_the_virtualenv():
    commands = {name: shlex.split(command) for name, command in procfile().items()}
    units = {
        "salon-web.service": "web",
        "salon-worker@.service": "worker",
        "salon-scheduler.service": "scheduler",
        "salon-release.service": "release",
    }
    assert sorted(p.name for p in (DEPLOY / "systemd").iterdir()) == sorted(units)
    for name, process in units.items():
        service = unit(name)["Service"]
        argv = shlex.split(service["ExecStart"])
        assert argv[0].startswith(VENV_BIN), name
        assert [argv[0].removeprefix(VENV_BIN), *argv[1:]] == commands[process], name
        where = (service["User"], service["WorkingDirectory"], service["EnvironmentFile"])
        assert where == ("salon", "/opt/salon", "/etc/salon/salon.env"), name


def test_environment_template_names_every_setting_the_app_reads():
    read = set(re.findall(r'(?:environ\.get|_bool)\("([A-Z0-9_]+)"', (REPO / "config.py").read_text()))
    template = (DEPLOY / "salon.env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z0-9_]+)=", template, flags=re.MULTILINE))
    assert read - NOT_FOR_PRODUCTION - named == set()


def test_proxy_passes_the_scheme_and_gunicorn_trusts_only_the_proxy():
    nginx = (DEPLOY / "nginx" / "salon.conf").read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "location = /healthz" in nginx
    template = (DEPLOY / "salon.env.example").read_text()
    assert re.search(r"^FORWARDED_ALLOW_IPS=\S+", template, flags=re.MULTILINE)
