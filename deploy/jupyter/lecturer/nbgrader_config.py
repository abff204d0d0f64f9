# nbgrader for the lecturer's server on the hub: the course directory in their home, the same
# exchange as the students (deploy/jupyter/nbgrader_config.py), the formgrader enabled.
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "mathdl"
c.CourseDirectory.root = os.path.join(os.environ.get("HOME", "."), "course")
c.Exchange.root = os.environ.get("MATHDL_NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.timezone = "UTC"
