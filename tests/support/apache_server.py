"""Run Debian's Apache (apache2-bin) on 127.0.0.1 with the generated `.htaccess` in the site's root.

Same shape as nginx_server: free ports, a throwaway certificate, a temporary server root. Apache
refuses to serve as root, so as root its workers run as www-data and the site is copied into a
folder they can read. A missing Apache fails the test (.ci/run installs apache2-bin).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from support.nginx_server import Served, free_port, make_certificate, stop, wait_ready

APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
NEEDED = ("mpm_event", "authz_core", "rewrite", "headers", "alias", "mime", "dir", "deflate", "filter", "env",
          "ssl", "socache_shmcb")
CONF = """ServerRoot {root}
ServerName {host}
Listen 127.0.0.1:{http_port}
Listen 127.0.0.1:{https_port}
PidFile {root}/apache.pid
ErrorLog {root}/error.log
LogLevel warn
TypesConfig /etc/mime.types
{user}{modules}
DocumentRoot {site}
<Directory {site}>
    AllowOverride All
    Require all granted
</Directory>
<VirtualHost 127.0.0.1:{https_port}>
    SSLEngine on
    SSLCertificateFile {cert}
    SSLCertificateKeyFile {key}
</VirtualHost>
"""


def apache_binary() -> str:
    if not Path(APACHE).is_file():
        pytest.fail(f"{APACHE} is missing: apt-get install apache2-bin (.ci/run installs it)", pytrace=False)
    return APACHE


def modules_conf(names: tuple[str, ...] = NEEDED) -> str:
    return "\n".join(f"LoadModule {name}_module {MODULES}/mod_{name}.so" for name in names)


@contextmanager
def run_apache(site: Path, htaccess: Path, host: str) -> Iterator[Served]:
    apache = apache_binary()
    root = Path(tempfile.mkdtemp(prefix="thutuc-apache-"))
    try:
        os.chmod(root, 0o755)
        served = root / "site"
        shutil.copytree(site, served)
        shutil.copy(htaccess, served / ".htaccess")
        cert, key = make_certificate(root, host)
        user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
        if user:
            for folder, dirs, files in os.walk(root):
                for name in [*dirs, *files]:
                    os.chmod(Path(folder, name), 0o755 if Path(folder, name).is_dir() else 0o644)
        last_error = ""
        for _attempt in range(5):  # another process may take a port between the probe and Apache's bind
            http_port, https_port = free_port(), free_port()
            conf = root / "apache.conf"
            conf.write_text(CONF.format(root=root, host=host, http_port=http_port, https_port=https_port, user=user,
                                        modules=modules_conf(), site=served, cert=cert, key=key), "utf-8")
            process = subprocess.Popen([apache, "-f", str(conf), "-DFOREGROUND"], stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT)
            try:
                if wait_ready(process, (http_port, https_port), time.monotonic() + 20):
                    yield Served(http_port, https_port, cert, host)
                    return
                log = root / "error.log"
                last_error = log.read_text("utf-8", errors="replace") if log.exists() else ""
            finally:
                stop(process)
        pytest.fail(f"Apache did not start:\n{last_error}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
