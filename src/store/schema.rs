//! Database schema. Short transactions and a busy timeout let concurrent lodger processes
//! share one store without a daemon.

use rusqlite::Connection;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS layers (
    chain_id        TEXT PRIMARY KEY,
    diff_id         TEXT NOT NULL,
    blob_digest     TEXT NOT NULL,
    blob_media_type TEXT NOT NULL,
    blob_size       INTEGER NOT NULL,
    size            INTEGER NOT NULL,
    added           INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS images (
    id                  TEXT PRIMARY KEY,
    manifest_digest     TEXT NOT NULL,
    manifest_media_type TEXT NOT NULL,
    created             TEXT,
    added               INTEGER NOT NULL,
    size                INTEGER NOT NULL,
    os                  TEXT NOT NULL,
    architecture        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS image_layers (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    chain_id TEXT NOT NULL REFERENCES layers(chain_id),
    PRIMARY KEY (image_id, position)
);
CREATE TABLE IF NOT EXISTS names (
    name     TEXT PRIMARY KEY,
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    added    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS repo_digests (
    image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    PRIMARY KEY (image_id, name)
);
CREATE INDEX IF NOT EXISTS names_by_image ON names(image_id);
CREATE INDEX IF NOT EXISTS image_layers_by_chain ON image_layers(chain_id);
"#;

/// Containers: the configuration they were created with (JSON), and what is known of their
/// process. The image row cannot go while a container uses it.
const SCHEMA_V2: &str = r#"
CREATE TABLE IF NOT EXISTS containers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    image_id    TEXT NOT NULL REFERENCES images(id),
    image_name  TEXT NOT NULL,
    config      TEXT NOT NULL,
    created     INTEGER NOT NULL,
    state       TEXT NOT NULL,
    pid         INTEGER,
    started_at  INTEGER,
    finished_at INTEGER,
    exit_code   INTEGER
);
CREATE INDEX IF NOT EXISTS containers_by_image ON containers(image_id);
"#;

/// How often the restart policy restarted a container (`RestartCount`).
const SCHEMA_V3: &str = "ALTER TABLE containers ADD COLUMN restarts INTEGER NOT NULL DEFAULT 0;";

/// How long a writer waits for the others before giving up.
const BUSY_LIMIT_MS: i32 = 30_000;

/// Waits for a busy database in 1 ms steps. SQLite's own busy timeout sleeps up to 100 ms
/// between tries: with a thousand monitors recording exits while `rm -a -f` deletes rows,
/// most of rm's time went to sleeping long after the database was free again.
fn busy(tries: i32) -> bool {
    if tries >= BUSY_LIMIT_MS {
        return false;
    }
    std::thread::sleep(std::time::Duration::from_millis(1));
    true
}

/// The schema version this build writes; `PRAGMA user_version` holds the store's.
pub const CURRENT_VERSION: i64 = 3;

/// Connection settings every open needs. Returns whether the schema is already current, read
/// without a write so that the usual open never contends with other lodger processes.
pub fn configure(conn: &Connection) -> rusqlite::Result<bool> {
    conn.busy_handler(Some(busy))?;
    conn.execute_batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;")?;
    // Every command is a short-lived process: a checkpoint (two fsyncs) at each close would
    // cost `run` more than the container start itself. The WAL is as durable as the
    // database file; `Store`'s drop truncates it once it has grown (see there).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(version >= CURRENT_VERSION)
}

/// Switch to WAL and create or upgrade the tables. The caller serializes this across
/// processes: two connections that both read the schema and then both try to write it are a
/// deadlock SQLite answers with an immediate "database is locked", busy handler or not.
pub fn initialize(conn: &Connection) -> rusqlite::Result<()> {
    // WAL is a property of the file; setting it again on every open costs a write, so check.
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))?;
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version < 1 {
        tx.execute_batch(SCHEMA)?;
    }
    if version < 2 {
        tx.execute_batch(SCHEMA_V2)?;
    }
    if version < 3 {
        tx.execute_batch(SCHEMA_V3)?;
    }
    if version < CURRENT_VERSION {
        tx.execute_batch(&format!("PRAGMA user_version={CURRENT_VERSION}"))?;
    }
    tx.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store written by an older lodger keeps its containers and gains the new column.
    #[test]
    fn version_2_store_upgrades_in_place() {
        let conn = Connection::open_in_memory().expect("db");
        conn.execute_batch(SCHEMA).expect("v1");
        conn.execute_batch(SCHEMA_V2).expect("v2");
        conn.execute_batch(
            "PRAGMA user_version=2;
             INSERT INTO images VALUES ('sha256:i', 'sha256:m', 't', NULL, 0, 0, 'linux', 'amd64');
             INSERT INTO containers (id, name, image_id, image_name, config, created, state)
             VALUES ('c1', 'old', 'sha256:i', 'img', '{}', 0, 'exited');",
        )
        .expect("old rows");
        assert!(!configure(&conn).expect("configure"));
        initialize(&conn).expect("upgrade");
        assert!(configure(&conn).expect("configure"));
        let (name, restarts): (String, i64) = conn
            .query_row("SELECT name, restarts FROM containers", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .expect("row");
        assert_eq!((name.as_str(), restarts), ("old", 0));
        // A second upgrade finds nothing to do.
        initialize(&conn).expect("again");
    }
}
