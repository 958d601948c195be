-- tenantvec on Postgres: what an administrator runs once so that a login with no superuser or
-- CREATEROLE right can migrate and use tenantvec. Idempotent; the same SQL printSetupSql()
-- from @tenantvec/pgvector prints for given names.
--
--   psql -v login=app_owner -v app=tenantvec_app -v admin=tenantvec_admin \
--        -d "$DATABASE" -f packages/pgvector/sql/setup.sql          (as a superuser)
--
-- Then run the backend as that login with
--   pgvector({ connectionString, createExtension: false, roles: { app: 'tenantvec_app', admin: 'tenantvec_admin' } })
-- With rowLevelSecurity: false only the CREATE EXTENSION below is needed.
\set ON_ERROR_STOP on

-- pgvector is not a trusted extension: only a superuser can create it.
CREATE EXTENSION IF NOT EXISTS vector;

-- The login creates its schema and tables in this database (a database owner already may).
SELECT format('GRANT CREATE, CONNECT ON DATABASE %I TO %I', current_database(), :'login') \gexec

-- Data operations SET ROLE to the app role, confined by row-level security; listing a shared
-- table's tenants uses the admin role. Both NOLOGIN, neither BYPASSRLS. Roles are cluster-wide.
SELECT format('CREATE ROLE %I NOLOGIN NOBYPASSRLS', :'app') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('CREATE ROLE %I NOLOGIN NOBYPASSRLS', :'admin') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'admin') \gexec
GRANT :"app" TO :"login";
GRANT :"admin" TO :"login";
