//! Container rows.

use super::{Result, Store, StoreError};
use rusqlite::{params, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Created,
    Running,
    Exited,
}

impl State {
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Created => "created",
            State::Running => "running",
            State::Exited => "exited",
        }
    }

    fn parse(s: &str) -> State {
        match s {
            "running" => State::Running,
            "exited" => State::Exited,
            _ => State::Created,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ContainerRecord {
    pub id: String,
    pub name: String,
    pub image_id: String,
    pub image_name: String,
    /// The container's configuration as JSON (see `crate::container::ContainerConfig`).
    pub config: String,
    pub created: i64,
    pub state: State,
    pub pid: Option<u32>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub exit_code: Option<i32>,
    /// Restarts by the restart policy since the user last started it (`RestartCount`).
    pub restarts: u32,
}

const COLUMNS: &str =
    "id, name, image_id, image_name, config, created, state, pid, started_at, finished_at, exit_code, restarts";

fn row(r: &rusqlite::Row) -> rusqlite::Result<ContainerRecord> {
    Ok(ContainerRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        image_id: r.get(2)?,
        image_name: r.get(3)?,
        config: r.get(4)?,
        created: r.get(5)?,
        state: State::parse(&r.get::<_, String>(6)?),
        pid: r.get(7)?,
        started_at: r.get(8)?,
        finished_at: r.get(9)?,
        exit_code: r.get(10)?,
        restarts: r.get(11)?,
    })
}

impl Store {
    pub fn insert_container(&self, c: &ContainerRecord) -> Result<()> {
        let inserted = self.conn.execute(
            &format!("INSERT INTO containers ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"),
            params![
                c.id,
                c.name,
                c.image_id,
                c.image_name,
                c.config,
                c.created,
                c.state.as_str(),
                c.pid,
                c.started_at,
                c.finished_at,
                c.exit_code,
                c.restarts
            ],
        );
        match inserted {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                let holder: Option<String> = self
                    .conn
                    .query_row(
                        "SELECT id FROM containers WHERE name = ?1",
                        [&c.name],
                        |r| r.get(0),
                    )
                    .optional()?;
                Err(StoreError::NameInUse {
                    name: c.name.clone(),
                    id: holder.unwrap_or_default(),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn containers(&self) -> Result<Vec<ContainerRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM containers ORDER BY created DESC, rowid DESC"
        ))?;
        let rows = stmt.query_map([], row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// By full id, name, or unique id prefix — Podman's rules.
    pub fn find_container(&self, input: &str) -> Result<ContainerRecord> {
        let exact = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM containers WHERE id = ?1 OR name = ?1"),
                [input],
                row,
            )
            .optional()?;
        if let Some(c) = exact {
            return Ok(c);
        }
        if !input.is_empty() && input.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM containers WHERE substr(id, 1, ?2) = ?1"
            ))?;
            let found = stmt
                .query_map(params![input, input.len() as i64], row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            return match found.len() {
                1 => Ok(found
                    .into_iter()
                    .next()
                    .ok_or_else(|| StoreError::ContainerNotFound(input.into()))?),
                0 => Err(StoreError::ContainerNotFound(input.to_string())),
                count => Err(StoreError::AmbiguousContainer {
                    name: input.to_string(),
                    count,
                }),
            };
        }
        Err(StoreError::ContainerNotFound(input.to_string()))
    }

    /// `restarts`: 0 for a start by the user, which begins the count again, as in Podman.
    pub fn set_running(&self, id: &str, pid: u32, started_at: i64, restarts: u32) -> Result<()> {
        self.conn.execute(
            "UPDATE containers SET state = 'running', pid = ?2, started_at = ?3,
             finished_at = NULL, exit_code = NULL, restarts = ?4 WHERE id = ?1",
            params![id, pid, started_at, restarts],
        )?;
        Ok(())
    }

    pub fn set_exited(&self, id: &str, exit_code: i32, finished_at: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE containers SET state = 'exited', pid = NULL, exit_code = ?2, finished_at = ?3
             WHERE id = ?1",
            params![id, exit_code, finished_at],
        )?;
        Ok(())
    }

    /// Records the exit of process `pid` only if it is still the container's: a monitor that
    /// was late must not mark exited a container started again meanwhile.
    pub fn set_exited_of(
        &self,
        id: &str,
        pid: u32,
        exit_code: i32,
        finished_at: i64,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE containers SET state = 'exited', pid = NULL, exit_code = ?3, finished_at = ?4
             WHERE id = ?1 AND pid = ?2",
            params![id, pid, exit_code, finished_at],
        )?;
        Ok(())
    }

    /// `rename`: the name stays unique across containers.
    pub fn rename_container(&self, id: &str, name: &str) -> Result<()> {
        match self.conn.execute(
            "UPDATE containers SET name = ?2 WHERE id = ?1",
            params![id, name],
        ) {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                let holder: Option<String> = self
                    .conn
                    .query_row("SELECT id FROM containers WHERE name = ?1", [name], |r| {
                        r.get(0)
                    })
                    .optional()?;
                Err(StoreError::NameInUse {
                    name: name.to_string(),
                    id: holder.unwrap_or_default(),
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn remove_container_row(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM containers WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Names of the containers created from an image.
    pub fn containers_of_image(&self, image_id: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM containers WHERE image_id = ?1 ORDER BY name")?;
        let rows = stmt.query_map([image_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
    }
}
