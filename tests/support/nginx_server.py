"""Run Debian's nginx on 127.0.0.1 with the configuration the build generated (deploy/nginx/thutuc.conf).

Free ports from the OS (HTTP and HTTPS), a throwaway self-signed certificate made with openssl, and a
temporary prefix for the pid, logs and temporary files. Only the lines the operator would edit are
replaced (listen, root, certificate paths); everything else is served exactly as generated.
A missing nginx or openssl fails the test: the README's test command must prove the configuration.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

NGINX = "/usr/sbin/nginx"
MAIN_CONF = """worker_processes 1;
{user}pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {prefix}/thutuc.conf;
}}
"""


def require(tool: str, package: str) -> str:
    found = shutil.which(tool) or (tool if Path(tool).is_file() else None)
    if not found:
        pytest.fail(f"{tool} is missing: apt-get install {package} (.ci/run installs it)", pytrace=False)
    return found


@dataclass
class Served:
    """A real server on 127.0.0.1: HTTP (redirects only) and HTTPS ports, the certificate it presents."""

    http_port: int
    https_port: int
    certificate: Path
    site_host: str  # the canonical host of site_url, which the HTTP redirect names

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}/"

    def tls(self) -> ssl.SSLContext:
        """Trusts the throwaway certificate only (it names 127.0.0.1)."""
        return ssl.create_default_context(cafile=str(self.certificate))


Nginx = Served


def fetch(server: Served, path: str, headers: dict[str, str] | None = None, *, tls: bool = True):
    """(status, lower-case headers, body) of one GET; a gzip body is left as sent."""
    if tls:
        connection = http.client.HTTPSConnection("127.0.0.1", server.https_port, context=server.tls(), timeout=20)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", server.http_port, timeout=20)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def make_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    openssl = require("openssl", "openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={host}",
         "-addext", f"subjectAltName=DNS:{host},IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local_conf(generated: str, *, site: Path, cert: Path, key: Path, http_port: int, https_port: int) -> str:
    """The generated server block with this machine's ports, folder and certificate (each line must be there once)."""
    from thutuc.site import deploy

    replacements = {
        "    listen 80;\n": f"    listen 127.0.0.1:{http_port};\n",
        "    listen [::]:80;\n": "",
        "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{https_port} ssl http2;\n",
        "    listen [::]:443 ssl http2;\n": "",
        f"root {deploy.SITE_ROOT};": f"root {site};",
        f"ssl_certificate {deploy.CERTIFICATE};": f"ssl_certificate {cert};",
        f"ssl_certificate_key {deploy.CERTIFICATE_KEY};": f"ssl_certificate_key {key};",
    }
    for old, new in replacements.items():
        expected = 2 if old.startswith("root ") else 1  # the HTTPS site and the HTTP server's ACME challenges
        assert generated.count(old) == expected, f"the generated nginx configuration lost the line {old!r}"
        generated = generated.replace(old, new)
    return generated


def stop(process: subprocess.Popen) -> None:
    """Terminate a server, and kill it if it does not stop within ten seconds."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_ready(process: subprocess.Popen, ports: tuple[int, ...], deadline: float) -> bool:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            for port in ports:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)  # poll
    return False


@contextmanager
def run_nginx(site: Path, deploy_dir: Path, work: Path, host: str) -> Iterator[Nginx]:
    """nginx serving `site` with `deploy_dir`'s configuration until the block ends."""
    nginx = require(NGINX, "nginx-light")
    work.mkdir(parents=True, exist_ok=True)
    cert, key = make_certificate(work, host)
    generated = (deploy_dir / "nginx" / "thutuc.conf").read_text("utf-8")
    last_error = ""
    for _attempt in range(5):  # another process may take a port between the probe and nginx's bind
        prefix = work / f"nginx-{_attempt}"
        (prefix / "tmp").mkdir(parents=True)
        http_port, https_port = free_port(), free_port()
        (prefix / "thutuc.conf").write_text(local_conf(generated, site=site, cert=cert, key=key,
                                                       http_port=http_port, https_port=https_port), "utf-8")
        user = "user root root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private folder
        (prefix / "nginx.conf").write_text(MAIN_CONF.format(prefix=prefix, user=user), "utf-8")
        command = [nginx, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(prefix / "nginx.conf"),
                   "-g", "daemon off;"]
        checked = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, f"nginx -t refused the generated configuration:\n{checked.stderr}"
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            if wait_ready(process, (http_port, https_port), time.monotonic() + 20):
                yield Nginx(http_port, https_port, cert, host)
                return
            last_error = (prefix / "error.log").read_text("utf-8", errors="replace") if (prefix / "error.log").exists() else ""
        finally:
            stop(process)
    pytest.fail(f"nginx did not start:\n{last_error}")
