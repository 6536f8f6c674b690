//! Image, name and layer rows.

use super::{Result, Store, StoreError};
use rusqlite::{params, OptionalExtension};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq)]
pub struct LayerRecord {
    pub chain_id: String,
    pub diff_id: String,
    pub blob_digest: String,
    pub blob_media_type: String,
    pub blob_size: u64,
    /// Bytes of the uncompressed tar stream.
    pub size: u64,
}

#[derive(Debug, Clone)]
pub struct NewImage {
    /// `sha256:<config digest>`, as Podman's image id.
    pub id: String,
    pub manifest_digest: String,
    pub manifest_media_type: String,
    pub created: Option<String>,
    pub size: u64,
    pub os: String,
    pub architecture: String,
    /// Chain ids, base first.
    pub layers: Vec<String>,
    pub names: Vec<String>,
    pub repo_digests: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ImageRecord {
    pub id: String,
    pub manifest_digest: String,
    pub manifest_media_type: String,
    pub created: Option<String>,
    /// Unix seconds when the image entered this store.
    pub added: i64,
    pub size: u64,
    pub os: String,
    pub architecture: String,
    pub layers: Vec<String>,
    pub names: Vec<String>,
    pub repo_digests: Vec<String>,
}

impl ImageRecord {
    pub fn hex_id(&self) -> &str {
        self.id.strip_prefix("sha256:").unwrap_or(&self.id)
    }

    pub fn is_dangling(&self) -> bool {
        self.names.is_empty()
    }

    /// The stored name `input` refers to: the full name, or a short name matching its tail.
    pub fn name_for(&self, input: &str) -> Option<&String> {
        let tagged = with_default_tag(input);
        let tail = format!("/{tagged}");
        self.names
            .iter()
            .find(|n| **n == tagged || n.ends_with(&tail))
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl Store {
    pub fn layer(&self, chain_id: &str) -> Result<Option<LayerRecord>> {
        Ok(self
            .conn
            .query_row(
                "SELECT chain_id, diff_id, blob_digest, blob_media_type, blob_size, size
                 FROM layers WHERE chain_id = ?1",
                [chain_id],
                |r| {
                    Ok(LayerRecord {
                        chain_id: r.get(0)?,
                        diff_id: r.get(1)?,
                        blob_digest: r.get(2)?,
                        blob_media_type: r.get(3)?,
                        blob_size: r.get::<_, i64>(4)? as u64,
                        size: r.get::<_, i64>(5)? as u64,
                    })
                },
            )
            .optional()?)
    }

    /// Record a layer whose directory is already in place; a concurrent writer that got there
    /// first wins and this is a no-op.
    pub fn insert_layer(&self, layer: &LayerRecord) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO layers
             (chain_id, diff_id, blob_digest, blob_media_type, blob_size, size, added)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                layer.chain_id,
                layer.diff_id,
                layer.blob_digest,
                layer.blob_media_type,
                layer.blob_size as i64,
                layer.size as i64,
                now()
            ],
        )?;
        Ok(())
    }

    /// Add an image (or find it already there) and point its names at it, in one transaction.
    pub fn add_image(&mut self, image: &NewImage) -> Result<()> {
        let tx = self.conn.transaction()?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO images
             (id, manifest_digest, manifest_media_type, created, added, size, os, architecture)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                image.id,
                image.manifest_digest,
                image.manifest_media_type,
                image.created,
                now(),
                image.size as i64,
                image.os,
                image.architecture
            ],
        )?;
        if inserted == 1 {
            for (pos, chain) in image.layers.iter().enumerate() {
                tx.execute(
                    "INSERT INTO image_layers (image_id, position, chain_id) VALUES (?1, ?2, ?3)",
                    params![image.id, pos as i64, chain],
                )?;
            }
        }
        for name in &image.names {
            tx.execute(
                "INSERT OR REPLACE INTO names (name, image_id, added) VALUES (?1, ?2, ?3)",
                params![name, image.id, now()],
            )?;
        }
        for name in &image.repo_digests {
            tx.execute(
                "INSERT OR IGNORE INTO repo_digests (image_id, name) VALUES (?1, ?2)",
                params![image.id, name],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn images(&self) -> Result<Vec<ImageRecord>> {
        self.query_images(None)
    }

    pub fn image(&self, id: &str) -> Result<ImageRecord> {
        self.query_images(Some(id))?
            .pop()
            .ok_or_else(|| StoreError::ImageNotFound(id.to_string()))
    }

    fn query_images(&self, only: Option<&str>) -> Result<Vec<ImageRecord>> {
        let filter = if only.is_some() {
            " WHERE image_id = ?1"
        } else {
            " WHERE ?1 IS NULL"
        };
        let mut names = self.grouped(
            &format!("SELECT image_id, name FROM names{filter} ORDER BY added, name"),
            only,
        )?;
        let mut digests = self.grouped(
            &format!("SELECT image_id, name FROM repo_digests{filter} ORDER BY name"),
            only,
        )?;
        let mut layers = self.grouped(
            &format!(
                "SELECT image_id, chain_id FROM image_layers{filter} ORDER BY image_id, position"
            ),
            only,
        )?;
        let filter = filter.replace("image_id", "id");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, manifest_digest, manifest_media_type, created, added, size, os, architecture
             FROM images{filter} ORDER BY added DESC, id"
        ))?;
        let rows = stmt.query_map([only], |r| {
            Ok(ImageRecord {
                id: r.get(0)?,
                manifest_digest: r.get(1)?,
                manifest_media_type: r.get(2)?,
                created: r.get(3)?,
                added: r.get(4)?,
                size: r.get::<_, i64>(5)? as u64,
                os: r.get(6)?,
                architecture: r.get(7)?,
                layers: Vec::new(),
                names: Vec::new(),
                repo_digests: Vec::new(),
            })
        })?;
        let mut out = Vec::new();
        for row in rows {
            let mut img = row?;
            img.names = names.remove(&img.id).unwrap_or_default();
            img.repo_digests = digests.remove(&img.id).unwrap_or_default();
            img.layers = layers.remove(&img.id).unwrap_or_default();
            out.push(img);
        }
        Ok(out)
    }

    /// `(image_id, value)` rows gathered per image, in query order.
    fn grouped(&self, sql: &str, only: Option<&str>) -> Result<HashMap<String, Vec<String>>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(sql)?;
        for row in stmt.query_map([only], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (id, value): (String, String) = row?;
            out.entry(id).or_default().push(value);
        }
        Ok(out)
    }

    /// Find an image the way Podman does: full name, short name matched against the end of
    /// stored names, `name@digest`, or an id (prefix).
    pub fn find_image(&self, input: &str) -> Result<ImageRecord> {
        let images = self.images()?;
        if let Some(img) = match_image(&images, input)? {
            return Ok(img.clone());
        }
        Err(StoreError::ImageNotFound(input.to_string()))
    }

    pub fn set_name(&self, image_id: &str, name: &str) -> Result<()> {
        self.conn.execute(
            "INSERT OR REPLACE INTO names (name, image_id, added) VALUES (?1, ?2, ?3)",
            params![name, image_id, now()],
        )?;
        Ok(())
    }

    /// Remove a name from an image; false when the image did not have it.
    pub fn remove_name(&self, image_id: &str, name: &str) -> Result<bool> {
        let n = self.conn.execute(
            "DELETE FROM names WHERE name = ?1 AND image_id = ?2",
            params![name, image_id],
        )?;
        Ok(n > 0)
    }

    pub fn remove_image_row(&self, image_id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM images WHERE id = ?1", [image_id])?;
        Ok(())
    }

    /// Layers no image refers to any more.
    pub fn unreferenced_layers(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT chain_id FROM layers WHERE chain_id NOT IN (SELECT chain_id FROM image_layers)",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
    }

    pub fn layer_chain_ids(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn.prepare("SELECT chain_id FROM layers")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<HashSet<String>>>()?)
    }

    pub fn remove_layer_row(&self, chain_id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM layers WHERE chain_id = ?1", [chain_id])?;
        Ok(())
    }

    /// Blob digests still needed: manifests, configs and layer blobs of remaining images.
    pub fn manifest_digests(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, manifest_digest FROM images")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn layer_blob_digests(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT blob_digest FROM layers")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
    }
}

/// Name matching, kept apart from SQL so it can be tested on plain records.
pub fn match_image<'a>(images: &'a [ImageRecord], input: &str) -> Result<Option<&'a ImageRecord>> {
    let tagged = with_default_tag(input);
    // 1. exact full name
    if let Some(img) = images.iter().find(|i| i.names.contains(&tagged)) {
        return Ok(Some(img));
    }
    // 2. name@digest
    if input.contains('@') {
        let found = images.iter().find(|i| {
            i.repo_digests
                .iter()
                .any(|d| d == input || d.ends_with(&format!("/{input}")))
        });
        return Ok(found);
    }
    // 3. short name: the stored name ends with "/<input>"
    let suffix = format!("/{tagged}");
    let by_suffix: Vec<&ImageRecord> = images
        .iter()
        .filter(|i| i.names.iter().any(|n| n.ends_with(&suffix)))
        .collect();
    if let Some(first) = by_suffix.first() {
        return Ok(Some(first));
    }
    // 4. id or id prefix
    let hex = input.strip_prefix("sha256:").unwrap_or(input);
    if hex.len() >= 3 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        let by_id: Vec<&ImageRecord> = images
            .iter()
            .filter(|i| i.hex_id().starts_with(hex))
            .collect();
        return match by_id.len() {
            0 => Ok(None),
            1 => Ok(Some(by_id[0])),
            count => Err(StoreError::Ambiguous {
                name: input.to_string(),
                count,
            }),
        };
    }
    Ok(None)
}

/// `name` → `name:latest` unless it has a tag or digest already.
pub fn with_default_tag(name: &str) -> String {
    if name.contains('@') {
        return name.to_string();
    }
    let last = name.rsplit('/').next().unwrap_or(name);
    if last.contains(':') {
        name.to_string()
    } else {
        format!("{name}:latest")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(id: &str, names: &[&str]) -> ImageRecord {
        ImageRecord {
            id: format!("sha256:{id}"),
            manifest_digest: String::new(),
            manifest_media_type: String::new(),
            created: None,
            added: 0,
            size: 0,
            os: "linux".into(),
            architecture: "amd64".into(),
            layers: vec![],
            names: names.iter().map(|s| s.to_string()).collect(),
            repo_digests: names
                .iter()
                .map(|n| format!("{}@sha256:{id}", n.rsplit_once(':').map_or(*n, |p| p.0)))
                .collect(),
        }
    }

    #[test]
    fn matches_full_short_digest_and_id() {
        let images = vec![
            img("aaaa1111", &["docker.io/library/busybox:latest"]),
            img("aaab2222", &["127.0.0.1:5000/lodger-test/small:v2s2"]),
        ];
        let m = |s| match_image(&images, s).unwrap().map(|i| i.id.clone());
        assert_eq!(
            m("docker.io/library/busybox").as_deref(),
            Some("sha256:aaaa1111")
        );
        assert_eq!(m("busybox").as_deref(), Some("sha256:aaaa1111"));
        assert_eq!(m("small:v2s2").as_deref(), Some("sha256:aaab2222"));
        assert_eq!(
            m("lodger-test/small:v2s2").as_deref(),
            Some("sha256:aaab2222")
        );
        assert_eq!(m("small"), None, "small:latest does not exist");
        assert_eq!(m("aaab").as_deref(), Some("sha256:aaab2222"));
        assert!(match_image(&images, "aaa").is_err(), "ambiguous prefix");
        assert_eq!(
            m("busybox@sha256:aaaa1111").as_deref(),
            Some("sha256:aaaa1111")
        );
        assert_eq!(m("ox"), None, "suffix must start at a path boundary");
    }

    #[test]
    fn default_tag_respects_ports_and_digests() {
        assert_eq!(
            with_default_tag("localhost:5000/a"),
            "localhost:5000/a:latest"
        );
        assert_eq!(with_default_tag("a:1"), "a:1");
        assert_eq!(with_default_tag("a@sha256:00"), "a@sha256:00");
    }
}
