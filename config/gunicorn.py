"""gunicorn settings shared by `make run`, the Dockerfile and docker-compose.

The access log leaves out query strings: `GET /api/v1/persons?id_number=…` must not write an ID
number into a log file (Art. 49)."""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'
graceful_timeout = 10
