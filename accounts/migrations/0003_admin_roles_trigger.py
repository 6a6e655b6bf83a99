"""三员分立 in the database: one account never holds two of the system, security and audit roles."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION accounts_refuse_second_admin_role() RETURNS trigger AS $$
DECLARE
    new_role text;
    held integer;
BEGIN
    SELECT name INTO new_role FROM auth_group WHERE id = NEW.group_id;
    IF new_role IN ('sysadmin', 'secadmin', 'auditor') THEN
        SELECT count(*) INTO held
          FROM accounts_user_groups ug JOIN auth_group g ON g.id = ug.group_id
         WHERE ug.user_id = NEW.user_id
           AND g.name IN ('sysadmin', 'secadmin', 'auditor')
           AND g.name <> new_role;
        IF held > 0 THEN
            RAISE EXCEPTION 'account % already holds another administrator role; % refused',
                NEW.user_id, new_role USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_user_groups_one_admin_role
    BEFORE INSERT OR UPDATE ON accounts_user_groups
    FOR EACH ROW EXECUTE FUNCTION accounts_refuse_second_admin_role();
"""

REVERSE = """
DROP TRIGGER IF EXISTS accounts_user_groups_one_admin_role ON accounts_user_groups;
DROP FUNCTION IF EXISTS accounts_refuse_second_admin_role();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
