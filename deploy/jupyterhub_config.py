# JupyterHub for a class on one machine: `./mathdl hub` (or `python -m widgets.hub`) starts it.
#
# What it runs:
# - JupyterHub 6 with configurable-http-proxy (npm: `npm install -g configurable-http-proxy`);
# - native passwords (jupyterhub-nativeauthenticator): students sign up with a user name and a
#   password at /hub/signup, the lecturer (the admin) approves them at /hub/authorize, or every
#   sign-up is approved at once with MATHDL_HUB_OPEN_SIGNUP=1. A dummy authenticator exists for
#   the tests only (MATHDL_HUB_AUTH=dummy, refused unless the hub listens on loopback);
# - one local jupyter_server per student (`jupyterhub-singleuser`, Voila as its extension), home
#   in <data>/home/<name>, holding a copy of the course (widgets.hub.copy_course); the default URL
#   is the course's landing page (/user/<name>/course: plain HTML, no kernel), JupyterLab one
#   click away;
# - per-student limits (Spawner.mem_limit, Spawner.cpu_limit): ENFORCED with Linux cgroups when the
#   hub may write them (root; cgroup v2 memory.max and cpu.max, or v1 memory.limit_in_bytes and
#   cpu.cfs_quota_us): the student's server and every kernel it starts share one group, the kernel
#   that goes past the memory limit is killed by the kernel's OOM killer (Voila then says the
#   kernel died), CPU is throttled to cpu_limit cores. Where cgroups cannot be written the hub
#   logs a warning and the limits are NOT enforced (they are still passed to the server as
#   MEM_LIMIT / CPU_LIMIT for display);
# - jupyterhub-idle-culler as a hub service: servers idle for MATHDL_HUB_CULL_IDLE_S (default 1 h)
#   are stopped; inside each server, Voila/Jupyter kernels idle for 10 minutes are shut down;
# - nbgrader: the exchange in <data>/exchange (one machine; the course id "mathdl"), the lecturer's
#   course directory <data>/home/<admin>/course with the formgrader; students get the assignment
#   list only. Students on several machines need ngshare instead (see deploy/z2jh/config.yaml);
# - one shared result store for every student's kernels in <data>/results (MATHDL_CACHE_DIR):
#   a lecture's default results are computed once for the class; `./mathdl hub` fills it at the
#   lowest priority while the hub runs.
#
# Students' servers all run as the hub's Unix user: the hub keeps students apart over HTTP (a
# student cannot open another's server: 403), but code a student runs in JupyterLab could read
# another's files. For students you do not trust, use one pod per student (Zero to JupyterHub,
# deploy/z2jh/) or system users (The Littlest JupyterHub's SystemdSpawner).
#
# Every setting is an environment variable (widgets.hub.hub_environment writes them):
#   MATHDL_HUB_DATA       state: database, cookie secret, homes, exchange    (required)
#   MATHDL_HUB_IP/PORT    where the proxy listens (127.0.0.1:8000)
#   MATHDL_HUB_HUB_PORT / MATHDL_HUB_PROXY_API_PORT  internal ports (8081, PORT + 1)
#   MATHDL_HUB_ADMIN      the lecturer's user name
#   MATHDL_HUB_MEM_LIMIT  per student, e.g. 1G;  MATHDL_HUB_CPU_LIMIT cores per student, e.g. 1
#   MATHDL_HUB_CULL_IDLE_S / MATHDL_HUB_CULL_EVERY_S / MATHDL_HUB_ACTIVITY_S  culling
#   MATHDL_HUB_MAX_SERVERS  at most that many running servers (default: memory / mem_limit)
#   MATHDL_HUB_API_TOKEN  an admin token for scripts (and the tests)
#   MATHDL_HUB_SSL_CERT / MATHDL_HUB_SSL_KEY  TLS, when students connect over the network
import os
import sys
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Unicode

from widgets.hub import LANDING_PATH, copy_course, results_directory

c = get_config()  # noqa: F821 (defined by JupyterHub when it reads this file)

ENV = os.environ
DATA = Path(ENV["MATHDL_HUB_DATA"]).resolve()
REPO = Path(__file__).resolve().parents[1]
IP = ENV.get("MATHDL_HUB_IP", "127.0.0.1")
ADMIN = ENV.get("MATHDL_HUB_ADMIN", "")
BIN = Path(sys.executable).parent
DATA.mkdir(parents=True, exist_ok=True)

# ---------------------------------------------------------------------------- hub and proxy
c.JupyterHub.ip = IP
c.JupyterHub.port = int(ENV.get("MATHDL_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(ENV.get("MATHDL_HUB_HUB_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:" + ENV.get(
    "MATHDL_HUB_PROXY_API_PORT", str(c.JupyterHub.port + 1)
)
c.JupyterHub.db_url = f"sqlite:///{DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(DATA / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(DATA / "jupyterhub-proxy.pid")
c.ConfigurableHTTPProxy.command = ["configurable-http-proxy"]
# a hub restart (an upgrade, a crash) leaves the students' servers running: it finds them again
c.JupyterHub.cleanup_servers = False
c.JupyterHub.last_activity_interval = int(ENV.get("MATHDL_HUB_ACTIVITY_S", "60"))
c.JupyterHub.concurrent_spawn_limit = 50
if ENV.get("MATHDL_HUB_SSL_CERT"):
    c.JupyterHub.ssl_cert = ENV["MATHDL_HUB_SSL_CERT"]
    c.JupyterHub.ssl_key = ENV["MATHDL_HUB_SSL_KEY"]

# ---------------------------------------------------------------------------- who logs in
AUTH = ENV.get("MATHDL_HUB_AUTH", "native")
if AUTH == "dummy":
    if not IP.startswith("127."):
        raise SystemExit("MATHDL_HUB_AUTH=dummy is for tests on loopback only")
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = ENV["MATHDL_HUB_DUMMY_PASSWORD"]
    c.Authenticator.allow_all = True
elif AUTH == "native":
    c.JupyterHub.authenticator_class = "native"
    # NativeAuthenticator lets in only the users it has approved (or all, with open sign-up)
    c.Authenticator.allow_all = True
    c.NativeAuthenticator.open_signup = ENV.get("MATHDL_HUB_OPEN_SIGNUP", "0") == "1"
    c.NativeAuthenticator.minimum_password_length = 8
    c.NativeAuthenticator.check_common_password = True
    c.NativeAuthenticator.allowed_failed_logins = 5
    c.NativeAuthenticator.seconds_before_next_try = 120
    c.JupyterHub.template_paths = [
        str(Path(__import__("nativeauthenticator").__file__).parent / "templates")
    ]
else:
    raise SystemExit(f"MATHDL_HUB_AUTH must be one of 'native', 'dummy'; got {AUTH!r}")
if ADMIN:
    c.Authenticator.admin_users = {ADMIN}


# ---------------------------------------------------------------------------- the spawner
def _own_cgroup(controller: str) -> str:
    """This process's cgroup path for a v1 controller ('' for v2's unified hierarchy)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if controller in names.split(","):
            return path
    return ""


class MathdlSpawner(SimpleLocalProcessSpawner):
    """A local server per student, in cgroups that enforce ``mem_limit`` and ``cpu_limit``.

    The groups are made below the hub's own cgroup (so everything stays inside whatever runs the
    hub) as ``mathdl-<user>``; the server joins them before it executes (in ``preexec_fn``), so
    every kernel it starts is in them too.
    """

    cgroup_root = Unicode(
        "/sys/fs/cgroup", config=True, help="Where the cgroup file systems are mounted."
    )

    def _groups(self) -> dict:
        """{controller: directory} of this student's groups, made and limited; {} if we may not."""
        name = f"mathdl-{self.user.name}"
        root = Path(self.cgroup_root)
        try:
            if (root / "cgroup.controllers").exists():  # v2
                base = root / _own_cgroup("").lstrip("/")
                group = base / name
                group.mkdir(exist_ok=True)
                if self.mem_limit:
                    (group / "memory.max").write_text(str(self.mem_limit))
                    (group / "memory.swap.max").write_text("0")
                if self.cpu_limit:
                    (group / "cpu.max").write_text(f"{int(self.cpu_limit * 100000)} 100000")
                return {"unified": group}
            groups = {}
            if self.mem_limit:
                group = root / "memory" / _own_cgroup("memory").lstrip("/") / name
                group.mkdir(exist_ok=True)
                (group / "memory.limit_in_bytes").write_text(str(self.mem_limit))
                groups["memory"] = group
            if self.cpu_limit:
                group = root / "cpu" / _own_cgroup("cpu").lstrip("/") / name
                group.mkdir(exist_ok=True)
                (group / "cpu.cfs_period_us").write_text("100000")
                (group / "cpu.cfs_quota_us").write_text(str(int(self.cpu_limit * 100000)))
                groups["cpu"] = group
            return groups
        except OSError as exc:
            self.log.warning(
                "memory and CPU limits of %s are NOT enforced: cannot write cgroups (%s)",
                self.user.name,
                exc,
            )
            return {}

    def make_preexec_fn(self, name):
        chdir = super().make_preexec_fn(name)
        self.cgroups = self._groups()
        procs = [str(g / "cgroup.procs") for g in self.cgroups.values()]

        def preexec():
            for path in procs:  # join before exec: the server and its kernels are limited
                with open(path, "w") as f:
                    f.write("0")
            chdir()

        return preexec

    async def stop(self, now=False):
        await super().stop(now=now)
        for group in getattr(self, "cgroups", {}).values():
            try:
                group.rmdir()
            except OSError:
                pass  # still holds a process that is ending; reused by the next start

    def user_env(self, env):
        env = super().user_env(env)
        copy_course(Path(self.home_dir))  # the student's own copy; their edits are kept
        return env


c.JupyterHub.spawner_class = MathdlSpawner
c.MathdlSpawner.home_dir_template = str(DATA / "home" / "{username}")
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/" + LANDING_PATH  # the course's landing page (widgets.hub_landing)
c.Spawner.notebook_dir = "~"
c.Spawner.mem_limit = ENV.get("MATHDL_HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(ENV.get("MATHDL_HUB_CPU_LIMIT", "1"))
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    # one BLAS thread and two malloc arenas per kernel (widgets.serve.kernel_environment says why)
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "JUPYTERHUB_ACTIVITY_INTERVAL": ENV.get("MATHDL_HUB_ACTIVITY_S", "60"),
    "MATHDL_NBGRADER_EXCHANGE": str(DATA / "exchange"),
    # one result store for the class: what is the same for everyone is computed once
    # (widgets.hub.results_directory; `./mathdl hub` fills it in the background)
    "MATHDL_CACHE_DIR": str(results_directory(DATA)),
    # matplotlib's font cache built once for the class, not in every new student's home
    "MPLCONFIGDIR": str(DATA / "matplotlib"),
    "JUPYTER_CONFIG_PATH": str(REPO / "deploy" / "jupyter"),
}
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=600",
    "--MappingKernelManager.cull_interval=60",
    "--MappingKernelManager.cull_connected=False",
    '--VoilaConfiguration.extension_denylist=["@jupyter/nbgrader", "@jupyter-notebook/lab-extension"]',
    "--VoilaConfiguration.show_tracebacks=False",
]
if os.geteuid() == 0:  # the servers run as the hub's user (see above): root in containers and CI
    c.Spawner.args.append("--ServerApp.allow_root=True")


def _pre_spawn(spawner):
    # the lecturer gets nbgrader's formgrader and a course directory; students do not load it
    (DATA / "exchange").mkdir(exist_ok=True)
    os.chmod(DATA / "exchange", 0o777)
    results_directory(DATA).mkdir(exist_ok=True)
    (DATA / "matplotlib").mkdir(exist_ok=True)
    if spawner.user.name == ADMIN:
        spawner.environment = {
            **spawner.environment,
            "JUPYTER_CONFIG_PATH": str(REPO / "deploy" / "jupyter" / "lecturer"),
        }


c.Spawner.pre_spawn_hook = _pre_spawn


def _bytes(text: str) -> int:
    """'512M' or '1G' (JupyterHub's byte specification) in bytes."""
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


# as many running servers as fit in 90 % of the memory at their limit
_memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
c.JupyterHub.active_server_limit = int(ENV.get("MATHDL_HUB_MAX_SERVERS", "0")) or max(
    1, int(0.9 * _memory // _bytes(c.Spawner.mem_limit))
)

# ---------------------------------------------------------------------------- services
CULL_IDLE_S = int(ENV.get("MATHDL_HUB_CULL_IDLE_S", "3600"))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_IDLE_S}",
            f"--cull-every={ENV.get('MATHDL_HUB_CULL_EVERY_S', str(max(5, CULL_IDLE_S // 6)))}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
if ENV.get("MATHDL_HUB_API_TOKEN"):
    c.JupyterHub.services.append({"name": "mathdl-admin", "api_token": ENV["MATHDL_HUB_API_TOKEN"]})
    c.JupyterHub.load_roles.append({"name": "admin", "services": ["mathdl-admin"]})
