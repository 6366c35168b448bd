"""What the benchmarks share: their own database, never the test database."""
import os


def database_url(work, bench_db):
    """(url, label): database `bench_db` on DATABASE_URL's PostgreSQL server, emptied, or a
    SQLite file in `work` when DATABASE_URL is not PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        return f"sqlite:///{work / 'bench.db'}", "sqlite"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url.replace("postgres://", "postgresql://", 1)).set(
        drivername="postgresql+psycopg")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                           {"n": bench_db}):
            conn.execute(text(f'CREATE DATABASE "{bench_db}"'))
    admin.dispose()
    bench = parsed.set(database=bench_db)
    engine = create_engine(bench)
    with engine.begin() as conn:  # only ever the bench database
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return bench.render_as_string(hide_password=False), "postgresql"
