/**
 * The PostgreSQL bootstrap's program: a POSIX shell loop over the declared roles and one psql
 * script per role. Kept as text here (not in a construct) so the Job's ConfigMap carries it
 * verbatim and test/platform runs exactly these bytes against a real PostgreSQL.
 */

/** Environment variables the shell script reads; the Job sets each (mount paths, role list). */
export const BOOTSTRAP_ENV = {
  /** Space-separated role names; each role gets a database of the same name. */
  roles: 'BOOTSTRAP_ROLES',
  /** Directory with one file per role, named after it, holding that role's password. */
  rolesDir: 'BOOTSTRAP_ROLES_DIR',
  /** Directory with `username` and `password` of the RDS master user. */
  masterDir: 'BOOTSTRAP_MASTER_DIR',
  /** Directory with `host` and `port` of the database instance. */
  endpointDir: 'BOOTSTRAP_ENDPOINT_DIR',
  /** Directory holding bootstrap.sql. */
  scriptDir: 'BOOTSTRAP_SCRIPT_DIR',
} as const;

export const BOOTSTRAP_SHELL_FILE = 'bootstrap.sh';
export const BOOTSTRAP_SQL_FILE = 'bootstrap.sql';

export const BOOTSTRAP_SHELL = `#!/bin/sh
# Creates every declared add-on role and its database on the environment's PostgreSQL.
# Idempotent: each run brings existing roles and databases back to the declared state.
set -eu
PGHOST="$(cat "$${BOOTSTRAP_ENV.endpointDir}/host")"
PGPORT="$(cat "$${BOOTSTRAP_ENV.endpointDir}/port")"
PGUSER="$(cat "$${BOOTSTRAP_ENV.masterDir}/username")"
PGPASSWORD="$(cat "$${BOOTSTRAP_ENV.masterDir}/password")"
PGDATABASE=postgres
export PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
for role in $${BOOTSTRAP_ENV.roles}; do
  if [ ! -s "$${BOOTSTRAP_ENV.rolesDir}/$role" ]; then
    echo "postgres-bootstrap: no password for role $role in $${BOOTSTRAP_ENV.rolesDir}/$role" >&2
    exit 1
  fi
  psql -X -q -v ON_ERROR_STOP=1 -v role="$role" -v password_file="$${BOOTSTRAP_ENV.rolesDir}/$role" \\
    -f "$${BOOTSTRAP_ENV.scriptDir}/${BOOTSTRAP_SQL_FILE}"
  echo "postgres-bootstrap: role and database $role ready"
done
`;

/**
 * One role and its database. Runs as the RDS master user, which is not a superuser (RDS keeps
 * that for rdsadmin): SUPERUSER, REPLICATION and BYPASSRLS can then be neither granted nor
 * revoked, so a role that has one is an error to fix by hand, never accepted silently.
 */
export const BOOTSTRAP_SQL = `-- One platform add-on's role and database (psql variables: role, password_file).
\\set ON_ERROR_STOP on
SET client_min_messages = warning;
-- The password comes from a file, never from the command line (psql reads it itself).
\\set password \`cat :'password_file'\`
SELECT set_config('bootstrap.role', :'role', false) \\g /dev/null
DO $$
DECLARE
  r text := current_setting('bootstrap.role');
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
    EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', r);
  END IF;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = r AND (rolsuper OR rolreplication OR rolbypassrls)) THEN
    RAISE EXCEPTION 'role % has SUPERUSER, REPLICATION or BYPASSRLS; an add-on role may have none: remove them as a superuser', r;
  END IF;
  EXECUTE format('ALTER ROLE %I LOGIN NOCREATEDB NOCREATEROLE', r);
END
$$;
-- Set at every run, so a password changed in the add-on's secret reaches the database.
ALTER ROLE :"role" PASSWORD :'password';
-- CREATE DATABASE ... OWNER and ALTER DATABASE ... OWNER need the master to be a member.
GRANT :"role" TO CURRENT_USER;
SELECT format('CREATE DATABASE %I OWNER %I', :'role', :'role')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'role') \\gexec
ALTER DATABASE :"role" OWNER TO :"role";
-- Only the owner connects: no other add-on (nor any later role) can open this database.
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
`;
