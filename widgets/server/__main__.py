"""``python -m widgets.server``: serve the course (see :mod:`widgets.server`)."""

from widgets.server.app import main

if __name__ == "__main__":
    main()
