//! A sandbox with the small fixture image pulled: the base of the tests that run
//! containers. Test files add the helpers only they need with `impl Lab` blocks of their own.

use super::{Env, OutputExt, Sandbox};
use std::process::Output;

pub struct Lab {
    pub sb: Sandbox,
    pub image: String,
}

impl Lab {
    pub fn new(env: &Env) -> Lab {
        Lab {
            sb: env.sandbox_with(&["small:latest"]),
            image: env.image("small:latest"),
        }
    }

    pub fn lodger(&self, args: &[&str]) -> Output {
        self.sb.lodger(args)
    }

    /// `run [flags] IMAGE sh -c SCRIPT`, which must succeed.
    pub fn run_sh(&self, flags: &[&str], script: &str) -> Output {
        let mut args = vec!["run"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&[&self.image, "sh", "-c", script]);
        let out = self.lodger(&args);
        out.assert_ok();
        out
    }
}
