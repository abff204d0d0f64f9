# nbgrader for a student's server on the hub (JUPYTER_CONFIG_PATH points here): the course's
# exchange on this machine. With students on several machines use ngshare (deploy/z2jh/).
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "mathdl"
c.Exchange.root = os.environ.get("MATHDL_NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.timezone = "UTC"
