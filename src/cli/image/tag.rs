//! `tag` and `untag`.

use crate::cli::Context;
use crate::store::Store;
use anyhow::bail;
use clap::Args;

#[derive(Args, Debug)]
pub struct TagArgs {
    /// Image to tag
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// New names
    #[arg(required = true, value_name = "TARGET_NAME")]
    pub targets: Vec<String>,
}

/// Podman qualifies unqualified new names with `localhost/`.
pub(in crate::cli) fn qualify_new_name(name: &str) -> anyhow::Result<String> {
    let full = if crate::reference::Reference::is_short_name(name) {
        format!("localhost/{name}")
    } else {
        name.to_string()
    };
    let mut r = crate::reference::Reference::parse(&full)?;
    if r.digest.is_some() {
        bail!("{name}: a tag target cannot contain a digest");
    }
    r.default_tag();
    Ok(r.to_string())
}

pub fn tag(ctx: &Context, a: TagArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let image = store.find_image(&a.image)?;
    for t in &a.targets {
        store.set_name(&image.id, &qualify_new_name(t)?)?;
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct UntagArgs {
    /// Image to untag
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// Names to remove (default: all)
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
}

pub fn untag(ctx: &Context, a: UntagArgs) -> anyhow::Result<i32> {
    let store = Store::open(&ctx.paths)?;
    let image = store.find_image(&a.image)?;
    if a.names.is_empty() {
        for n in &image.names {
            store.remove_name(&image.id, n)?;
        }
        return Ok(0);
    }
    for n in &a.names {
        let qualified = qualify_new_name(n).unwrap_or_default();
        let stored = image
            .name_for(n)
            .or_else(|| image.names.iter().find(|s| **s == qualified));
        match stored {
            Some(s) => {
                store.remove_name(&image.id, s)?;
            }
            None => bail!("{n}: tag not known for image {}", image.hex_id()),
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unqualified_tags_go_to_localhost() {
        assert_eq!(qualify_new_name("app").unwrap(), "localhost/app:latest");
        assert_eq!(qualify_new_name("quay.io/a/b:1").unwrap(), "quay.io/a/b:1");
        assert!(qualify_new_name("Bad Name").is_err());
    }
}
