"""TRUNCATE on the audit trail and the access log is refused too (row triggers do not see it).

Only a session that sets si.allow_audit_truncate = on may truncate: the test suite does, because
Django empties every table between transactional tests; production never sets it."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('si.allow_audit_truncate', true) IS DISTINCT FROM 'on' THEN
        RAISE EXCEPTION 'audit records are append-only: TRUNCATE on % refused', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();

CREATE TRIGGER audit_accesslogentry_no_truncate
    BEFORE TRUNCATE ON audit_accesslogentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate();
"""

REVERSE = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_accesslogentry_no_truncate ON audit_accesslogentry;
DROP FUNCTION IF EXISTS audit_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
